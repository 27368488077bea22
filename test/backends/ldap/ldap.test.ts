// The ldap back-end through dird's HTTP API against a real slapd (spec §4.3, §9): substring and accented
// searches, reverse, custom filter, escaping, paging past the size limit, binding, a dead and a hung
// server, and a server restarted under a running dird.
import { createServer, type Socket } from 'node:net';
import { Client } from 'ldapts';
import t from 'tap';
import { http, startDird } from '../../helpers/dird.js';
import { BASE_DN, PEOPLE_DN, READER_DN, READER_PASSWORD, freePort, startSlapd } from '../../helpers/slapd.js';
import { BULK, GUIDS, SIZE_LIMIT, people } from './fixture.js';

const slapd = await startSlapd({ entries: people, sizeLimit: SIZE_LIMIT });
t.teardown(() => slapd.close());
const dird = await startDird();
t.teardown(() => dird.close());
const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);

const display = (await api('POST', '/0.1/displays', {
  name: 'ldap',
  columns: [{ title: 'Name', field: 'name' }, { title: 'Number', field: 'phone', type: 'number' }, { title: 'City', field: 'l' }],
})).body;

const formats = { name: '{cn}', phone: '{telephoneNumber}', reverse: '{cn}', l: '{l}' };
let sourceCount = 0;

async function ldapSource(extra: Record<string, unknown> = {}) {
  const response = await api('POST', '/0.1/backends/ldap/sources', {
    name: `ldap${++sourceCount}`,
    ldap_uri: slapd.url,
    ldap_base_dn: PEOPLE_DN,
    searched_columns: ['cn', 'telephoneNumber'],
    first_matched_columns: ['telephoneNumber', 'mobile'],
    format_columns: formats,
    unique_column: 'entryUUID',
    // Generous: the suite shares two cores; the defaults (0.3 s, 1 s) are upstream's, tested elsewhere.
    ldap_network_timeout: 5,
    ldap_timeout: 5,
    ...extra,
  });
  if (response.status !== 200) throw new Error(`source not created: ${JSON.stringify(response.body)}`);
  return response.body;
}

async function profile(sources: Array<{ uuid: string }>, timeout = 15) {
  const name = `profile${++sourceCount}`;
  const created = await api('POST', '/0.1/profiles', {
    name, display: { uuid: display.uuid },
    services: { lookup: { sources, options: { timeout } }, reverse: { sources, options: { timeout } } },
  });
  if (created.status !== 201) throw new Error(`profile not created: ${JSON.stringify(created.body)}`);
  return name;
}

const lookup = async (name: string, term: string) => {
  const { status, body } = await api('GET', `/0.1/directories/lookup/${name}?term=${encodeURIComponent(term)}`);
  if (status !== 200) throw new Error(`lookup answered ${status}: ${JSON.stringify(body)}`);
  return body.results as Array<{ column_values: unknown[]; source: string; relations: Record<string, unknown> }>;
};
const names = async (name: string, term: string) => (await lookup(name, term)).map((r) => r.column_values[0]).sort();
const reverse = async (name: string, exten: string) =>
  (await api('GET', `/0.1/directories/reverse/${name}/${dird.users.admin}?exten=${exten}`)).body;

const main = await ldapSource();
const mainProfile = await profile([{ uuid: main.uuid }]);

t.test('source CRUD: the schema fills defaults and rejects bad fields with a 400', async (t) => {
  const got = await api('GET', `/0.1/backends/ldap/sources/${main.uuid}`);
  t.match(got.body, { ldap_uri: slapd.url, ldap_base_dn: PEOPLE_DN, ldap_username: null, unique_column_format: 'string', ldap_starttls: false });
  const bad = await api('POST', '/0.1/backends/ldap/sources', { name: 'bad', ldap_uri: 'http://x', ldap_base_dn: '' });
  t.equal(bad.status, 400);
  t.match(JSON.stringify(bad.body), /ldap_uri|ldap_base_dn/);
  const badFormat = await api('POST', '/0.1/backends/ldap/sources', { name: 'bad2', ldap_uri: slapd.url, ldap_base_dn: BASE_DN, unique_column_format: 'guid' });
  t.equal(badFormat.status, 400);
});

t.test('lookup: substring on cn and number, accents both ways, first value of each attribute', async (t) => {
  t.same(await names(mainProfile, 'ali'), ['Alice Ardent']);
  t.same(await names(mainProfile, '5551000002'), ['Bob Bernier']);
  t.same(await names(mainProfile, 'ç'), ['François Garçon'], 'a non-ASCII term');
  t.same(await names(mainProfile, 'GARÇON'), ['François Garçon'], 'case-insensitive on accented letters too');
  t.same(await names(mainProfile, 'nobody'), []);
  const [alice] = await lookup(mainProfile, 'alice');
  t.same(alice.column_values, ['Alice Ardent', '5551000001', 'Québec']);
  t.equal(alice.source, main.name);
  t.match(alice.relations.source_entry_id, /^[0-9a-f-]{36}$/, 'entryUUID is the unique column');
});

t.test('escaping: special characters are matched literally', async (t) => {
  t.same(await names(mainProfile, '(star*)'), ['Weird (star*) Name']);
  t.same(await names(mainProfile, '*'), ['Weird (star*) Name'], 'a star is not a wildcard');
  t.same(await names(mainProfile, ')(cn=*'), [], 'no filter injection');
});

t.test('reverse: either first-matched column, or an empty match', async (t) => {
  t.match(await reverse(mainProfile, '5551000001'), { display: 'Alice Ardent', source: main.name, fields: { l: 'Québec' } });
  t.match(await reverse(mainProfile, '5552000001'), { display: 'Alice Ardent' }, 'matched on mobile');
  t.same(await reverse(mainProfile, '555100000'), { display: null, exten: '555100000', fields: {}, source: null }, 'exact, not substring');
});

t.test('custom filter with %Q restricts to a city', async (t) => {
  const quebec = await ldapSource({ ldap_custom_filter: '(l=Québec)', searched_columns: ['cn'] });
  const quebecOnly = await ldapSource({ ldap_custom_filter: '(&(l=Québec)(|(cn=*%Q*)(sn=*%Q*)))', searched_columns: [] });
  const name = await profile([{ uuid: quebec.uuid }]);
  const onlyName = await profile([{ uuid: quebecOnly.uuid }]);
  t.same(await names(name, 'r'), ['Alice Ardent', 'François Garçon'], 'Bob of Montréal is outside the filter');
  t.same(await names(onlyName, 'ardent'), ['Alice Ardent']);
  t.same(await names(onlyName, 'bernier'), []);
  t.equal((await reverse(name, '5551000002')).display, null);
  t.equal((await reverse(name, '5551000003')).display, 'François Garçon');
});

t.test('paging: more matches than the server size limit all come back', async (t) => {
  const raw = new Client({ url: slapd.url });
  t.teardown(() => raw.unbind());
  await raw.bind(READER_DN, READER_PASSWORD);
  await t.rejects(raw.search(PEOPLE_DN, { filter: '(sn=Bulk)' }), { code: 4 }, `the server refuses more than ${SIZE_LIMIT} without paging`);
  const reader = await ldapSource({ ldap_username: READER_DN, ldap_password: READER_PASSWORD });
  const name = await profile([{ uuid: reader.uuid }]);
  const results = await lookup(name, 'bulk person');
  t.equal(results.length, BULK);
  t.equal(new Set(results.map((r) => r.column_values[0])).size, BULK, 'every entry once');
});

t.test('bind: good credentials work, bad ones answer nothing without breaking other sources', async (t) => {
  const good = await ldapSource({ ldap_username: READER_DN, ldap_password: READER_PASSWORD });
  const bad = await ldapSource({ ldap_username: READER_DN, ldap_password: 'wrong' });
  const name = await profile([{ uuid: good.uuid }, { uuid: bad.uuid }]);
  const results = await lookup(name, 'bob');
  t.same(results.map((r) => r.source), [good.name]);
  t.equal((await reverse(name, '5551000002')).source, good.name);
});

t.test('binary_uuid unique column: an AD-like objectGUID as a UUID string', async (t) => {
  const guid = await ldapSource({ unique_column: 'objectGUID', unique_column_format: 'binary_uuid' });
  const name = await profile([{ uuid: guid.uuid }]);
  const results = [...await lookup(name, 'ardent'), ...await lookup(name, 'bernier')];
  const ids = Object.fromEntries(results.map((r) => [r.column_values[0], r.relations.source_entry_id]));
  t.equal(ids['Alice Ardent'], GUIDS.alice);
  t.equal(ids['Bob Bernier'], GUIDS.bob);
});

t.test('a source without searched columns nor custom filter answers nothing; others still answer', async (t) => {
  const empty = await ldapSource({ searched_columns: [] });
  const name = await profile([{ uuid: empty.uuid }, { uuid: main.uuid }]);
  t.same((await lookup(name, 'alice')).map((r) => r.source), [main.name]);
});

t.test('server down: nothing listening answers nothing, the other sources still answer', async (t) => {
  const down = await ldapSource({ ldap_uri: `ldap://127.0.0.1:${await freePort()}` });
  const name = await profile([{ uuid: down.uuid }, { uuid: main.uuid }]);
  t.same((await lookup(name, 'alice')).map((r) => r.source), [main.name]);
  t.equal((await reverse(name, '5551000001')).source, main.name);
  const alone = await profile([{ uuid: down.uuid }]);
  t.same(await lookup(alone, 'alice'), []);
  t.equal((await reverse(alone, '5551000001')).display, null);
});

t.test('hung server: accepts connections, never answers; lookups end at the profile timeout with the others', async (t) => {
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { sockets.forEach((s) => s.destroy()); hung.close(() => resolve()); }));
  const port = (hung.address() as { port: number }).port;
  const stuck = await ldapSource({ ldap_uri: `ldap://127.0.0.1:${port}`, ldap_timeout: 30, ldap_network_timeout: 30 });
  const name = await profile([{ uuid: stuck.uuid }, { uuid: main.uuid }], 2);
  t.same((await lookup(name, 'alice')).map((r) => r.source), [main.name]);
  t.equal((await reverse(name, '5551000001')).source, main.name);
});

t.test('server restarted under a running dird: picked up again', async (t) => {
  const own = await startSlapd({ entries: people.slice(0, 3) });
  t.teardown(() => own.close());
  const source = await ldapSource({ ldap_uri: own.url });
  const name = await profile([{ uuid: source.uuid }]);
  t.same(await names(name, 'bob'), ['Bob Bernier']);
  await own.stop();
  t.same(await lookup(name, 'bob'), [], 'down: nothing, no error');
  t.equal((await reverse(name, '5551000002')).display, null);
  await own.start();
  t.same(await names(name, 'bob'), ['Bob Bernier'], 'up again, same dird');
  t.equal((await reverse(name, '5551000002')).display, 'Bob Bernier');
});
