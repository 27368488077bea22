// The sample back-end: its fixed entry by default; N synthetic contacts, latency and failures for load tests.
import t from 'tap';
import SampleBackend from '../../../plugins/backends/sample/index.js';
import { syntheticNumber } from '../../../plugins/backends/sample/contacts.js';
import type { CallArgs, SourceConfig } from '../../../src/contracts.js';
import { http, startDird } from '../../helpers/dird.js';

const args: CallArgs = { token: 'token', user_uuid: null, xivo_user_uuid: null, tenant_uuid: null };

function loadSample(extra: Partial<SourceConfig> = {}): SampleBackend {
  const backend = new SampleBackend();
  backend.load({
    config: {
      uuid: '00000000-0000-4000-8000-000000000001', tenant_uuid: '00000000-0000-4000-8000-0000000000aa',
      name: 'sample', backend: 'sample', searched_columns: [], first_matched_columns: [], format_columns: {}, ...extra,
    },
    main_config: {},
    host: {} as any,
  });
  return backend;
}

t.test('without contacts: the one fixed entry, as before', async (t) => {
  const backend = loadSample();
  t.same(await backend.search('anything'), [{ id: '1', firstname: 'John', lastname: 'Doe', number: '555' }]);
  t.equal((await backend.firstMatch('555'))?.lastname, 'Doe');
  t.equal(await backend.firstMatch('556'), null);
  t.same(Object.keys(await backend.matchAll(['555', '1'])), ['555']);
  t.same((await backend.list(['1', '2'])).map((row) => row.id), ['1']);
});

t.test('N synthetic contacts: the same on every load, searchable and reverse-findable', async (t) => {
  const backend = loadSample({ contacts: 1000 });
  const again = loadSample({ contacts: 1000 });
  t.same(await backend.search(''), await again.search(''), 'deterministic');
  t.equal((await backend.search('')).length, 1000);
  t.same(await backend.firstMatch(syntheticNumber(42)), {
    id: '42', firstname: 'Bruno', lastname: 'Dubois', number: '5550000042', email: 'contact42@example.com',
  });
  t.equal(await backend.firstMatch(syntheticNumber(1001)), null, 'past the last contact');
  t.equal((await backend.search('TESS')).length, 50, 'one contact in twenty is a Tess');
  t.same((await backend.search('tess')).slice(0, 2).map((row) => row.id), ['20', '40']);
  t.same(Object.keys(await backend.matchAll([syntheticNumber(7), '0', syntheticNumber(999)])), ['5550000007', '5550000999']);
  t.same((await backend.list(['3', 'x', '1000'])).map((row) => row.id), ['3', '1000']);
  const byEmail = loadSample({ contacts: 1000, searched_columns: ['email'], first_matched_columns: ['email'] });
  t.same((await byEmail.search('contact99@')).map((row) => row.id), ['99'], 'the source columns are honoured');
  t.equal((await byEmail.firstMatch('contact5@example.com'))?.id, '5');
  t.same(await loadSample({ contacts: 0 }).search(''), [], 'zero contacts: an empty directory');
});

t.test('error_rate fails that share of calls, evenly and repeatably', async (t) => {
  const outcomes = async (backend: SampleBackend) => {
    const seen: string[] = [];
    for (let i = 0; i < 8; i++) seen.push(await backend.firstMatch('555').then(() => 'ok', () => 'failed'));
    return seen;
  };
  const quarter = await outcomes(loadSample({ error_rate: 0.25 }));
  t.same(quarter, ['ok', 'ok', 'ok', 'failed', 'ok', 'ok', 'ok', 'failed']);
  t.same(await outcomes(loadSample({ error_rate: 0.25 })), quarter, 'the same on a new load');
  t.same(await outcomes(loadSample({ error_rate: 1 })), Array(8).fill('failed'));
  t.same(await outcomes(loadSample({ error_rate: 0, latency_ms: 1 })), Array(8).fill('ok'), 'latency alone does not fail');
});

t.test('through dird', async (t) => {
  const dird = await startDird();
  t.teardown(() => dird.close());
  const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);
  const display = (await api('POST', '/0.1/displays', { name: 'main', columns: [{ title: 'Name', field: 'name' }] })).body;
  const format_columns = { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' };
  const synthetic = await api('POST', '/0.1/backends/sample/sources', {
    name: 'synthetic', contacts: 10000, latency_ms: 1, error_rate: 0, searched_columns: ['firstname', 'lastname'], format_columns,
  });
  t.equal(synthetic.status, 200);
  t.match(synthetic.body, { contacts: 10000, latency_ms: 1, error_rate: 0 });
  const failing = await api('POST', '/0.1/backends/sample/sources', { name: 'failing', contacts: 10, error_rate: 1, format_columns });
  const fixed = await api('POST', '/0.1/backends/sample/sources', { name: 'fixed', format_columns: { name: 'fixed {firstname}' } });
  const profile = async (name: string, uuids: string[]) => {
    const sources = uuids.map((uuid) => ({ uuid }));
    const reply = await api('POST', '/0.1/profiles', {
      name, display: { uuid: display.uuid }, services: { lookup: { sources }, reverse: { sources } },
    });
    t.equal(reply.status, 201, `profile ${name}`);
  };
  await profile('load', [synthetic.body.uuid]);
  await profile('mixed', [failing.body.uuid, fixed.body.uuid]);

  t.test('10000 contacts: lookup and reverse', async (t) => {
    const lookup = await api('GET', '/0.1/directories/lookup/load?term=tess%20');
    t.equal(lookup.status, 200);
    t.same(lookup.body.results, [], 'no "tess " substring');
    const tess = await api('GET', '/0.1/directories/lookup/load?term=Lefebvre');
    t.equal(tess.body.results.length, 500, 'one contact in twenty has each last name');
    t.same(tess.body.results[0].column_values, ['Alice Lefebvre']);
    const reverse = await api('GET', `/0.1/directories/reverse/load/${dird.users.admin}?exten=${syntheticNumber(4242)}`);
    t.equal(reverse.status, 200);
    t.equal(reverse.body.display, 'Bruno Lefebvre');
    t.equal(reverse.body.fields.id, '4242');
    const miss = await api('GET', `/0.1/directories/reverse/load/${dird.users.admin}?exten=${syntheticNumber(10001)}`);
    t.same(miss.body, { display: null, exten: '5550010001', fields: {}, source: null });
  });

  t.test('error_rate 1: the source contributes nothing, the query still answers', async (t) => {
    const lookup = await api('GET', '/0.1/directories/lookup/mixed?term=alice');
    t.equal(lookup.status, 200);
    t.same(lookup.body.results.map((r: any) => r.source), ['fixed']);
    const reverse = await api('GET', `/0.1/directories/reverse/mixed/${dird.users.admin}?exten=${syntheticNumber(1)}`);
    t.equal(reverse.status, 200);
    t.equal(reverse.body.source, null, 'the failing source would have matched');
  });

  t.test('bad load-test options are refused with 400', async (t) => {
    const bad: [Record<string, unknown>, string][] = [
      [{ contacts: -1 }, 'contacts'], [{ contacts: 1.5 }, 'contacts'], [{ contacts: 'many' }, 'contacts'],
      [{ contacts: 1_000_001 }, 'contacts'], [{ latency_ms: -5 }, 'latency_ms'], [{ latency_ms: 'slow' }, 'latency_ms'],
      [{ error_rate: 2 }, 'error_rate'], [{ error_rate: -0.1 }, 'error_rate'],
    ];
    for (const [fields, field] of bad) {
      const reply = await api('POST', '/0.1/backends/sample/sources', { name: `bad-${field}`, ...fields });
      t.equal(reply.status, 400, JSON.stringify(fields));
      t.match(JSON.stringify(reply.body), field, 'the body names the field');
    }
    const put = await api('PUT', `/0.1/backends/sample/sources/${synthetic.body.uuid}`, { name: 'synthetic', error_rate: 7 });
    t.equal(put.status, 400);
  });
});
