// The google back-end through a whole dird (spec §4.7, §2.9): the caller's Google token from a wazo-auth
// stand-in, contacts from a People API stand-in.
import t from 'tap';
import { FakeWazoAuth } from '../../auth/fake-wazo-auth.js';
import { fakeGoogle } from '../../helpers/fake-google.js';
import { startDird, tenants, tokens, users } from '../../helpers/dird.js';

const auth = await new FakeWazoAuth({
  tokens: {
    [tokens.admin]: { user_uuid: users.admin, tenant_uuid: tenants.master, acl: [] },
    [tokens.sub]: { user_uuid: users.sub, tenant_uuid: tenants.sub, acl: [] },
  },
  tenants: [],
  externalTokens: { [users.admin]: { google: 'google-access' } },
}).start();
const google = await fakeGoogle('google-access', [
  { id: 'a1', givenName: 'Alice', familyName: 'Zed', phones: [{ value: '+33 6 11-22 (33)', type: 'mobile' }, { value: '5551234', type: 'work' }], emails: [{ value: 'alice@example.com', type: 'home' }], note: 'VIP' },
  { id: 'b2', givenName: 'bob', familyName: 'Young', phones: [{ value: '5559876' }] },
  { id: 'c3', givenName: 'Carla', familyName: 'Xavier' },
]).start();
const dird = await startDird({ config: { google: { people_url: `${google.url}/v1` } } });
t.teardown(async () => {
  await dird.close();
  await Promise.all([auth.stop(), google.stop()]);
});
const headers = { 'x-auth-token': dird.tokens.admin };

const source = (await dird.inject({ method: 'POST', url: '/0.1/backends/google/sources', headers, payload: {
  name: 'google',
  auth: { host: '127.0.0.1', port: auth.port, https: false, prefix: null },
  searched_columns: ['name', 'emails'],
  first_matched_columns: ['numbers'],
  format_columns: { phone: '{numbers[0]}' },
} })).json();
const display = (await dird.inject({ method: 'POST', url: '/0.1/displays', headers, payload: {
  name: 'google', columns: [{ title: 'Name', field: 'name' }, { title: 'Phone', field: 'phone' }],
} })).json();
await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
  name: 'google', display: { uuid: display.uuid },
  services: { lookup: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } }, reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
} });

t.test('source defaults', async (t) => {
  const bare = (await dird.inject({ method: 'POST', url: '/0.1/backends/google/sources', headers, payload: { name: 'bare' } })).json();
  t.same(bare.auth, { host: 'localhost', port: 443, https: true, verify_certificate: true, prefix: '/api/auth', version: '0.1' });
});

t.test('lookup goes through Google search, then filters on the searched columns', async (t) => {
  const results = (await dird.inject({ url: '/0.1/directories/lookup/google?term=ALI', headers })).json().results;
  t.same(results.map((r: any) => r.column_values), [['Alice Zed', '5551234']], 'numbers: non-mobile first');
  t.equal(results[0].relations.source_entry_id, 'a1');
  const search = google.hits('/v1/people:searchContacts');
  t.equal(search.at(-1)!.query.get('query'), 'ALI');
  t.equal(search.at(-2)!.query.get('query'), null, 'a warm-up request without query first');
  t.equal(search.at(-1)!.headers['gdata-version'], '3.0');
  t.equal(search.at(-1)!.headers['user-agent'], 'wazo_ua/1.0');
});

t.test('reverse: numbers are compared without spaces, dashes or parentheses; reverse shows the name', async (t) => {
  const answer = (await dird.inject({ url: `/0.1/directories/reverse/google/${dird.users.admin}?exten=%2B336112233`, headers })).json();
  t.equal(answer.display, 'Alice Zed');
  t.same(answer.fields.numbers_by_label, { mobile: '+336112233', work: '5551234' });
  t.same(answer.fields.numbers_except_label.mobile, ['5551234']);
  t.same(answer.fields.emails, [{ address: 'alice@example.com', label: 'home' }]);
  t.equal(answer.fields.note, 'VIP');
  const bob = (await dird.inject({ url: `/0.1/directories/reverse/google/${dird.users.admin}?exten=5559876`, headers })).json();
  t.equal(bob.display, 'bob Young');
  t.same(bob.fields.numbers_by_label, { other: '5559876' }, 'no type: "other"');
});

t.test('a user without a Google token gets nothing', async (t) => {
  const sub = { 'x-auth-token': dird.tokens.sub };
  const subSource = (await dird.inject({ method: 'POST', url: '/0.1/backends/google/sources', headers: sub, payload: {
    name: 'google', auth: { host: '127.0.0.1', port: auth.port, https: false, prefix: null }, searched_columns: ['name'],
  } })).json();
  await dird.inject({ method: 'POST', url: '/0.1/profiles', headers: sub, payload: {
    name: 'google', services: { lookup: { sources: [{ uuid: subSource.uuid }], options: { timeout: 5 } } },
  } });
  const lookup = await dird.inject({ url: '/0.1/directories/lookup/google?term=a', headers: sub });
  t.equal(lookup.statusCode, 200);
  t.same(lookup.json().results, []);
  const contacts = await dird.inject({ url: `/0.1/backends/google/sources/${subSource.uuid}/contacts`, headers: sub });
  t.equal(contacts.statusCode, 404);
  t.match(contacts.json(), { error_id: 'no-token-found', message: 'No google token found.' });
  const asked = auth.hits('GET', `/0.1/users/${users.sub}/external/google`).length;
  t.equal(asked, 1, 'wazo-auth asked once: "no token" is remembered for a few seconds');
});

t.test('GET …/contacts: sorted by name without case, paginated here, counts before pagination', async (t) => {
  const url = `/0.1/backends/google/sources/${source.uuid}/contacts`;
  const page = (await dird.inject({ url: `${url}?order=name&direction=desc&limit=2`, headers })).json();
  t.same(page.items.map((c: any) => c.name), ['Carla Xavier', 'bob Young']);
  t.same([page.total, page.filtered], [3, 3]);
  const searched = (await dird.inject({ url: `${url}?search=bob`, headers })).json();
  t.same(searched.items.map((c: any) => c.id), ['b2']);
  t.equal(google.hits('/v1/people:searchContacts').at(-1)!.query.get('query'), 'bob');
  const otherTenant = await dird.inject({ url, headers: { 'x-auth-token': dird.tokens.sub } });
  t.equal(otherTenant.statusCode, 404, 'a sub-tenant does not see its parent’s google source');
  t.equal(otherTenant.json().error_id, 'unknown-source');
});

t.test('Google failing: the call fails (counted as an error), the other sources of the profile still answer', async (t) => {
  const other = (await dird.inject({ method: 'POST', url: '/0.1/backends/latency/sources', headers, payload: {
    name: 'beside-google', first_matched_columns: ['number'], searched_columns: ['firstname'], format_columns: { reverse: '{firstname}', name: '{firstname}' }, number: '5551234',
  } })).json();
  const sources = [{ uuid: source.uuid }, { uuid: other.uuid }];
  await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
    name: 'google-beside', display: { uuid: display.uuid },
    services: { lookup: { sources, options: { timeout: 5 } }, reverse: { sources, options: { timeout: 5, order: 'priority' } } },
  } });
  const errors = async () => (await dird.inject({ url: '/0.1/metrics', headers })).body.split('\n')
    .filter((l) => l.startsWith('dird_source_call_errors_total{') && l.includes(`uuid="${source.uuid}"`) && l.includes('kind="backend"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  t.equal((await dird.inject({ url: `/0.1/directories/reverse/google-beside/${dird.users.admin}?exten=5551234`, headers })).json().display, 'Alice Zed', 'Google up: its answer first');
  const before = await errors();
  google.forcedStatus = 503;
  t.teardown(() => (google.forcedStatus = null));
  const reverse = await dird.inject({ url: `/0.1/directories/reverse/google-beside/${dird.users.admin}?exten=5551234`, headers });
  t.equal(reverse.statusCode, 200);
  t.equal(reverse.json().display, 'beside-google', 'Google down: the other source answers');
  const lookup = await dird.inject({ url: '/0.1/directories/lookup/google-beside?term=beside', headers });
  t.same(lookup.json().results.map((r: any) => r.source), ['beside-google']);
  t.equal(await errors(), before + 2, 'both failed calls counted');
});
