// Number matching in a back-end that filters fetched contacts locally (office365): e164 finds a Graph
// contact whatever form its number is written in; an exact profile does not.
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
  { id: 'm1', displayName: 'Zoé Martin', givenName: 'Zoé', surname: 'Martin', mobilePhone: '06 12 34 56 78' },
  { id: 'm2', displayName: 'Bea Jones', givenName: 'Bea', surname: 'Jones', businessPhones: ['+44 20 7946 0958'] },
]).start();
const dird = await startDird();
t.teardown(async () => {
  await dird.close();
  await Promise.all([auth.stop(), graph.stop()]);
});
const headers = { 'x-auth-token': dird.tokens.admin };
const source = (await dird.inject({ method: 'POST', url: '/0.1/backends/office365/sources', headers, payload: {
  name: 'o365', auth: { host: '127.0.0.1', port: auth.port, https: false, prefix: null }, endpoint: `${graph.url}/v1.0/me/contacts`,
  searched_columns: ['displayName'], first_matched_columns: ['numbers'], format_columns: { name: '{displayName}' },
} })).json();
for (const [name, options] of [['exact', {}], ['e164', { number_matching: 'e164', default_region: 'FR' }]] as const) {
  await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
    name, services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5, ...options } } },
  } });
}
const reverse = async (profile: string, exten: string) =>
  (await dird.inject({ url: `/0.1/directories/reverse/${profile}/${dird.users.admin}?exten=${encodeURIComponent(exten)}`, headers })).json().display;

t.test('e164 matches the fetched contacts in any form; exact does not', async (t) => {
  t.equal(await reverse('e164', '+33612345678'), 'Zoé');
  t.equal(await reverse('e164', '0033 6 12 34 56 78'), 'Zoé');
  t.equal(await reverse('e164', '00442079460958'), 'Bea');
  t.equal(await reverse('e164', '+33612345679'), null);
  t.equal(await reverse('exact', '+33612345678'), null);
  t.equal(await reverse('exact', '06 12 34 56 78'), 'Zoé');
});
