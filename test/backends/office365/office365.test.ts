// The office365 back-end through a whole dird (spec §4.8, §2.9): the caller's Microsoft token from a
// wazo-auth stand-in, contacts from a Graph stand-in that pages with @odata.nextLink.
import t from 'tap';
import { FakeWazoAuth } from '../../auth/fake-wazo-auth.js';
import { fakeGraph } from '../../helpers/fake-graph.js';
import { startDird, tenants, tokens, users } from '../../helpers/dird.js';

const auth = await new FakeWazoAuth({
  tokens: { [tokens.admin]: { user_uuid: users.admin, tenant_uuid: tenants.master, acl: [] } },
  tenants: [],
  externalTokens: { [users.admin]: { microsoft: 'ms-access' } },
}).start();
const graph = await fakeGraph('ms-access', [
  { id: 'm1', displayName: 'Zoé Martin', givenName: 'Zoé', surname: 'Martin', mobilePhone: '0611', businessPhones: ['0122'], emailAddresses: [{ name: 'Zoé', address: 'zoe@example.com' }] },
  { id: 'm2', displayName: 'adam Smith', givenName: 'adam', surname: 'Smith', homePhones: ['0433'] },
  { id: 'm3', displayName: 'Bea Jones', givenName: 'Bea', surname: 'Jones', businessPhones: ['0155', '0166'] },
  { id: 'm4', displayName: 'No Given', surname: 'Given' },
  { id: 'm5', displayName: 'Yann Smithers', givenName: 'Yann', surname: 'Smithers' },
]).start();
const dird = await startDird();
t.teardown(async () => {
  await dird.close();
  await Promise.all([auth.stop(), graph.stop()]);
});
const headers = { 'x-auth-token': dird.tokens.admin };
const authSettings = { host: '127.0.0.1', port: auth.port, https: false, prefix: null };

const source = (await dird.inject({ method: 'POST', url: '/0.1/backends/office365/sources', headers, payload: {
  name: 'o365', auth: authSettings, endpoint: `${graph.url}/v1.0/me/contacts`,
  searched_columns: ['displayName', 'surname'], first_matched_columns: ['numbers'],
  format_columns: { name: '{displayName}' },
} })).json();
await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
  name: 'o365',
  services: { lookup: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } }, reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
} });

t.test('the endpoint defaults to Graph', async (t) => {
  const bare = (await dird.inject({ method: 'POST', url: '/0.1/backends/office365/sources', headers, payload: { name: 'bare' } })).json();
  t.equal(bare.endpoint, 'https://graph.microsoft.com/v1.0/me/contacts');
});

t.test('lookup follows every @odata.nextLink page and sorts by givenName', async (t) => {
  const results = (await dird.inject({ url: '/0.1/directories/lookup/o365?term=smith', headers })).json().results;
  t.same(results.map((r: any) => r.relations.source_entry_id), ['m2', 'm5']);
  t.ok(graph.requests.some((r) => r.query.get('$count') === 'true'), 'counted first');
  t.ok(graph.requests.some((r) => r.query.get('$skip') === '4'), 'followed the links to the last page');
  const call = graph.requests.at(-1)!;
  t.equal(call.headers['return-client-request-id'], 'true');
  t.match(String(call.headers['client-request-id']), /^[0-9a-f-]{36}$/);
});

t.test('reverse on any number; reverse shows givenName; numbers are augmented', async (t) => {
  const reverse = (exten: string) => dird.inject({ url: `/0.1/directories/reverse/o365/${dird.users.admin}?exten=${exten}`, headers }).then((r) => r.json());
  const zoe = await reverse('0122');
  t.equal(zoe.display, 'Zoé');
  t.same(zoe.fields.numbers, ['0611', '0122']);
  t.equal(zoe.fields.email, 'zoe@example.com');
  t.same(zoe.fields.numbers_except_label, { businessPhones: ['0611'], homePhones: ['0611', '0122'], mobilePhone: ['0122'] });
  t.equal((await reverse('0166')).display, 'Bea');
  t.equal((await reverse('0999')).display, null);
});

t.test('GET …/contacts: raw Graph contacts, order mapped to Graph names, search ignored', async (t) => {
  const url = `/0.1/backends/office365/sources/${source.uuid}/contacts`;
  const byFirst = (await dird.inject({ url: `${url}?order=firstname&limit=3&search=nothing-matches`, headers })).json();
  t.same(byFirst.items.map((c: any) => c.id), ['m2', 'm3', 'm5'], 'givenName without case; a missing one last');
  t.same([byFirst.total, byFirst.filtered], [5, 5]);
  t.equal(byFirst.items[0].numbers, undefined, 'not augmented');
  const byDefault = (await dird.inject({ url: `${url}?direction=desc&limit=1`, headers })).json();
  t.same(byDefault.items.map((c: any) => c.displayName), ['Zoé Martin']);
  const noToken = await dird.inject({ url, headers: { 'x-auth-token': dird.tokens.noacl } });
  t.equal(noToken.statusCode, 401, 'no ACL');
  graph.forcedStatus = 500;
  const failed = await dird.inject({ url, headers });
  graph.forcedStatus = null;
  t.equal(failed.statusCode, 503);
  t.same(failed.json().error_id, 'unexpected-endpoint-error');
  t.equal(failed.json().details.endpoint, `${graph.url}/v1.0/me/contacts`);
});

t.test('a user without a Microsoft token: no lookup results, 404 on contacts', async (t) => {
  const before = graph.requests.length;
  auth.externalTokensOf(users.admin).microsoft = '';
  const lookup = (await dird.inject({ url: '/0.1/directories/lookup/o365?term=smith', headers })).json();
  t.same(lookup.results, []);
  const contacts = await dird.inject({ url: `/0.1/backends/office365/sources/${source.uuid}/contacts`, headers });
  t.equal(contacts.statusCode, 404);
  t.equal(contacts.json().error_id, 'no-token-found');
  t.equal(graph.requests.length, before, 'Graph never called');
});
