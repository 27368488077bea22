// The csv back-end used directly (spec §4.1): parsing, search, first match, list, hot reload, missing files.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import t from 'tap';
import CsvBackend, { configSchema, STAT_INTERVAL_MS } from '../../../plugins/backends/csv/index.js';
import type { CallArgs, LogLevel, SourceConfig } from '../../../src/contracts.js';

const fixtures = fileURLToPath(new URL('../../../../test/fixtures/csv/', import.meta.url));
const args: CallArgs = { token: 'token', user_uuid: null, xivo_user_uuid: null, tenant_uuid: null };

interface LogCall {
  level: LogLevel;
  msg: string;
}

async function loadCsv(file: string, extra: Partial<SourceConfig> = {}) {
  const logs: LogCall[] = [];
  const host = {
    log: async (level: LogLevel, msg: string) => {
      logs.push({ level, msg });
    },
  };
  const backend = new CsvBackend();
  await backend.load({
    config: {
      uuid: '00000000-0000-4000-8000-000000000001',
      tenant_uuid: '00000000-0000-4000-8000-0000000000aa',
      name: 'my_csv',
      backend: 'csv',
      searched_columns: ['firstname', 'lastname'],
      first_matched_columns: ['number'],
      format_columns: {},
      file,
      ...extra,
    },
    main_config: {},
    host,
  });
  return { backend, logs };
}

/** Past the stat throttle, so the next call looks at the file again. */
const afterThrottle = () => sleep(STAT_INTERVAL_MS + 50);

/** Rewrites a file until its mtime differs from before (bounded). */
async function rewrite(file: string, text: string): Promise<void> {
  const before = (await fs.stat(file)).mtimeMs;
  for (let attempt = 0; attempt < 100; attempt++) {
    await fs.writeFile(file, text);
    if ((await fs.stat(file)).mtimeMs !== before) return;
    await sleep(20);
  }
  throw new Error('mtime never changed');
}

t.test('pipe separator, quoted cells', async (t) => {
  const { backend } = await loadCsv(path.join(fixtures, 'pipe.csv'), { separator: '|' });
  t.same(await backend.search('builder', args), [{ id: '2', firstname: 'Bob', lastname: 'Builder', number: '1001', mobile: '' }]);
  t.same(await backend.search('pipe |', args), [{ id: '3', firstname: 'Charles', lastname: 'Pipe | Quoted', number: '1002', mobile: '5551002' }]);
  t.same((await backend.firstMatch('1000', args))?.firstname, 'Alice');
});

t.test('semicolon separator, BOM, accents: pép matches Pépé', async (t) => {
  const { backend } = await loadCsv(path.join(fixtures, 'semicolon-bom.csv'), { separator: ';' });
  t.same(await backend.search('pép', args), [{ id: '1', firstname: 'Pépé', lastname: 'Le Moko', number: '2000' }]);
  t.same(await backend.search('ÉMILE', args).then((rows) => rows.map((r) => r.lastname)), ['Zola; Jr']);
  t.same(await backend.search('ça', args).then((rows) => rows.map((r) => r.id)), ['3']);
  // A plain substring: no accent folding.
  t.same(await backend.search('pepe', args), []);
  t.same(Object.keys((await backend.firstMatch('2001', args)) ?? {}), ['id', 'firstname', 'lastname', 'number']);
});

t.test('ragged rows: missing cells are absent, extra cells dropped', async (t) => {
  const { backend } = await loadCsv(path.join(fixtures, 'ragged.csv'), { unique_column: 'id' });
  t.same(await backend.list(['1', '2', '3'], args), [
    { id: '1', firstname: 'Alice' },
    { id: '2', firstname: 'Bob', lastname: 'Builder', number: '1002' },
    { id: '3', firstname: '', lastname: 'Empty first', number: '1003' },
  ]);
});

t.test('search: case-insensitive substring of any searched column; none searched → nothing', async (t) => {
  const { backend } = await loadCsv(path.join(fixtures, 'pipe.csv'), { separator: '|', searched_columns: ['lastname', 'nickname', 'mobile'] });
  t.same((await backend.search('SMI', args)).map((r) => r.id), ['1']);
  t.same((await backend.search('555', args)).map((r) => r.id), ['1', '3']);
  t.same((await backend.search('alice', args)).map((r) => r.id), [], 'firstname is not searched');
  t.same((await backend.search('', args)).map((r) => r.id), ['1', '2', '3']);
  const none = await loadCsv(path.join(fixtures, 'pipe.csv'), { separator: '|', searched_columns: [] });
  t.same(await none.backend.search('alice', args), []);
});

t.test('first match: exact value, first row in file order across first-matched columns', async (t) => {
  const dir = t.testdir({ 'phones.csv': 'id,name,number,mobile\n1,Alice,100,200\n2,Bob,200,300\n3,Carol,100,\n' });
  const { backend } = await loadCsv(path.join(dir, 'phones.csv'), { first_matched_columns: ['number', 'mobile'] });
  t.equal((await backend.firstMatch('200', args))?.name, 'Alice');
  t.equal((await backend.firstMatch('100', args))?.name, 'Alice');
  t.equal((await backend.firstMatch('300', args))?.name, 'Bob');
  t.equal(await backend.firstMatch('10', args), null);
  t.equal((await backend.firstMatch('', args))?.name, 'Carol', 'exact equality, empty cells included');
  t.same(await backend.matchAll(['300', '999', '100'], args), {
    '300': { id: '2', name: 'Bob', number: '200', mobile: '300' },
    '100': { id: '1', name: 'Alice', number: '100', mobile: '200' },
  });
  const none = await loadCsv(path.join(dir, 'phones.csv'), { first_matched_columns: [] });
  t.equal(await none.backend.firstMatch('100', args), null);
});

t.test('list needs a unique column', async (t) => {
  const file = path.join(fixtures, 'pipe.csv');
  const withUnique = await loadCsv(file, { separator: '|', unique_column: 'id' });
  t.same((await withUnique.backend.list(['3', '1', 'nope'], args)).map((r) => r.firstname), ['Alice', 'Charles']);
  t.same(await withUnique.backend.list([], args), []);
  const withoutUnique = await loadCsv(file, { separator: '|' });
  t.same(await withoutUnique.backend.list(['1'], args), []);
  t.same((await withoutUnique.backend.search('alice', args)).length, 1, 'lookups still work');
});

t.test('hot reload: a rewritten file is visible on a later call', async (t) => {
  const dir = t.testdir({ 'contacts.csv': 'id,firstname,lastname,number\n1,Alice,Smith,1000\n' });
  const file = path.join(dir, 'contacts.csv');
  const { backend } = await loadCsv(file);
  t.same((await backend.search('alice', args)).map((r) => r.id), ['1']);
  await rewrite(file, 'id,firstname,lastname,number\n2,Alicia,Keys,1001\n3,Bob,Alison,1002\n');
  await afterThrottle();
  t.same((await backend.search('ali', args)).map((r) => r.id), ['2', '3']);
  t.equal(await backend.firstMatch('1000', args), null);
  t.equal((await backend.firstMatch('1002', args))?.firstname, 'Bob');
  // Same size, new content.
  await rewrite(file, 'id,firstname,lastname,number\n2,Alicia,Keys,1001\n3,Bob,Alisom,1002\n');
  await afterThrottle();
  t.same((await backend.search('alisom', args)).map((r) => r.id), ['3']);
});

t.test('concurrent calls during a reload all see the new content', async (t) => {
  const dir = t.testdir({ 'contacts.csv': 'id,firstname,lastname,number\n1,Alice,Smith,1000\n' });
  const file = path.join(dir, 'contacts.csv');
  const { backend } = await loadCsv(file);
  await rewrite(file, 'id,firstname,lastname,number\n1,Zed,Smith,1000\n');
  await afterThrottle();
  const answers = await Promise.all(Array.from({ length: 20 }, () => backend.search('zed', args)));
  t.same(answers.map((rows) => rows.length), Array(20).fill(1));
});

t.test('missing file: empty until it appears, then the last content is kept and the problem logged', async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'later.csv');
  const { backend, logs } = await loadCsv(file);
  t.same(await backend.search('alice', args), []);
  t.equal(logs.length, 1);
  t.equal(logs[0].level, 'error');
  t.match(logs[0].msg, 'later.csv');

  await fs.writeFile(file, 'id,firstname,lastname,number\n1,Alice,Smith,1000\n');
  await afterThrottle();
  t.same((await backend.search('alice', args)).map((r) => r.id), ['1']);

  await fs.rm(file);
  await afterThrottle();
  t.same((await backend.search('alice', args)).map((r) => r.id), ['1'], 'last content kept');
  t.equal(logs.length, 2, 'the disappearance is logged');
  await afterThrottle();
  await backend.search('alice', args);
  t.equal(logs.length, 2, 'a lasting problem is logged once');
});

t.test('a malformed file keeps the last content', async (t) => {
  const dir = t.testdir({ 'contacts.csv': 'id,firstname,lastname,number\n1,Alice,Smith,1000\n' });
  const file = path.join(dir, 'contacts.csv');
  const { backend, logs } = await loadCsv(file);
  await rewrite(file, 'id,firstname,lastname,number\n2,"Bob,Builder,1001\n');
  await afterThrottle();
  t.same((await backend.search('alice', args)).map((r) => r.id), ['1']);
  t.equal(logs.length, 1);
  t.match(logs[0].msg, 'previous content');
});

t.test('100,000 rows: first match and match all answer from the index', async (t) => {
  const dir = t.testdir({});
  const file = path.join(dir, 'big.csv');
  const lines = ['id,firstname,lastname,number'];
  for (let i = 0; i < 100_000; i++) lines.push(`${i},First${i},Last${i},${100_000 + i}`);
  lines.push('dup,Duplicate,Row,100005');
  await fs.writeFile(file, lines.join('\n') + '\n');
  const { backend } = await loadCsv(file, { unique_column: 'id' });
  t.same(await backend.firstMatch('199999', args), { id: '99999', firstname: 'First99999', lastname: 'Last99999', number: '199999' });
  t.equal((await backend.firstMatch('100005', args))?.id, '5', 'first row in file order wins');
  t.equal(await backend.firstMatch('200000', args), null);
  const many = Array.from({ length: 1000 }, (_, i) => String(100_000 + i * 97));
  const matches = await backend.matchAll(many, args);
  t.equal(Object.keys(matches).length, 1000);
  t.equal(matches['100097'].id, '97');
  t.same((await backend.search('last9999', args)).map((r) => r.id), ['9999', '99990', '99991', '99992', '99993', '99994', '99995', '99996', '99997', '99998', '99999']);
  t.same((await backend.list(['dup', '42'], args)).map((r) => r.id), ['42', 'dup']);
});

t.test('config schema: file required, separator one character, unique_column nullable', async (t) => {
  const validate = new Ajv({ useDefaults: true }).compile(configSchema);
  const config: Record<string, unknown> = { file: '/tmp/x.csv' };
  t.ok(validate(config));
  t.same(config, { file: '/tmp/x.csv', separator: ',', unique_column: null });
  t.ok(validate({ file: 'a', separator: '|', unique_column: 'id' }));
  t.notOk(validate({}));
  t.notOk(validate({ file: '' }));
  t.notOk(validate({ file: 'a', separator: '||' }));
  t.notOk(validate({ file: 'a', separator: '' }));
  t.notOk(validate({ file: 'a', unique_column: '' }));
  t.notOk(validate({ file: 'a', unique_column: 'x'.repeat(129) }));
});
