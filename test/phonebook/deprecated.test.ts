import t from 'tap';
import { legacy, onEveryDatabase, postRaw } from './setup.js';

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const base = '/0.1/tenants/master/phonebooks';

  await t.test('phonebooks by tenant name and integer id', async (t) => {
    const created = await admin.post(base, { name: 'Old', description: 'deprecated' });
    t.equal(created.status, 201);
    t.match(created.body, { id: Number, uuid: String, name: 'Old', tenant_uuid: dird.tenants.master });
    const item = `${base}/${created.body.id}`;
    t.same((await admin.get(item)).body, created.body);
    t.same((await admin.get(`/0.1/phonebooks/${created.body.uuid}`)).body, created.body, 'the same phonebook as the current routes show');
    const updated = await admin.put(item, { name: 'Older', description: null });
    t.equal(updated.status, 200);
    t.match(updated.body, { id: created.body.id, name: 'Older', description: null });
    const list = await admin.get(base);
    t.same(list.body, { items: [updated.body], total: 1 });
    t.equal((await admin.post(base, { name: 'Older' })).status, 409);
    t.match((await admin.post(base, { name: '' })).body, legacy(400, /name/));
    t.equal((await admin.get(`${base}/not-a-number`)).status, 404, 'ids are integers');
    t.match((await admin.get(`${base}/999999`)).body, legacy(404, "{'id': 999999}"));
    t.equal((await admin.delete(item)).status, 204);
    t.equal((await admin.get(item)).status, 404);
  });

  await t.test('contacts and import', async (t) => {
    const { body: book } = await admin.post(base, { name: 'With contacts' });
    const contacts = `${base}/${book.id}/contacts`;
    const alice = await admin.post(contacts, { firstname: 'Alice', number: '1' });
    t.equal(alice.status, 201);
    t.equal((await admin.post(contacts, { firstname: 'Alice', number: '1' })).status, 409);
    const contact = `${contacts}/${alice.body.id}`;
    t.same((await admin.get(contact)).body, alice.body);
    const edited = await admin.put(contact, { firstname: 'Alicia' });
    t.equal(edited.status, 200);
    t.same(edited.body, { firstname: 'Alicia', id: alice.body.id });

    const imported = await postRaw(dird, `${contacts}/import`, 'firstname,number\nBob,2\nAlicia,\n');
    t.equal(imported.status, 200, 'the deprecated import answers 200');
    t.same(imported.body.failed, []);
    t.equal(imported.body.created.length, 2);
    const bad = await postRaw(dird, `${contacts}/import`, 'firstname\nCarol\nDan,extra\n');
    t.equal(bad.status, 200);
    t.same(bad.body.created, [], 'an invalid row: nothing created');
    t.match(bad.body.failed, [{ contact: { firstname: 'Dan', null: ['extra'] }, message: /null key/, index: 1 }]);

    const list = await admin.get(contacts, { order: 'firstname', direction: 'desc' });
    t.same(list.body.items.map((c: any) => c.firstname), ['Bob', 'Alicia', 'Alicia']);
    t.equal(list.body.total, 3);
    t.same((await admin.get(contacts, { order: 'number', limit: 1 })).body.items.map((c: any) => c.number), ['2'], 'any contact field orders');
    t.same((await admin.get(contacts, { search: 'bo' })).body.total, 1);
    t.equal((await admin.delete(contact)).status, 204);
    t.match((await admin.get(contact)).body, legacy(404, 'No such contact'));
  });

  await t.test('hand-read list params', async (t) => {
    for (const [query, reason] of [
      [{ limit: -1 }, 'limit should be a positive integer'],
      [{ offset: 'x' }, 'offset should be a positive integer'],
      [{ direction: 'up' }, 'direction'],
      [{ order: 'tenant_uuid' }, 'order'],
    ] as const) {
      const reply = await admin.get(base, query);
      t.equal(reply.status, 400, JSON.stringify(query));
      t.match(reply.body, legacy(400, reason));
    }
  });

  await t.test('tenants are addressed by name, within the request tenant', async (t) => {
    const missing = await admin.get('/0.1/tenants/nowhere/phonebooks');
    t.equal(missing.status, 404);
    t.match(missing.body, legacy(404, 'No such tenant: nowhere'));
    const { body: subBook } = await as('sub').post('/0.1/tenants/sub/phonebooks', { name: 'Sub book' });
    t.equal(subBook.tenant_uuid, dird.tenants.sub);
    t.same((await admin.get('/0.1/tenants/sub/phonebooks')).body.items.map((p: any) => p.name), ['Sub book'], 'a parent addresses its sub-tenant');
    t.equal((await as('sub').get(base)).status, 404, 'a sub-tenant cannot address its parent');
    t.equal((await as('other').get('/0.1/tenants/sub/phonebooks')).status, 404);
    t.equal((await admin.get(`${base}/${subBook.id}`)).status, 404, "the sub-tenant's phonebook is not the master's");
    const denied = await as('noacl').get(base);
    t.equal(denied.status, 401);
    t.match(denied.body, { reason: [String], status_code: 401 });
  });
});
