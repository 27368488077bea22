import t from 'tap';
import { contactHash } from '../../src/storage/contact-hash.js';
import { legacy, onEveryDatabase, UNKNOWN_UUID } from './setup.js';

const names = (reply: { body: { items: Array<{ name: string }> } }) => reply.body.items.map((item) => item.name);

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');

  await t.test('phonebook CRUD', async (t) => {
    const created = await admin.post('/0.1/phonebooks', { name: 'Sales', description: 'the sales team' });
    t.equal(created.status, 201);
    t.match(created.body, { id: Number, uuid: /^[0-9a-f-]{36}$/, name: 'Sales', description: 'the sales team', tenant_uuid: dird.tenants.master });
    const { uuid } = created.body;
    t.same((await admin.get(`/0.1/phonebooks/${uuid}`)).body, created.body);
    t.same((await admin.get(`/0.1/phonebooks/${uuid.toUpperCase()}`)).body, created.body, 'the uuid is read in any case');

    const noDescription = await admin.post('/0.1/phonebooks', { name: 'Bare' });
    t.equal(noDescription.status, 201);
    t.equal(noDescription.body.description, null);

    const updated = await admin.put(`/0.1/phonebooks/${uuid}`, { name: 'Sales EU', description: null });
    t.equal(updated.status, 200, 'PUT answers 200 with the phonebook, like wazo-dird');
    t.same(updated.body, { ...created.body, name: 'Sales EU', description: null });
    t.same((await admin.get(`/0.1/phonebooks/${uuid}`)).body, updated.body);

    t.equal((await admin.delete(`/0.1/phonebooks/${noDescription.body.uuid}`)).status, 204);
    const gone = await admin.get(`/0.1/phonebooks/${noDescription.body.uuid}`);
    t.equal(gone.status, 404);
    t.match(gone.body, legacy(404, `No such phonebook in tenants ['${dird.tenants.master}']: {'uuid': '${noDescription.body.uuid}'}`));
    t.equal((await admin.delete(`/0.1/phonebooks/${noDescription.body.uuid}`)).status, 404);
    t.equal((await admin.put(`/0.1/phonebooks/${UNKNOWN_UUID}`, { name: 'x' })).status, 404);
    await admin.delete(`/0.1/phonebooks/${uuid}`);
  });

  await t.test('a phonebook segment that is not a UUID matches no route', async (t) => {
    const miss = await admin.get('/0.1/phonebooks/not-a-uuid');
    t.equal(miss.status, 404);
    t.equal((await admin.get('/0.1/phonebooks/42/contacts')).status, 404);
  });

  await t.test('invalid and duplicate phonebooks', async (t) => {
    const first = await admin.post('/0.1/phonebooks', { name: 'Unique' });
    const duplicate = await admin.post('/0.1/phonebooks', { name: 'Unique' });
    t.equal(duplicate.status, 409);
    t.match(duplicate.body, legacy(409, 'Duplicating phonebook'));
    const other = await admin.post('/0.1/phonebooks', { name: 'Other' });
    t.equal((await admin.put(`/0.1/phonebooks/${other.body.uuid}`, { name: 'Unique' })).status, 409);
    for (const [label, body] of [
      ['missing name', { description: 'x' }],
      ['empty name', { name: '' }],
      ['long name', { name: 'x'.repeat(256) }],
      ['non-string name', { name: 42 }],
      ['non-string description', { name: 'ok', description: 3 }],
      ['array body', ['x']],
      ['null body', null],
    ] as const) {
      const reply = await admin.post('/0.1/phonebooks', body);
      t.equal(reply.status, 400, label);
      t.match(reply.body, legacy(400, /name|description|Invalid input/), label);
    }
    t.equal((await admin.put(`/0.1/phonebooks/${first.body.uuid}`, { name: '' })).status, 400);
    t.equal((await admin.post('/0.1/phonebooks', { name: 'x'.repeat(255) })).status, 201, '255 characters are fine');
  });

  await t.test('phonebook list: order, direction, search, pagination', async (t) => {
    const fresh = as('other');
    for (const [name, description] of [['b-team', 'zulu'], ['A-team', 'yankee'], ['c-team', null]]) {
      t.equal((await fresh.post('/0.1/phonebooks', { name, description })).status, 201);
    }
    const all = await fresh.get('/0.1/phonebooks');
    t.equal(all.status, 200);
    t.same(Object.keys(all.body).sort(), ['items', 'total'], 'no `filtered`');
    t.same(names(all), ['A-team', 'b-team', 'c-team']);
    t.equal(all.body.total, 3);
    t.same(names(await fresh.get('/0.1/phonebooks', { direction: 'desc' })), ['c-team', 'b-team', 'A-team']);
    t.same(names(await fresh.get('/0.1/phonebooks', { order: 'description' })), ['A-team', 'b-team', 'c-team'], 'yankee, zulu, then no description');
    t.same(names(await fresh.get('/0.1/phonebooks', { order: 'description', direction: 'desc' })), ['c-team', 'b-team', 'A-team'], 'no description first in desc');
    const search = await fresh.get('/0.1/phonebooks', { search: 'ZUL' });
    t.same(names(search), ['b-team'], 'search is case-insensitive, on description too');
    t.equal(search.body.total, 1, 'total honours search');
    t.same(names(await fresh.get('/0.1/phonebooks', { search: 'team' })).length, 3);
    t.same(names(await fresh.get('/0.1/phonebooks', { limit: 1, offset: 1 })), ['b-team']);
    t.equal((await fresh.get('/0.1/phonebooks', { order: 'tenant_uuid' })).status, 400);
    t.equal((await fresh.get('/0.1/phonebooks', { limit: -1 })).status, 400);
  });

  await t.test('contact CRUD', async (t) => {
    const { body: book } = await admin.post('/0.1/phonebooks', { name: 'Contacts' });
    const base = `/0.1/phonebooks/${book.uuid}/contacts`;
    const alice = { firstname: 'Alice', lastname: 'Liddell', number: '1001' };
    const created = await admin.post(base, { ...alice, id: 'ignored' });
    t.equal(created.status, 201);
    t.match(created.body, { ...alice, id: /^[0-9a-f-]{36}$/ });
    t.not(created.body.id, 'ignored', 'an id in the body is dropped');
    const id = created.body.id;
    t.same((await admin.get(`${base}/${id}`)).body, created.body);

    const duplicate = await admin.post(base, alice);
    t.equal(duplicate.status, 409);
    t.match(duplicate.body, legacy(409, 'Duplicate contact'));

    const replaced = await admin.put(`${base}/${id}`, { firstname: 'Alicia', number: '1002' });
    t.equal(replaced.status, 200);
    t.same(replaced.body, { firstname: 'Alicia', number: '1002', id }, 'fields fully replaced');
    t.same((await admin.get(`${base}/${id}`)).body, replaced.body);

    const bob = await admin.post(base, { firstname: 'Bob' });
    const clash = await admin.put(`${base}/${bob.body.id}`, { firstname: 'Alicia', number: '1002' });
    t.equal(clash.status, 409, 'an edit making a duplicate is refused');
    t.same((await admin.get(`${base}/${bob.body.id}`)).body, bob.body, 'and changes nothing');

    for (const [label, body, reason] of [
      ['empty', {}, 'Contacts cannot be empty'],
      ['only an id', { id: 'x' }, 'Contacts cannot be empty'],
      ['empty key', { '': 'x' }, 'Contacts cannot have empty keys'],
      ['not an object', 'text', 'Contacts must be objects'],
      ['nested value', { a: { b: 1 } }, 'cannot be objects'],
    ] as const) {
      const reply = await admin.post(base, body);
      t.equal(reply.status, 400, label);
      t.match(reply.body, legacy(400, reason), label);
    }

    const missing = await admin.get(`${base}/${UNKNOWN_UUID}`);
    t.equal(missing.status, 404);
    t.match(missing.body, legacy(404, `No such contact: ${UNKNOWN_UUID}`));
    t.equal((await admin.put(`${base}/${UNKNOWN_UUID}`, { a: 'b' })).status, 404);
    t.equal((await admin.delete(`${base}/${UNKNOWN_UUID}`)).status, 404);
    t.equal((await admin.post(`/0.1/phonebooks/${UNKNOWN_UUID}/contacts`, alice)).status, 404);

    t.equal((await admin.delete(`${base}/${id}`)).status, 204);
    t.equal((await admin.get(`${base}/${id}`)).status, 404);

    // Another phonebook's contact is not reachable through this one.
    const { body: second } = await admin.post('/0.1/phonebooks', { name: 'Second' });
    t.equal((await admin.get(`/0.1/phonebooks/${second.uuid}/contacts/${bob.body.id}`)).status, 404);
    t.equal((await admin.delete(`/0.1/phonebooks/${second.uuid}/contacts/${bob.body.id}`)).status, 404);
    t.equal((await admin.post(`/0.1/phonebooks/${second.uuid}/contacts`, { firstname: 'Bob' })).status, 201, 'duplicates are per phonebook');

    t.equal((await admin.delete(`/0.1/phonebooks/${book.uuid}`)).status, 204);
    t.equal((await admin.get(`${base}/${bob.body.id}`)).status, 404, 'deleting a phonebook deletes its contacts');
  });

  await t.test('contacts are stored like wazo-dird stores them', async (t) => {
    const { body: book } = await admin.post('/0.1/phonebooks', { name: 'Hashes' });
    const contact = { firstname: 'Zoë', number: '+33 1 23' };
    const { body: created } = await admin.post(`/0.1/phonebooks/${book.uuid}/contacts`, contact);
    const db = (dird.dird.store as any).db;
    const row = await db.selectFrom('dird_contact').selectAll().where('uuid', '=', created.id).executeTakeFirst();
    t.equal(row.phonebook_uuid, book.uuid);
    t.equal(row.user_uuid, null);
    t.equal(row.hash, contactHash(contact));
    t.match(row.hash, /^[0-9a-f]{40}$/, 'a hex SHA-1');
    const fields = await db.selectFrom('dird_contact_fields').select(['name', 'value']).where('contact_uuid', '=', created.id).orderBy('name').execute();
    t.same(fields, [{ name: 'firstname', value: 'Zoë' }, { name: 'id', value: created.id }, { name: 'number', value: '+33 1 23' }], 'the id is a field row too');
  });

  await t.test('contact list: order by name by default, search, pagination', async (t) => {
    const { body: book } = await admin.post('/0.1/phonebooks', { name: 'Listing' });
    const base = `/0.1/phonebooks/${book.uuid}/contacts`;
    for (const c of [
      { name: 'bob', firstname: 'Bob', lastname: 'Zed' },
      { name: 'Alice', firstname: 'alice', lastname: 'Young' },
      { name: 'Émile', firstname: 'Émile', lastname: 'Xavier', note: 'VIP' },
      { firstname: 'Nameless', lastname: 'Anon' },
    ]) t.equal((await admin.post(base, c)).status, 201);
    const list = await admin.get(base);
    t.equal(list.status, 200);
    t.same(Object.keys(list.body).sort(), ['items', 'total']);
    t.same(list.body.items.map((c: any) => c.firstname), ['alice', 'Bob', 'Émile', 'Nameless'], 'by name, case- and accent-insensitive, missing last');
    t.equal(list.body.total, 4);
    t.same((await admin.get(base, { order: 'lastname' })).body.items.map((c: any) => c.lastname), ['Anon', 'Xavier', 'Young', 'Zed']);
    t.same((await admin.get(base, { order: 'firstname', direction: 'desc' })).body.items.map((c: any) => c.firstname), ['Nameless', 'Émile', 'Bob', 'alice']);
    const search = await admin.get(base, { search: 'vi' });
    t.same(search.body.items.map((c: any) => c.firstname), ['Émile'], 'search looks at every field, without case');
    t.equal(search.body.total, 1, 'total honours search');
    t.same((await admin.get(base, { limit: 2, offset: 1 })).body.items.map((c: any) => c.firstname), ['Bob', 'Émile']);
    t.equal((await admin.get(base, { order: 'note' })).status, 400, 'order is firstname, lastname or name');
    t.equal((await admin.get(base, { uuid: book.uuid, name: 'x' })).body.total, 4, 'other parameters are ignored (upstream: 500)');
  });

  await t.test('ACLs and authentication', async (t) => {
    const { body: book } = await admin.post('/0.1/phonebooks', { name: 'Guarded' });
    for (const [method, path] of [
      ['get', '/0.1/phonebooks'], ['get', `/0.1/phonebooks/${book.uuid}`], ['get', `/0.1/phonebooks/${book.uuid}/contacts`],
    ] as const) {
      t.equal((await as('noacl')[method](path)).status, 401, `${path} needs an ACL`);
      t.equal((await as(null)[method](path)).status, 401, `${path} needs a token`);
    }
    t.equal((await as('noacl').post('/0.1/phonebooks', { name: 'x' })).status, 401);
  });
});
