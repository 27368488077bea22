import t from 'tap';
import { onEveryDatabase, UNKNOWN_UUID } from './setup.js';

const columns = [
  { title: 'Firstname', field: 'firstname' },
  { title: 'Number', type: 'number', field: 'exten', default: '', number_display: '{name} ({exten})' },
  { type: 'favorite' },
];
const full = (c: Record<string, unknown>) => ({ field: null, title: null, type: null, default: null, number_display: null, ...c });

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const sub = as('sub');

  await t.test('create, get, replace, delete', async (t) => {
    const created = await admin.post('/0.1/displays', { name: 'main', columns });
    t.equal(created.status, 201);
    t.match(created.body, { uuid: /^[0-9a-f-]{36}$/, tenant_uuid: dird.tenants.master, name: 'main' });
    t.same(created.body.columns, columns.map(full), 'every column has its five keys, in order');

    const got = await admin.get(`/0.1/displays/${created.body.uuid}`);
    t.equal(got.status, 200);
    t.same(got.body, created.body);

    const replaced = await admin.put(`/0.1/displays/${created.body.uuid}`, { name: 'renamed', columns: [{ field: 'x' }] });
    t.equal(replaced.status, 204);
    const after = await admin.get(`/0.1/displays/${created.body.uuid}`);
    t.same(after.body, { ...created.body, name: 'renamed', columns: [full({ field: 'x' })] });

    t.equal((await admin.delete(`/0.1/displays/${created.body.uuid}`)).status, 204);
    const gone = await admin.get(`/0.1/displays/${created.body.uuid}`);
    t.equal(gone.status, 404);
    t.match(gone.body, { error_id: 'unknown-display', resource: 'displays', details: { uuid: created.body.uuid } });
  });

  await t.test('invalid bodies', async (t) => {
    const cases: Array<[string, unknown, string]> = [
      ['missing name', { columns }, 'name'],
      ['empty name', { name: '', columns }, 'name'],
      ['long name', { name: 'x'.repeat(513), columns }, 'name'],
      ['missing columns', { name: 'd' }, 'columns'],
      ['no column', { name: 'd', columns: [] }, 'columns'],
      ['column not an object', { name: 'd', columns: ['title'] }, 'columns.0'],
      ['column field not a string', { name: 'd', columns: [{ field: ['a'] }] }, 'columns.0.field'],
    ];
    for (const [label, body, field] of cases) {
      const reply = await admin.post('/0.1/displays', body);
      t.equal(reply.status, 400, label);
      t.equal(reply.body.error_id, 'invalid-data', label);
      t.ok(reply.body.details[field], `${label}: details name ${field} (got ${JSON.stringify(reply.body.details)})`);
    }
    const empty = await admin.post('/0.1/displays', { name: 'd', columns: [{ title: 'ok' }, {}] });
    t.equal(empty.status, 400);
    t.match(empty.body, { error_id: 'invalid-data', details: { 'columns.1': [{ message: 'Empty columns are now allowed' }] } });

    const nullBody = await admin.post('/0.1/displays', null);
    t.equal(nullBody.status, 400, 'a JSON null body');
    const { body } = await admin.post('/0.1/displays', { name: 'valid', columns: [{ title: 'x' }] });
    const badPut = await admin.put(`/0.1/displays/${body.uuid}`, { name: 'valid' });
    t.equal(badPut.status, 400, 'PUT validates too');
    t.equal((await admin.get(`/0.1/displays/${body.uuid}`)).body.columns.length, 1, 'a rejected PUT changes nothing');
    t.equal((await admin.delete(`/0.1/displays/${body.uuid}`)).status, 204);
  });

  await t.test('unknown displays', async (t) => {
    for (const uuid of [UNKNOWN_UUID, 'not-a-uuid']) {
      const get = await admin.get(`/0.1/displays/${uuid}`);
      t.equal(get.status, 404);
      t.equal(get.body.error_id, 'unknown-display');
      t.equal((await admin.put(`/0.1/displays/${uuid}`, { name: 'x', columns: [{ field: 'f' }] })).status, 404);
      t.equal((await admin.delete(`/0.1/displays/${uuid}`)).status, 404);
    }
  });

  await t.test('authentication', async (t) => {
    const { body } = await admin.post('/0.1/displays', { name: 'auth', columns });
    for (const who of [as(null), as('noacl')]) {
      t.equal((await who.get('/0.1/displays')).status, 401);
      t.equal((await who.post('/0.1/displays', { name: 'x', columns })).status, 401);
      t.equal((await who.get(`/0.1/displays/${body.uuid}`)).status, 401);
      t.equal((await who.put(`/0.1/displays/${body.uuid}`, { name: 'x', columns })).status, 401);
      t.equal((await who.delete(`/0.1/displays/${body.uuid}`)).status, 401);
    }
    const unauthorized = await as('noacl').get('/0.1/displays');
    t.equal(unauthorized.body.error_id, 'unauthorized');
    t.equal((await admin.get(`/0.1/displays/${body.uuid}`)).status, 200, 'still there');
    await admin.delete(`/0.1/displays/${body.uuid}`);
  });

  await t.test('tenants', async (t) => {
    const parent = (await admin.post('/0.1/displays', { name: 'parent', columns })).body;
    const child = (await sub.post('/0.1/displays', { name: 'child', columns })).body;
    const viaHeader = await admin.post('/0.1/displays', { name: 'via-header', columns });
    t.equal(child.tenant_uuid, dird.tenants.sub);
    t.equal(viaHeader.body.tenant_uuid, dird.tenants.master, 'no header: token tenant');
    const inSub = (await as('admin', dird.tenants.sub).post('/0.1/displays', { name: 'made-for-sub', columns })).body;
    t.equal(inSub.tenant_uuid, dird.tenants.sub, 'Wazo-Tenant header picks the creation tenant');

    t.equal((await sub.get(`/0.1/displays/${parent.uuid}`)).status, 404, 'a child never sees its parent');
    t.equal((await sub.put(`/0.1/displays/${parent.uuid}`, { name: 'x', columns })).status, 404);
    t.equal((await sub.delete(`/0.1/displays/${parent.uuid}`)).status, 404);
    t.equal((await as('other').get(`/0.1/displays/${child.uuid}`)).status, 404, 'an unrelated tenant sees nothing');
    t.equal((await admin.get(`/0.1/displays/${child.uuid}`)).status, 200, 'a parent sees its child');

    const names = (reply: { body: { items: Array<{ name: string }> } }) => reply.body.items.map((d) => d.name).sort();
    t.same(names(await admin.get('/0.1/displays')), ['parent', 'via-header']);
    t.same(names(await admin.get('/0.1/displays', { recurse: 'true' })), ['child', 'made-for-sub', 'parent', 'via-header']);
    t.same(names(await admin.get('/0.1/displays', { recurse: 'YES' })).length, 4, 'recurse accepts yes');
    t.same(names(await admin.get('/0.1/displays', { recurse: 'off' })).length, 2, 'recurse accepts off');
    t.same(names(await sub.get('/0.1/displays', { recurse: 'true' })), ['child', 'made-for-sub']);
    t.same(names(await as('admin', dird.tenants.sub).get('/0.1/displays')), ['child', 'made-for-sub']);
    t.equal((await admin.get('/0.1/displays', { recurse: 'maybe' })).status, 400, 'recurse must be a boolean');
    t.equal((await as('sub', dird.tenants.master).get('/0.1/displays')).status, 401, 'a child cannot act as its parent');

    t.equal((await admin.put(`/0.1/displays/${child.uuid}`, { name: 'child-renamed', columns })).status, 204, 'a parent edits its child');
    const edited = await sub.get(`/0.1/displays/${child.uuid}`);
    t.equal(edited.body.name, 'child-renamed');
    t.equal(edited.body.tenant_uuid, dird.tenants.sub, 'editing keeps the tenant');
    t.equal((await admin.delete(`/0.1/displays/${child.uuid}`)).status, 204, 'a parent deletes its child');
    for (const d of [parent, viaHeader.body, inSub]) await admin.delete(`/0.1/displays/${d.uuid}`);
  });

  await t.test('list parameters', async (t) => {
    const made = [];
    for (const name of ['bravo', 'Alpha', 'charlie', 'delta-x', 'echo-x']) {
      made.push((await admin.post('/0.1/displays', { name, columns })).body);
    }
    const names = (reply: { body: { items: Array<{ name: string }> } }) => reply.body.items.map((d) => d.name);
    const all = await admin.get('/0.1/displays');
    t.equal(all.status, 200);
    t.same({ total: all.body.total, filtered: all.body.filtered }, { total: 5, filtered: 5 });
    t.same(names(all), ['Alpha', 'bravo', 'charlie', 'delta-x', 'echo-x'], 'ordered by name by default');
    t.same(names(await admin.get('/0.1/displays', { direction: 'desc' })), ['echo-x', 'delta-x', 'charlie', 'bravo', 'Alpha']);
    const page = await admin.get('/0.1/displays', { order: 'name', limit: 2, offset: 1 });
    t.same(names(page), ['bravo', 'charlie']);
    t.same({ total: page.body.total, filtered: page.body.filtered }, { total: 5, filtered: 5 }, 'pagination does not count');
    const search = await admin.get('/0.1/displays', { search: 'X' });
    t.same(names(search), ['delta-x', 'echo-x'], 'search is case-insensitive on the name');
    t.same({ total: search.body.total, filtered: search.body.filtered }, { total: 5, filtered: 2 });
    const byName = await admin.get('/0.1/displays', { name: 'bravo' });
    t.same(names(byName), ['bravo']);
    t.equal(byName.body.filtered, 1);
    t.same(names(await admin.get('/0.1/displays', { name: 'brav' })), [], 'name is an exact filter');
    t.same(names(await admin.get('/0.1/displays', { uuid: made[2].uuid })), ['charlie']);
    t.same(names(await admin.get('/0.1/displays', { limit: 0 })), [], 'limit 0');
    t.same(names(await admin.get('/0.1/displays', { unknown_param: 'x' })).length, 5, 'unknown params are ignored');

    for (const [param, value] of [['order', 'uuid'], ['direction', 'up'], ['limit', -1], ['offset', -1], ['limit', 'ten']] as const) {
      const bad = await admin.get('/0.1/displays', { [param]: value });
      t.equal(bad.status, 400, `${param}=${value}`);
      t.equal(bad.body.error_id, 'invalid-data');
    }
    for (const d of made) await admin.delete(`/0.1/displays/${d.uuid}`);
  });

  await t.test('duplicate names are allowed', async (t) => {
    // wazo-dird has no unique constraint on display names.
    const a = await admin.post('/0.1/displays', { name: 'twin', columns });
    const b = await admin.post('/0.1/displays', { name: 'twin', columns });
    t.equal(a.status, 201);
    t.equal(b.status, 201);
    await admin.delete(`/0.1/displays/${a.body.uuid}`);
    await admin.delete(`/0.1/displays/${b.body.uuid}`);
  });
});
