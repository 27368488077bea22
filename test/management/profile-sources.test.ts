import t from 'tap';
import { onEveryDatabase, type Client } from './setup.js';

const free = '/0.1/backends/schemaless/sources';
const names = (reply: { body: { items: Array<{ name: string }> } }) => reply.body.items.map((item) => item.name);

async function source(client: Client, name: string): Promise<{ uuid: string; tenant_uuid: string; name: string }> {
  const reply = await client.post(free, { name, extra: 'kept out of the listing' });
  if (reply.status !== 200) throw new Error(`source: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const sub = as('sub');
  const bravo = await source(admin, 'bravo');
  const alpha = await source(admin, 'Alpha');
  const charlie = await source(admin, 'charlie');
  await source(admin, 'unused');
  const profile = await admin.post('/0.1/profiles', {
    name: 'default',
    services: {
      lookup: { sources: [{ uuid: bravo.uuid }, { uuid: alpha.uuid }] },
      reverse: { sources: [{ uuid: alpha.uuid }, { uuid: charlie.uuid }], options: { timeout: 0.5 } },
      favorites: {},
    },
  });
  t.equal(profile.status, 201);
  const subSource = await source(sub, 'sub-source');
  t.equal((await sub.post('/0.1/profiles', { name: 'default', services: { lookup: { sources: [{ uuid: subSource.uuid }] } } })).status, 201);

  await t.test('distinct sources of every service', async (t) => {
    const reply = await admin.get('/0.1/directories/default/sources');
    t.equal(reply.status, 200);
    t.same(names(reply), ['Alpha', 'bravo', 'charlie'], 'each source once, ordered by name');
    t.same({ total: reply.body.total, filtered: reply.body.filtered }, { total: 3, filtered: 3 });
    t.same(reply.body.items[0], { uuid: alpha.uuid, tenant_uuid: dird.tenants.master, name: 'Alpha', backend: 'schemaless' });
  });

  await t.test('list parameters', async (t) => {
    const get = (query: Record<string, string | number>) => admin.get('/0.1/directories/default/sources', query);
    t.same(names(await get({ direction: 'desc' })), ['charlie', 'bravo', 'Alpha']);
    t.same(names(await get({ limit: 2, offset: 1 })), ['bravo', 'charlie']);
    const search = await get({ search: 'AR' });
    t.same(names(search), ['charlie'], 'search on the name, case-insensitive');
    t.same({ total: search.body.total, filtered: search.body.filtered }, { total: 3, filtered: 1 });
    t.same(names(await get({ search: 'LESS' })), ['Alpha', 'bravo', 'charlie'], 'search on the back-end');
    t.same(names(await get({ search: 'nothing' })), []);
    t.same(names(await get({ name: 'bravo' })), ['bravo'], 'name filter');
    t.same(names(await get({ name: 'brav' })), [], 'name filter is exact');
    t.same(names(await get({ uuid: charlie.uuid })), ['charlie'], 'uuid filter');
    t.same(names(await get({ backend: 'schemaless' })).length, 3, 'backend filter');
    t.same(names(await get({ backend: 'csv' })), []);
    t.same(names(await get({ order: 'backend' })).length, 3);
    const bad = await get({ order: 'uuid' });
    t.equal(bad.status, 400);
    t.equal(bad.body.error_id, 'invalid-data');
    t.equal((await get({ limit: -1 })).status, 400);
  });

  await t.test('tenants', async (t) => {
    t.same(names(await sub.get('/0.1/directories/default/sources')), ['sub-source'], "the request tenant's profile");
    t.same(names(await as('admin', dird.tenants.sub).get('/0.1/directories/default/sources')), ['sub-source'], 'Wazo-Tenant header');
    const other = await as('other').get('/0.1/directories/default/sources');
    t.equal(other.status, 404, 'no profile of that name in the tenant');
    t.match(other.body, { error_id: 'unknown-profile', details: { uuid: 'default' } });
  });

  await t.test('unknown profile and authentication', async (t) => {
    const unknown = await admin.get('/0.1/directories/nope/sources');
    t.equal(unknown.status, 404);
    t.match(unknown.body, { error_id: 'unknown-profile', resource: 'profiles' });
    t.equal((await as(null).get('/0.1/directories/default/sources')).status, 401);
    const noAcl = await as('noacl').get('/0.1/directories/default/sources');
    t.equal(noAcl.status, 401);
    t.equal(noAcl.body.error_id, 'unauthorized', 'API error shape');
  });

  await t.test('follows changes to sources and profiles', async (t) => {
    t.equal((await admin.put(`${free}/${bravo.uuid}`, { name: 'bravo-renamed' })).status, 204);
    t.same(names(await admin.get('/0.1/directories/default/sources')), ['Alpha', 'bravo-renamed', 'charlie'], 'a renamed source');
    t.equal((await admin.delete(`${free}/${charlie.uuid}`)).status, 204);
    t.same(names(await admin.get('/0.1/directories/default/sources')), ['Alpha', 'bravo-renamed'], 'a deleted source');
    t.equal((await admin.put(`/0.1/profiles/${profile.body.uuid}`, { name: 'default', services: { lookup: { sources: [{ uuid: alpha.uuid }] } } })).status, 204);
    t.same(names(await admin.get('/0.1/directories/default/sources')), ['Alpha'], 'an edited profile');
    t.equal((await admin.put(`/0.1/profiles/${profile.body.uuid}`, { name: 'renamed', services: {} })).status, 204);
    t.equal((await admin.get('/0.1/directories/default/sources')).status, 404, 'a renamed profile');
    t.same(names(await admin.get('/0.1/directories/renamed/sources')), []);
    const recreated = await admin.post('/0.1/profiles', { name: 'default', services: { x: { sources: [{ uuid: bravo.uuid }] } } });
    t.equal(recreated.status, 201);
    t.same(names(await admin.get('/0.1/directories/default/sources')), ['bravo-renamed'], 'a created profile');
    t.equal((await admin.delete(`/0.1/profiles/${recreated.body.uuid}`)).status, 204);
    t.equal((await admin.get('/0.1/directories/default/sources')).status, 404, 'a deleted profile');
  });
});
