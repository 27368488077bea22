// Isolation matrix: alice and bob share a tenant, carol is in another; none of them sees or changes
// another's personal contacts or favorites, whatever route or id they use.
import t from 'tap';
import { onEveryDatabase, people, type Client, type Person } from './setup.js';

await onEveryDatabase(t, async (t, { as, dird }) => {
  const users: Person[] = ['alice', 'bob', 'carol'];
  const contact: Record<string, string> = {};
  for (const user of users) {
    const reply = await as(user).post('/0.1/personal', { firstname: `${user}'s friend`, number: `100${users.indexOf(user)}` });
    t.equal(reply.status, 201);
    contact[user] = reply.body.id;
  }
  // Each tenant has a profile `default` with a personal source and a listing source, both named alike.
  for (const [who, tenant] of [['admin', dird.tenants.master], ['carol', dird.tenants.other]] as const) {
    const client = as(who);
    const personal = (await client.post('/0.1/backends/personal/sources', {
      name: 'personal', searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: { reverse: '{firstname}' },
    })).body;
    const listing = (await client.post('/0.1/backends/listing/sources', { name: 'shared', searched_columns: ['firstname'], unique_column: 'id' })).body;
    t.equal(personal.tenant_uuid, tenant);
    const sources = [{ uuid: personal.uuid }, { uuid: listing.uuid }];
    const display = (await client.post('/0.1/displays', { name: 'd', columns: [{ title: 'Name', field: 'firstname' }] })).body;
    t.equal((await client.post('/0.1/profiles', {
      name: 'default', display: { uuid: display.uuid },
      services: { lookup: { sources }, reverse: { sources, options: { timeout: 5 } }, favorites: { sources } },
    })).status, 201);
  }
  for (const user of users) t.equal((await as(user).put(`/0.1/directories/favorites/personal/${contact[user]}`)).status, 204);

  const visibleNames = async (client: Client) => (await client.get('/0.1/personal')).body.items.map((c: any) => c.firstname);

  for (const owner of users) {
    for (const intruder of users.filter((user) => user !== owner)) {
      await t.test(`${intruder} vs ${owner}'s data`, async (t) => {
        const them = as(intruder);
        const id = contact[owner];
        t.equal((await them.get(`/0.1/personal/${id}`)).status, 404, 'GET by id');
        t.equal((await them.put(`/0.1/personal/${id}`, { firstname: 'hijacked' })).status, 404, 'PUT by id');
        t.equal((await them.delete(`/0.1/personal/${id}`)).status, 404, 'DELETE by id');
        t.same(await visibleNames(them), [`${intruder}'s friend`], 'list shows own contacts only');
        const stolen = await them.send('/0.1/personal/import', `id,firstname\n${id},thief\n`);
        t.same(stolen.body.reason, [{ line: 2, errors: [`contact "${id}" already exist`] }], 'import cannot take the id');
        t.equal((await them.delete(`/0.1/directories/favorites/personal/${id}`)).status, 404, "cannot remove the other's favorite");
        const lookup = await them.get('/0.1/directories/lookup/default', { term: 'friend' });
        t.same(lookup.body.results.map((r: any) => r.column_values[0]), [`${intruder}'s friend`], 'lookup sees own contacts only');
        const reverse = await them.get(`/0.1/directories/reverse/default/${people[intruder].user}`, { exten: `100${users.indexOf(owner)}` });
        t.equal(reverse.body.display, null, "reverse does not find the other's number");
        const favorites = await them.get('/0.1/directories/favorites/default');
        t.same(favorites.body.results.map((r: any) => r.column_values[0]), [`${intruder}'s friend`], 'favorites are per user');
        const mine = await them.get('/0.1/directories/personal/default');
        t.same(mine.body.results.map((r: any) => r.column_values[0]), [`${intruder}'s friend`]);
        // The owner still has everything.
        t.same(await visibleNames(as(owner)), [`${owner}'s friend`]);
      });
    }
  }

  await t.test('favorites resolve source names in the request tenant only', async (t) => {
    t.equal((await as('alice').put('/0.1/directories/favorites/shared/shared-1')).status, 204);
    t.equal((await as('carol').put('/0.1/directories/favorites/shared/shared-2')).status, 204);
    const alices = (await as('alice').get('/0.1/directories/favorites/default')).body.results.map((r: any) => r.relations.source_entry_id);
    t.same(alices.sort(), [contact.alice, 'shared-1'].sort());
    const carols = (await as('carol').get('/0.1/directories/favorites/default')).body.results.map((r: any) => r.relations.source_entry_id);
    t.same(carols.sort(), [contact.carol, 'shared-2'].sort());
    t.equal((await as('alice', dird.tenants.other).put('/0.1/directories/favorites/shared/shared-3')).status, 401,
      "a Wazo-Tenant the token cannot see");
  });

  await t.test('purge and user deletion touch only the owner', async (t) => {
    t.equal((await as('bob').delete('/0.1/personal')).status, 204);
    t.same(await visibleNames(as('bob')), []);
    t.same(await visibleNames(as('alice')), ["alice's friend"]);
    t.same(await visibleNames(as('carol')), ["carol's friend"]);
    await dird.dird.services.personal.deleteUser(people.carol.user);
    await dird.dird.services.favorites.deleteUser(people.carol.user);
    t.same(await visibleNames(as('carol')), []);
    t.same((await as('carol').get('/0.1/directories/favorites/default')).body.results, []);
    t.same(await visibleNames(as('alice')), ["alice's friend"]);
    t.equal((await as('alice').get('/0.1/directories/favorites/default')).body.results.length, 2);
  });
});
