import t from 'tap';
import { onEveryDatabase, postRaw, UNKNOWN_UUID } from './setup.js';

const sources = '/0.1/backends/phonebook/sources';

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const { body: book } = await admin.post('/0.1/phonebooks', { name: 'Company', description: 'everyone' });
  const contacts = `/0.1/phonebooks/${book.uuid}/contacts`;
  const sourceBody = {
    phonebook_uuid: book.uuid,
    searched_columns: ['firstname', 'lastname'],
    first_matched_columns: ['number', 'mobile'],
    format_columns: { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
  };

  await t.test('phonebook source CRUD', async (t) => {
    const created = await admin.post(sources, { ...sourceBody, name: 'ignored' });
    t.equal(created.status, 200);
    t.match(created.body, {
      uuid: /^[0-9a-f-]{36}$/, tenant_uuid: dird.tenants.master, backend: 'phonebook',
      name: 'Company', phonebook_uuid: book.uuid, phonebook_name: 'Company', phonebook_description: 'everyone',
      searched_columns: ['firstname', 'lastname'],
    }, 'named after its phonebook; a name in the body is ignored');
    const got = await admin.get(`${sources}/${created.body.uuid}`);
    t.same(got.body, created.body);
    const listed = await admin.get(sources);
    t.same(listed.body.items.map((s: any) => s.name), ['Company']);
    t.equal((await admin.put(`${sources}/${created.body.uuid}`, { ...sourceBody, searched_columns: ['lastname'] })).status, 204);
    t.same((await admin.get(`${sources}/${created.body.uuid}`)).body.searched_columns, ['lastname']);
    t.equal((await admin.delete(`${sources}/${created.body.uuid}`)).status, 204);
    t.equal((await admin.get(`${sources}/${created.body.uuid}`)).status, 404);

    const unknown = await admin.post(sources, { phonebook_uuid: UNKNOWN_UUID });
    t.equal(unknown.status, 404);
    t.match(unknown.body, { error_id: 'unknown-phonebook' });
    t.equal((await admin.post(sources, {})).status, 400, 'phonebook_uuid is required');
    t.equal((await admin.post(sources, { phonebook_uuid: 'nope' })).status, 400, 'and a UUID');
    const { body: foreign } = await as('other').post('/0.1/phonebooks', { name: 'Foreign' });
    t.equal((await admin.post(sources, { phonebook_uuid: foreign.uuid })).status, 404, "another tenant's phonebook");
  });

  const { body: source } = await admin.post(sources, sourceBody);
  const { body: display } = await admin.post('/0.1/displays', { name: 'pb', columns: [{ title: 'Name', field: 'name' }, { title: 'Number', field: 'number' }] });
  await admin.post('/0.1/profiles', {
    name: 'pb', display: { uuid: display.uuid },
    services: { lookup: { sources: [{ uuid: source.uuid }] }, reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
  });
  const lookup = async (term: string) => (await admin.get('/0.1/directories/lookup/pb', { term })).body;
  const reverse = async (exten: string) => (await admin.get(`/0.1/directories/reverse/pb/${dird.users.admin}`, { exten })).body;

  await t.test('lookup and reverse through the sandboxed back-end see every write', async (t) => {
    t.same((await lookup('ali')).results, [], 'empty phonebook');
    const { body: alice } = await admin.post(contacts, { firstname: 'Alice', lastname: 'Liddell', number: '1001', mobile: 'Ext-A' });
    const found = await lookup('LIDD');
    t.same(found.results.map((r: any) => r.column_values), [['Alice Liddell', '1001']], 'a new contact is found by the next lookup');
    t.match(found.results[0], { source: 'Company', backend: 'phonebook', relations: { source_entry_id: alice.id } });
    t.match(await reverse('1001'), { display: 'Alice Liddell', source: 'Company', exten: '1001', fields: { id: alice.id } });
    t.match(await reverse('ext-a'), { display: 'Alice Liddell' }, 'first match ignores case');
    t.match(await reverse('100'), { display: null, fields: {}, source: null }, 'but is not a substring match');

    await admin.put(`${contacts}/${alice.id}`, { firstname: 'Alicia', lastname: 'Liddell', number: '2002' });
    t.match(await reverse('2002'), { display: 'Alicia Liddell' }, 'an edit is seen by the next reverse');
    t.match(await reverse('1001'), { display: null });
    await admin.delete(`${contacts}/${alice.id}`);
    t.match(await reverse('2002'), { display: null }, 'a deletion too');

    await postRaw(dird, `${contacts}/import`, 'firstname,lastname,number\nBob,Builder,3003\n');
    t.match(await reverse('3003'), { display: 'Bob Builder' }, 'and an import');

    await admin.put(`/0.1/phonebooks/${book.uuid}`, { name: 'Company Renamed', description: null });
    t.match(await reverse('3003'), { source: 'Company Renamed' }, 'results carry the renamed phonebook as source');
  });

  await t.test('large phonebooks are loaded in pages', async (t) => {
    const { body: big } = await admin.post('/0.1/phonebooks', { name: 'Big' });
    const rows = Array.from({ length: 2500 }, (_, i) => `First${i},Last${i},${50000 + i}`);
    const imported = await postRaw(dird, `/0.1/phonebooks/${big.uuid}/contacts/import`, `firstname,lastname,number\n${rows.join('\n')}\n`);
    t.equal(imported.body.created.length, 2500);
    const { body: bigSource } = await admin.post(sources, { ...sourceBody, phonebook_uuid: big.uuid });
    const handle = dird.dird.sources.get(bigSource);
    const args = { token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: dird.tenants.master };
    const deadline = () => Date.now() + 10_000;
    for (const i of [0, 999, 1000, 2499]) {
      t.match(await handle.firstMatch(String(50000 + i), args, deadline()), { fields: { firstname: `First${i}` } }, `contact ${i}`);
    }
    const all = await handle.matchAll(['50001', '52499', 'nobody', 'LAST1'], args, deadline());
    t.same(Object.keys(all).sort(), ['50001', '52499'], 'matchAll is exact');
    t.equal((await handle.search('last24', args, deadline())).length, 111, 'Last24, Last240…Last249, Last2400…Last2499');
    const listed = await handle.list([imported.body.created[7].id, 'unknown'], args, deadline());
    t.same(listed.map((r) => r.fields.firstname), [imported.body.created[7].firstname]);

    // Later writes reach the loaded copy as changes, not as a reload.
    const bigContacts = `/0.1/phonebooks/${big.uuid}/contacts`;
    const { body: added } = await admin.post(bigContacts, { firstname: 'Late', lastname: 'Comer', number: '59999' });
    t.match(await handle.firstMatch('59999', args, deadline()), { fields: { firstname: 'Late' } }, 'a created contact');
    await admin.put(`${bigContacts}/${added.id}`, { firstname: 'Later', number: '59998' });
    t.equal(await handle.firstMatch('59999', args, deadline()), null, 'an edited contact loses its old number');
    t.match(await handle.firstMatch('59998', args, deadline()), { fields: { firstname: 'Later' } });
    const victim = imported.body.created[1234];
    await admin.delete(`${bigContacts}/${victim.id}`);
    t.equal(await handle.firstMatch(victim.number, args, deadline()), null, 'a deleted contact');
    t.equal((await handle.search('last', args, deadline())).length, 2499, 'the rest is intact');
  });

  await t.test('GET …/sources/{uuid}/contacts', async (t) => {
    const { body: book2 } = await admin.post('/0.1/phonebooks', { name: 'Listed' });
    for (const c of [{ firstname: 'b', number: '2' }, { firstname: 'A', number: '3' }, { firstname: 'c', lastname: 'Zed', number: '1' }]) {
      await admin.post(`/0.1/phonebooks/${book2.uuid}/contacts`, c);
    }
    const { body: src } = await admin.post(sources, { phonebook_uuid: book2.uuid });
    const path = `${sources}/${src.uuid}/contacts`;
    const all = await admin.get(path);
    t.equal(all.status, 200);
    t.match(all.body, { total: 3, filtered: 3 });
    t.equal(all.body.items.length, 3);
    t.same((await admin.get(path, { order: 'firstname' })).body.items.map((c: any) => c.firstname), ['A', 'b', 'c']);
    t.same((await admin.get(path, { order: 'number', direction: 'desc' })).body.items.map((c: any) => c.number), ['3', '2', '1']);
    const search = await admin.get(path, { search: 'zed' });
    t.match(search.body, { total: 3, filtered: 1, items: [{ firstname: 'c' }] });
    t.same((await admin.get(path, { order: 'firstname', limit: 1, offset: 1 })).body.items.map((c: any) => c.firstname), ['b']);
    t.equal((await admin.get(path, { order: 'email' })).status, 400);

    const unknown = await admin.get(`${sources}/${UNKNOWN_UUID}/contacts`);
    t.equal(unknown.status, 404);
    t.match(unknown.body, { error_id: 'unknown-source' });
    t.equal((await as('sub').get(path)).status, 404, 'request tenant only: a sub-tenant does not see it');
    t.equal((await as('other').get(path)).status, 404);
    t.equal((await as('noacl').get(path)).status, 401);
  });

  await t.test('deleting a phonebook deletes its sources', async (t) => {
    const { body: gone } = await admin.post('/0.1/phonebooks', { name: 'Doomed' });
    const { body: src } = await admin.post(sources, { phonebook_uuid: gone.uuid });
    t.equal((await admin.delete(`/0.1/phonebooks/${gone.uuid}`)).status, 204);
    t.equal((await admin.get(`${sources}/${src.uuid}`)).status, 404);
  });
});
