// The wazo back-end through a whole dird (spec §4.5, §2.9, §9): users of wazo-confd stand-ins, a service
// token from a wazo-auth stand-in, and confds that are down, slow or refusing.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { closedPort, FakeWazoAuth, until } from '../../auth/fake-wazo-auth.js';
import { fakeConfd, type ConfdUser } from '../../helpers/fake-confd.js';
import { startDird } from '../../helpers/dird.js';
import { selfSigned } from '../../helpers/self-signed.js';

const XIVO_UUID = '11111111-2222-4333-8444-555555555555';
const users: ConfdUser[] = [
  { id: 1, uuid: 'aaaaaaaa-0000-4000-8000-000000000001', firstname: 'Alice', lastname: 'Léger', exten: '1001', mobile_phone_number: '0611', line_id: 11, agent_id: 21, email: 'alice@example.com' },
  { id: 2, uuid: 'aaaaaaaa-0000-4000-8000-000000000002', firstname: 'Bob', lastname: 'Martin', exten: '1002', line_id: 12 },
];

const auth = await new FakeWazoAuth({ tokens: {}, tenants: [], service: { username: 'dird-wazo', password: 's3cret', tenant_uuid: '00000000-0000-4000-8000-00000000000a' } }).start();
const validToken = (token: string) => auth.knows(token);
const good = await fakeConfd({ uuid: XIVO_UUID, users, validToken }).start();
const refusing = await fakeConfd({ uuid: XIVO_UUID, users, validToken }).start();
refusing.forcedStatus = 404;
const slow = await fakeConfd({ uuid: XIVO_UUID, users: [{ id: 9, uuid: 'aaaaaaaa-0000-4000-8000-000000000009', firstname: 'Alicia', lastname: 'Slow', exten: '1009' }], validToken }).start();
slow.delayMs = 3000;
const downPort = await closedPort();
const dird = await startDird({ config: { services: { wazo_tokens: { token_expiration: 2 } } } });
t.teardown(async () => {
  await dird.close();
  await Promise.all([auth.stop(), good.stop(), refusing.stop(), slow.stop()]);
});
const headers = { 'x-auth-token': dird.tokens.admin };
const credentials = { host: '127.0.0.1', port: auth.port, https: false, prefix: null, username: 'dird-wazo', password: 's3cret' };

async function wazoSource(name: string, confdPort: number, authFields: Record<string, unknown> = credentials) {
  const response = await dird.inject({ method: 'POST', url: '/0.1/backends/wazo/sources', headers, payload: {
    name,
    auth: authFields,
    confd: { host: '127.0.0.1', port: confdPort, https: false, prefix: null },
    searched_columns: ['firstname', 'lastname'],
    first_matched_columns: ['exten', 'mobile_phone_number'],
    format_columns: { name: '{firstname} {lastname}', reverse: '{full_name}' },
  } });
  // No assertion before the subtests: tap would end the root test early.
  if (response.statusCode !== 200) throw new Error(`source ${name}: ${response.body}`);
  return response.json();
}

const sources = {
  good: await wazoSource('good', good.port),
  refusing: await wazoSource('refusing', refusing.port),
  slow: await wazoSource('slow', slow.port),
  down: await wazoSource('down', downPort),
};
const display = (await dird.inject({ method: 'POST', url: '/0.1/displays', headers, payload: {
  name: 'wazo', columns: [{ title: 'Name', field: 'name' }, { title: 'Number', field: 'exten' }],
} })).json();
const all = Object.values(sources).map((s) => ({ uuid: s.uuid }));
await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
  name: 'wazo', display: { uuid: display.uuid },
  services: { lookup: { sources: all, options: { timeout: 0.5 } }, reverse: { sources: all, options: { timeout: 0.5 } } },
} });

// Sandboxes start and fetch their first token on first use: wait for that before timing-sensitive lookups.
for (let attempt = 0; attempt < 50; attempt++) {
  const warm = (await dird.inject({ url: '/0.1/directories/lookup/wazo?term=ali', headers })).json();
  if (warm.results?.length) break;
}

t.test('lookup: the working confd answers with relations; refusing, slow and down ones add nothing', async (t) => {
  const response = await dird.inject({ url: '/0.1/directories/lookup/wazo?term=ali', headers });
  t.equal(response.statusCode, 200);
  const { results } = response.json();
  t.same(results.map((r: any) => r.column_values), [['Alice Léger', '1001']], 'only Alice, from the working source');
  t.same(results[0].relations, {
    xivo_id: XIVO_UUID, agent_id: 21, user_id: 1, user_uuid: users[0].uuid, endpoint_id: 11, source_entry_id: '1',
  });
  t.equal(results[0].source, 'good');
});

t.test('lookup filters locally on searched columns, accent-insensitively', async (t) => {
  const results = (await dird.inject({ url: '/0.1/directories/lookup/wazo?term=leg', headers })).json().results;
  t.same(results.map((r: any) => r.column_values[0]), ['Alice Léger']);
});

t.test('reverse by extension and by mobile number', async (t) => {
  const byExten = (await dird.inject({ url: `/0.1/directories/reverse/wazo/${dird.users.admin}?exten=1002`, headers })).json();
  t.equal(byExten.display, 'Bob Martin');
  t.equal(byExten.source, 'good');
  const byMobile = (await dird.inject({ url: `/0.1/directories/reverse/wazo/${dird.users.admin}?exten=0611`, headers })).json();
  t.equal(byMobile.display, 'Alice Léger');
  const none = (await dird.inject({ url: `/0.1/directories/reverse/wazo/${dird.users.admin}?exten=999`, headers })).json();
  t.same(none, { display: null, exten: '999', fields: {}, source: null });
});

t.test('reverse with e164 matching finds mobile numbers stored in other forms', async (t) => {
  const mobiles = await fakeConfd({ uuid: XIVO_UUID, validToken, users: [
    { id: 3, uuid: 'aaaaaaaa-0000-4000-8000-000000000003', firstname: 'Carol', lastname: 'Digits', exten: '1003', mobile_phone_number: '0612345678' },
    { id: 4, uuid: 'aaaaaaaa-0000-4000-8000-000000000004', firstname: 'Dan', lastname: 'Spaced', exten: '1004', mobile_phone_number: '+33 7 00 00 00 01' },
    { id: 5, uuid: 'aaaaaaaa-0000-4000-8000-000000000005', firstname: 'Eve', lastname: 'Exact', exten: '1005', mobile_phone_number: '06 12 34 56 78' },
  ] }).start();
  t.teardown(() => mobiles.stop());
  const source = await wazoSource('mobiles', mobiles.port);
  const created = await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
    name: 'wazo_e164', services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 2, number_matching: 'e164', default_region: 'FR' } } },
  } });
  t.equal(created.statusCode, 201, created.body);
  const reverse = async (exten: string) =>
    (await dird.inject({ url: `/0.1/directories/reverse/wazo_e164/${dird.users.admin}?exten=${encodeURIComponent(exten)}`, headers })).json().display;
  for (const exten of ['+33612345678', '0033612345678', '0612345678', '+33 6 12 34 56 78']) t.equal(await reverse(exten), 'Carol Digits', exten);
  t.equal(await reverse('+33 7 00 00 00 01'), 'Dan Spaced', 'a number stored with spaces, asked just so');
  t.equal(await reverse('06 12 34 56 78'), 'Eve Exact', 'the user holding the caller ID exactly wins over one holding another form of it');
  t.equal(await reverse('+33612345679'), null, 'another number');
  t.equal(await reverse('1003'), 'Carol Digits', 'extensions still match exactly');
});

t.test('confd is called with a service token from the source’s wazo-auth, renewed before it expires', async (t) => {
  const calls = good.hits('/1.1/users');
  t.ok(calls.length > 0);
  t.ok(calls.every((call) => auth.knows(String(call.headers['x-auth-token']))), 'every confd call carried a live service token');
  t.equal(calls[0].query.get('view'), 'directory');
  t.equal(calls[0].headers['wazo-tenant'], undefined, 'no Wazo-Tenant with username credentials');
  const first = auth.hits('POST', '/0.1/token')[0];
  t.match(String(first.headers.authorization), /^Basic /);
  t.ok(await until(() => auth.hits('POST', '/0.1/token').length >= 3, 10_000), 'tokens keep being renewed');
});

t.test('key-file credentials: confd calls name the source tenant', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dird-keys-'));
  const keyFile = join(dir, 'key.yml');
  writeFileSync(keyFile, 'service_id: dird-wazo\nservice_key: s3cret\n');
  const { host, port, https, prefix } = credentials;
  const source = await wazoSource('keyed', good.port, { host, port, https, prefix, key_file: keyFile });
  const profile = await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
    name: 'keyed', display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
  } });
  t.equal(profile.statusCode, 201);
  const before = good.requests.length;
  const results = (await dird.inject({ url: '/0.1/directories/lookup/keyed?term=bob', headers })).json().results;
  t.same(results.map((r: any) => r.column_values[0]), ['Bob Martin']);
  t.ok(good.requests.slice(before).every((call) => call.headers['wazo-tenant'] === dird.tenants.master));
});

t.test('source schema: auth needs exactly one of key_file or username', async (t) => {
  const post = (payload: any) => dird.inject({ method: 'POST', url: '/0.1/backends/wazo/sources', headers, payload });
  t.equal((await post({ name: 'no-auth' })).statusCode, 400);
  t.equal((await post({ name: 'both', auth: { ...credentials, key_file: '/k.yml' } })).statusCode, 400);
  t.equal((await post({ name: 'neither', auth: { host: 'x' } })).statusCode, 400);
  const created = (await post({ name: 'defaults', auth: { username: 'u', password: 'p' } })).json();
  t.same(created.auth, { host: 'localhost', port: 443, https: true, verify_certificate: true, prefix: '/api/auth', version: '0.1', username: 'u', password: 'p' });
  t.same(created.confd, { host: 'localhost', port: 443, https: true, verify_certificate: true, prefix: '/api/confd', version: '1.1' });
});

t.test('GET …/contacts lists the confd users, forwarding the list parameters', async (t) => {
  const response = await dird.inject({ url: `/0.1/backends/wazo/sources/${sources.good.uuid}/contacts?order=lastname&direction=desc&limit=1`, headers });
  t.equal(response.statusCode, 200);
  t.same(response.json(), {
    total: 2, filtered: 2,
    items: [{ id: 2, uuid: users[1].uuid, firstname: 'Bob', lastname: 'Martin', email: null, exten: '1002', mobile_phone_number: null, voicemail_number: null }],
  });
  const forwarded = good.hits('/1.1/users').at(-1)!.query;
  t.equal(forwarded.get('view'), 'directory');
  t.equal(forwarded.get('order'), 'lastname');
  t.equal(forwarded.get('direction'), 'desc');
  t.equal(forwarded.get('limit'), '1');
});

t.test('GET …/contacts: bad order 400, unknown source 404, confd down 503', async (t) => {
  const url = (uuid: string, query = '') => `/0.1/backends/wazo/sources/${uuid}/contacts${query}`;
  t.equal((await dird.inject({ url: url(sources.good.uuid, '?order=email'), headers })).statusCode, 400);
  const missing = await dird.inject({ url: url('00000000-0000-4000-8000-00000000ffff'), headers });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().error_id, 'unknown-source');
  const down = await dird.inject({ url: url(sources.down.uuid), headers });
  t.equal(down.statusCode, 503);
  t.equal(down.json().error_id, 'wazo-confd-error');
  t.same(down.json().details.wazo_confd_config, { host: '127.0.0.1', port: downPort, timeout: null });
  const other = await dird.inject({ url: url(sources.good.uuid), headers: { 'x-auth-token': dird.tokens.other } });
  t.equal(other.statusCode, 404, 'another tenant does not see the source');
});

t.test('HTTPS confd: verify_certificate false, or a CA file, reach a self-signed confd; default verification refuses it', async (t) => {
  const tls = selfSigned();
  const secure = await fakeConfd({ uuid: XIVO_UUID, users, validToken, tls }).start();
  t.teardown(() => secure.stop());
  const names: string[] = [];
  for (const [name, verify] of [['unverified', false], ['own-ca', tls.certFile], ['verified', true]] as const) {
    const response = await dird.inject({ method: 'POST', url: '/0.1/backends/wazo/sources', headers, payload: {
      name, auth: credentials, confd: { host: '127.0.0.1', port: secure.port, https: true, prefix: null, verify_certificate: verify },
      searched_columns: ['firstname'], format_columns: { name: '{firstname} {lastname}' },
    } });
    const profile = await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
      name: `tls-${name}`, display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: response.json().uuid }], options: { timeout: 5 } } },
    } });
    t.equal(profile.statusCode, 201);
    const results = (await dird.inject({ url: `/0.1/directories/lookup/tls-${name}?term=bob`, headers })).json().results;
    names.push(`${name}: ${results.map((r: any) => r.column_values[0]).join(',')}`);
  }
  t.same(names, ['unverified: Bob Martin', 'own-ca: Bob Martin', 'verified: ']);
});
