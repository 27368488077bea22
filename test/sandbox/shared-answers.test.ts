// Reverse answers published in shared memory (src/shared-answers.ts): the host answers from them without
// a worker call, gives the same answers as the worker, follows data changes, and falls back to the
// worker when a snapshot is missing, withdrawn, malformed or does not decode.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { defaults } from '../../src/config/defaults.js';
import type { CallArgs, SourceConfig } from '../../src/contracts.js';
import type { NumberMatching } from '../../src/numbers.js';
import { AnswerReader, hash } from '../../src/shared-answers.js';
import { encodeRows, encodeTable } from '../../sandbox/answers.js';
import { SandboxedSource } from '../../host/sources/sandboxed-source.js';

const silent = pino({ level: 'silent' });
const far = () => Date.now() + 5000;
const exact: CallArgs = { token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null };
const matching = (number_matching: NumberMatching): CallArgs => ({ ...exact, number_matching });
const e164 = matching({ mode: 'e164', region: 'FR', suffix_digits: 9 });
const suffix = matching({ mode: 'suffix', region: null, suffix_digits: 9 });

const work = mkdtempSync(join(tmpdir(), 'dird-answers-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

function source(backend: string, extra: Record<string, unknown>): SourceConfig {
  return {
    uuid: `${backend}-${Math.random()}`, tenant_uuid: 't', name: backend, backend,
    searched_columns: [], first_matched_columns: ['number'], format_columns: { reverse: '{name}' }, ...extra,
  };
}

function sandbox(config: SourceConfig, modulePath: string, sharedAnswers = true) {
  const settings = { ...defaults.sandbox, shared_answers: sharedAnswers, restart_backoff_initial: 0.05 };
  const sandboxed = new SandboxedSource(config, modulePath, settings, {}, silent);
  t.teardown(() => sandboxed.close());
  return sandboxed;
}

const csvModule = join(packageRoot, 'dist/plugins/backends/csv/index.js');
const publishingModule = join(packageRoot, 'test/fixtures/plugins/publishing/publishing.js');
const publishing = (mode: string, sharedAnswers = true) => sandbox(source('publishing', { mode }), publishingModule, sharedAnswers);
const nameOf = (result: any) => result?.fields?.name ?? null;

/** Polls `read` until it gives `wanted` (bounded: 5 s). */
async function eventually<T>(read: () => Promise<T>, wanted: T): Promise<T> {
  let seen = await read();
  for (let i = 0; i < 100 && seen !== wanted; i++) {
    await sleep(50);
    seen = await read();
  }
  return seen;
}

t.test('the reader finds every key among many, including colliding and non-ASCII ones', async (t) => {
  const rows = Array.from({ length: 3000 }, (_, i) => ({ id: String(i), number: `+3312345${String(i).padStart(4, '0')}`, name: `Zoë ${i}` }));
  const keys = new Map(rows.map((row, i) => [row.number, i] as const));
  keys.set('名前', 7);
  const relations = { xivo_id: null, agent_id: 4, user_id: null, user_uuid: 'u', endpoint_id: null, source_entry_id: 'e' };
  const { offsets, ...encoded } = (await encodeRows(rows, (row) => ({ fields: row, relations, source: 's', backend: 'b', is_personal: true, is_deletable: false }), 500))!;
  const snapshot = { ...encoded, tables: { exact: encodeTable(keys, offsets) } };
  const reader = AnswerReader.open(snapshot)!;
  t.ok(reader);
  for (const i of [0, 1, 1234, 2999]) t.equal(reader.firstMatch(rows[i].number, null)?.fields.name, `Zoë ${i}`);
  t.strictSame(reader.firstMatch(rows[5].number, null), { fields: rows[5], relations, source: 's', backend: 'b', is_personal: true, is_deletable: false },
    'a whole result, as the worker builds it');
  t.equal(reader.firstMatch('名前', null)?.fields.name, 'Zoë 7');
  t.equal(reader.firstMatch('+33123450000 ', null), null, 'a key that is not there is a miss');
  t.same(reader.firstMatch('+33123450000', { mode: 'e164', region: 'FR', suffix_digits: 9 }), reader.firstMatch('+33123450000', null), 'an exact hit first');
  t.same(reader.matchAll(['+33123450001', 'nobody'], null), { '+33123450001': reader.firstMatch('+33123450001', null) });
  t.equal(reader.firstMatch('0123450001', { mode: 'e164', region: 'FR', suffix_digits: 9 }), undefined,
    'a number matching without its table is for the worker');
});

t.test('values of every kind come back as the worker built them', async (t) => {
  const odd = JSON.parse('{"__proto__": {"polluted": true}}');
  const fields = { text: 'Zoë', other: '☎️ 電話', empty: '', count: 42, ok: true, none: null, list: ['a', 1], nested: { a: { b: 'c' } }, gone: undefined, ...odd };
  const relations = { xivo_id: 'x', agent_id: 7, user_id: null, user_uuid: null, endpoint_id: 3, source_entry_id: null };
  const encoded = (await encodeRows([fields], (row) => ({ fields: row, relations, source: 'é', backend: 'b', is_personal: false, is_deletable: true })))!;
  const reader = AnswerReader.open({ ...encoded, tables: { exact: encodeTable(new Map([['1', 0]]), encoded.offsets) } })!;
  const answer = reader.firstMatch('1', null)!;
  t.same(JSON.parse(JSON.stringify(answer)), JSON.parse(JSON.stringify({ fields, relations, source: 'é', backend: 'b', is_personal: false, is_deletable: true })));
  t.same(Object.keys(answer.fields), ['text', 'other', 'empty', 'count', 'ok', 'none', 'list', 'nested', '__proto__']);
  t.equal(Object.getPrototypeOf(answer.fields), Object.prototype, 'a `__proto__` field is a field, not a prototype');
  t.equal(({} as any).polluted, undefined);
});

t.test('keys and values of every length: in the slot or among the long keys, short or long heads', async (t) => {
  const keys = ['', '1', '+33123456789', 'x'.repeat(20), 'x'.repeat(21), 'é'.repeat(20), '名'.repeat(3), 'sip:someone-with-a-long-name@example.com'];
  const rows = keys.map((key, i) => ({ key, short: 'y'.repeat(62), long: 'y'.repeat(63 + i), utf8: '電'.repeat(21 + i), n: i }));
  const { offsets, ...encoded } = (await encodeRows(rows, (row) => ({ fields: row, relations: {} as any, source: 's', backend: 'b', is_personal: false, is_deletable: false })))!;
  const reader = AnswerReader.open({ ...encoded, tables: { exact: encodeTable(new Map(keys.map((key, i) => [key, i])), offsets) } })!;
  for (const [i, key] of keys.entries()) t.same(reader.firstMatch(key, null)?.fields, rows[i], `key ${JSON.stringify(key)}`);
  t.equal(reader.firstMatch('x'.repeat(19), null), null, 'a prefix of a key in a slot is a miss');
  t.equal(reader.firstMatch('x'.repeat(22), null), null, 'a longer key is a miss');
  t.equal(reader.firstMatch('é'.repeat(19) + 'è', null), null, 'so is a key differing in its last character');
});

t.test('a key with the same hash and length as a stored one is a miss, in the slot or among the long keys', async (t) => {
  // Pairs of one length with equal FNV-1a hashes, found once by searching numbered keys.
  const pairs = [['slot', '+3300720089', '+3301214000'], ['long keys', 'sip:a-rather-long-name-00317786', 'sip:a-rather-long-name-01056240']];
  for (const [where, stored, asked] of pairs) {
    t.equal(hash(stored), hash(asked));
    const { offsets, ...encoded } = (await encodeRows([{ number: stored }], (row) => ({ fields: row, relations: {} as any, source: 's', backend: 'b', is_personal: false, is_deletable: false })))!;
    const reader = AnswerReader.open({ ...encoded, tables: { exact: encodeTable(new Map([[stored, 0]]), offsets) } })!;
    t.equal(reader.firstMatch(stored, null)?.fields.number, stored, `${where}: the stored key is found`);
    t.equal(reader.firstMatch(asked, null), null, `${where}: ${asked} is not ${stored}`);
  }
});

t.test('rows that run past the shared bytes are for the worker', async (t) => {
  const { rows, keys, meta, offsets } = (await encodeRows([{ number: '1', name: 'One' }], (row) => ({ fields: row, relations: {} as any, source: 's', backend: 'b', is_personal: false, is_deletable: false })))!;
  const past = encodeTable(new Map([['1', 0]]), [rows.byteLength + 10]);
  t.equal(AnswerReader.open({ rows, keys, meta, tables: { exact: past } })!.firstMatch('1', null), undefined, 'a row offset past the rows');
  const cut = new SharedArrayBuffer(rows.byteLength - 3);
  new Uint8Array(cut).set(new Uint8Array(rows).subarray(0, cut.byteLength));
  const table = encodeTable(new Map([['1', 0]]), offsets);
  t.equal(AnswerReader.open({ rows: cut, keys, meta, tables: { exact: table } })!.firstMatch('1', null), undefined, 'a row cut short');
  t.same(AnswerReader.open({ rows, keys, meta, tables: { exact: table } })!.firstMatch('1', null)?.fields, { number: '1', name: 'One' }, 'the whole row decodes');
});

t.test('malformed snapshots are refused', async (t) => {
  const { rows, keys, meta, offsets } = (await encodeRows([{ a: 1 }], (row) => ({ fields: row, relations: {} as any, source: 's', backend: 'b', is_personal: false, is_deletable: false })))!;
  const table = encodeTable(new Map([['1', 0]]), offsets);
  const odd = new SharedArrayBuffer(4 * 20);
  new Uint32Array(odd)[0] = 3; // capacity not a power of two
  const short = new SharedArrayBuffer(16);
  new Uint32Array(short)[0] = 1024; // slots beyond the buffer
  for (const [what, snapshot] of Object.entries({
    null: null, string: 'x', 'rows not shared': { rows: new ArrayBuffer(8), keys, meta, tables: { exact: table } },
    'no exact table': { rows, keys, meta, tables: {} }, 'table not shared': { rows, keys, meta, tables: { exact: 'x' } },
    'bad capacity': { rows, keys, meta, tables: { exact: odd } }, 'short table': { rows, keys, meta, tables: { exact: short } },
    'no meta': { rows, keys, tables: { exact: table } },
    'no keys': { rows, meta, tables: { exact: table } }, 'keys not text': { rows, keys: [1], meta, tables: { exact: table } },
    'bad meta': { rows, keys, meta: { ...meta, is_personal: 'yes' }, tables: { exact: table } },
    'bad guard': { rows, keys, meta, tables: { exact: table }, guard: { counter: new ArrayBuffer(4), value: 1 } },
    'guard index past its counter': { rows, keys, meta, tables: { exact: table }, guard: { counter: new SharedArrayBuffer(8), value: 0, index: 2 } },
    'negative guard index': { rows, keys, meta, tables: { exact: table }, guard: { counter: new SharedArrayBuffer(8), value: 0, index: -1 } },
  })) {
    t.equal(AnswerReader.open(snapshot), null, what);
  }
  t.ok(AnswerReader.open({ rows, keys, meta, tables: { exact: table } }), 'the same parts, well formed, open');
  t.ok(AnswerReader.open({ rows, keys, meta, tables: { exact: table }, guard: { counter: new SharedArrayBuffer(8), value: 0, index: 1 } }), 'with a guard at index 1 of 2');
});

t.test('csv: the host answers as the worker does, in every matching mode', async (t) => {
  const file = join(work, 'numbers.csv');
  writeFileSync(file, [
    'id,name,number', '1,Alice,0123456789', '2,Bob,+44 20 7946 0958', '3,Carol,1001', '4,Dan,(212) 555-0147',
    '5,Eve,sip:eve@example.com', '6,Fay,0033 1 98 76 54 32', '7,Gus,98-76-54-321',
  ].join('\n') + '\n');
  const config = source('csv', { file, unique_column: 'id' });
  const published = sandbox(config, csvModule, true);
  const asked = sandbox({ ...config, uuid: 'asked' }, csvModule, false);
  const numbers = ['0123456789', '+33123456789', '0033123456789', '+442079460958', '02079460958', '1001', '1002',
    '+12125550147', 'sip:eve@example.com', '+33198765432', '987654321', '0000', 'nobody'];
  for (const [mode, args] of Object.entries({ exact, e164, suffix })) {
    // First pass: tables get built (and published); second pass: answered from them.
    for (let pass = 1; pass <= 2; pass++) {
      for (const number of numbers) {
        t.same(await published.firstMatch(number, args, far()), await asked.firstMatch(number, args, far()), `${mode} ${number} (pass ${pass})`);
      }
      t.same(await published.matchAll(numbers, args, far()), await asked.matchAll(numbers, args, far()), `${mode} matchAll (pass ${pass})`);
    }
  }
  writeFileSync(file, 'id,name,number\n9,Zed,0123456789\n');
  t.equal(await eventually(async () => nameOf(await published.firstMatch('0123456789', exact, far())), 'Zed'), 'Zed', 'a changed file is answered');
  t.equal(nameOf(await published.firstMatch('+33123456789', e164, far())), 'Zed', 'e164 too');
  t.equal(await published.firstMatch('+442079460958', e164, far()), null, 'a removed contact is gone');
});

t.test('published answers are read in the host, without a call into the worker', async (t) => {
  const sandboxed = publishing('honest');
  await sandboxed.firstMatch('warm-up', e164, far());
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', exact, far())), 'Published'), 'Published');
  t.equal((await sandboxed.firstMatch('123', exact, far()))?.fields.label, 'label of Published', 'with the format columns load completed');
  t.equal(await sandboxed.firstMatch('999', exact, far()), null, 'an exact miss is answered by the host too');
  t.equal(await sandboxed.firstMatch('nobody', e164, far()), null, 'a value that is no number only matches exactly: answered too');
  t.equal(nameOf(await sandboxed.firstMatch('0987654321', e164, far())), 'Worker', 'a number whose matching has no table goes to the worker');
  t.same(Object.keys(await sandboxed.matchAll(['123', '999'], exact, far())), ['123']);

  const off = publishing('honest', false);
  t.equal(nameOf(await off.firstMatch('123', exact, far())), 'Worker', 'shared_answers: false leaves every call to the worker');
});

t.test('guarded answers are read only while their data version holds', async (t) => {
  const sandboxed = publishing('guarded');
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', exact, far())), 'Published'), 'Published');
  await sandboxed.firstMatch('0600000001', e164, far());
  t.equal(nameOf(await sandboxed.firstMatch('123', exact, far())), 'Worker', 'once the version moved, the worker answers');
  t.same(Object.keys(await sandboxed.matchAll(['123'], exact, far())), ['123']);
  t.equal(nameOf((await sandboxed.matchAll(['123'], exact, far()))['123']), 'Worker');
});

t.test("a user's answers are read for that user's calls only, while their version holds", async (t) => {
  const as = (user: string | null): CallArgs => ({ ...exact, user_uuid: user, xivo_user_uuid: user });
  const sandboxed = publishing('per-user');
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', as('u1'), far())), 'Published'), 'Published');
  t.equal(nameOf((await sandboxed.matchAll(['123', '999'], as('u1'), far()))['123']), 'Published', 'matchAll too');
  t.equal(await sandboxed.firstMatch('999', as('u1'), far()), null, "a miss in the user's answers is answered by the host");
  t.equal(nameOf(await sandboxed.firstMatch('123', as('u2'), far())), 'Worker', 'another user is answered by the worker');
  t.equal(nameOf(await sandboxed.firstMatch('123', as(null), far())), 'Worker', 'so is a call without a user');
  t.equal(nameOf(await sandboxed.firstMatch('123', { ...as('u2'), xivo_user_uuid: 'u1' }, far())), 'Published', 'xivo_user_uuid names the user first');

  await sandboxed.firstMatch('0600000002', as('u2'), far());
  t.equal(nameOf(await sandboxed.firstMatch('123', as('u1'), far())), 'Worker', "once the user's version moved, the worker answers");
});

t.test('withdrawn user answers are no longer read', async (t) => {
  const u1: CallArgs = { ...exact, user_uuid: 'u1', xivo_user_uuid: 'u1' };
  const sandboxed = publishing('per-user');
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', u1, far())), 'Published'), 'Published');
  // Asked for another user: u1's own calls are answered by the host and never reach the worker.
  await sandboxed.firstMatch('0600000003', { ...u1, user_uuid: 'u2', xivo_user_uuid: 'u2' }, far());
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', u1, far())), 'Worker'), 'Worker');
});

t.test('answers withdrawn while still being encoded are never sent', async (t) => {
  const u1: CallArgs = { ...exact, user_uuid: 'u1', xivo_user_uuid: 'u1' };
  const sandboxed = publishing('withdrawn-at-once');
  await sandboxed.firstMatch('warm-up', u1, far());
  await sleep(300);
  t.equal(nameOf(await sandboxed.firstMatch('123', u1, far())), 'Worker');
});

t.test('a worker that dies takes its answers with it; its successor publishes again', async (t) => {
  const sandboxed = publishing('honest');
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', exact, far())), 'Published'), 'Published');
  await sandboxed.firstMatch('0600000000', e164, far()).catch(() => null);
  const during = await sandboxed.firstMatch('123', exact, far()).then(nameOf, (error) => `refused: ${error.kind}`);
  t.not(during, 'Published', `not answered from a dead worker's answers (${during})`);
  t.equal(await eventually(async () => nameOf(await sandboxed.firstMatch('123', exact, far()).catch(() => null)), 'Published'), 'Published');
});

t.test('malformed or corrupt snapshots from a back-end never break a call', async (t) => {
  const garbage = publishing('garbage');
  await sleep(300);
  t.equal(nameOf(await garbage.firstMatch('123', exact, far())), 'Worker', 'a malformed snapshot is ignored');

  const corrupt = publishing('corrupt');
  await corrupt.firstMatch('warm-up', e164, far());
  await sleep(300);
  t.equal(nameOf(await corrupt.firstMatch('123', exact, far())), 'Worker', 'a row that does not decode is asked of the worker');
  const started = performance.now();
  t.equal(await corrupt.firstMatch('0987654321', suffix, far()), null, 'a table of one long collision chain ends its probe');
  t.ok(performance.now() - started < 1000);
});
