import t from 'tap';
import { onEveryDatabase, UNKNOWN_UUID } from './setup.js';

const csv = '/0.1/backends/csv/sources';
const free = '/0.1/backends/schemaless/sources';
const names = (reply: { body: { items: Array<{ name: string }> } }) => reply.body.items.map((item) => item.name);

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const sub = as('sub');

  await t.test('GET /backends', async (t) => {
    const all = await admin.get('/0.1/backends');
    t.equal(all.status, 200);
    const listed = names(all);
    for (const name of ['csv', 'sample', 'schemaless']) t.ok(listed.includes(name), `${name} is listed`);
    t.same(listed, [...listed].sort(), 'ordered by name');
    t.same({ total: all.body.total, filtered: all.body.filtered }, { total: listed.length, filtered: listed.length });
    t.same(Object.keys(all.body.items[0]), ['name'], 'items only carry the name');

    const search = await admin.get('/0.1/backends', { search: 'chemal' });
    t.same(names(search), ['schemaless']);
    t.same({ total: search.body.total, filtered: search.body.filtered }, { total: listed.length, filtered: 1 });
    t.same(names(await admin.get('/0.1/backends', { search: 'SCHEMA' })), [], 'search is case-sensitive');
    t.same(names(await admin.get('/0.1/backends', { name: 'csv' })), ['csv'], 'name filter');
    t.same(names(await admin.get('/0.1/backends', { name: 'cs' })), [], 'name filter is exact');
    t.same(names(await admin.get('/0.1/backends', { direction: 'desc' })), [...listed].reverse());
    t.same(names(await admin.get('/0.1/backends', { limit: 1, offset: 1 })), [listed[1]]);

    const badOrder = await admin.get('/0.1/backends', { order: 'size' });
    t.equal(badOrder.status, 400);
    t.match(badOrder.body, { reason: [String], status_code: 400 }, 'legacy error shape');
    const noAcl = await as('noacl').get('/0.1/backends');
    t.equal(noAcl.status, 401);
    t.match(noAcl.body, { reason: [String], status_code: 401 }, 'legacy error shape');
    t.equal((await as(null).get('/0.1/backends')).status, 401);
  });

  await t.test('csv source CRUD', async (t) => {
    const created = await admin.post(csv, {
      name: 'phonebook',
      file: '/var/lib/contacts.csv',
      separator: ';',
      searched_columns: ['firstname', 'lastname'],
      first_matched_columns: ['number'],
      format_columns: { name: '{firstname} {lastname}' },
    });
    t.equal(created.status, 200, 'POST answers 200 like wazo-dird');
    t.match(created.body, {
      uuid: /^[0-9a-f-]{36}$/,
      tenant_uuid: dird.tenants.master,
      backend: 'csv',
      name: 'phonebook',
      file: '/var/lib/contacts.csv',
      separator: ';',
      searched_columns: ['firstname', 'lastname'],
      first_matched_columns: ['number'],
      format_columns: { name: '{firstname} {lastname}' },
    });
    const uuid = created.body.uuid;

    const got = await admin.get(`${csv}/${uuid}`);
    t.equal(got.status, 200);
    t.same(got.body, created.body);

    const replaced = await admin.put(`${csv}/${uuid}`, { name: 'renamed', file: '/var/lib/other.csv' });
    t.equal(replaced.status, 204);
    const after = (await admin.get(`${csv}/${uuid}`)).body;
    t.match(after, { uuid, name: 'renamed', file: '/var/lib/other.csv', separator: ',' }, 'PUT re-applies the separator default');
    t.same(after.searched_columns, [], 'PUT re-applies defaults');
    t.same(after.first_matched_columns, []);
    t.same(after.format_columns, {});

    const minimal = await admin.post(csv, { name: 'minimal', file: '/x.csv' });
    t.equal(minimal.status, 200);
    t.match(minimal.body, { separator: ',', searched_columns: [], first_matched_columns: [], format_columns: {} }, 'defaults');
    const extra = await admin.post(csv, { name: 'extra', file: '/x.csv', bogus: 1 });
    t.equal(extra.status, 200);
    t.notOk('bogus' in extra.body, 'fields outside the schema are dropped');
    await admin.delete(`${csv}/${extra.body.uuid}`);

    t.equal((await admin.delete(`${csv}/${uuid}`)).status, 204);
    const gone = await admin.get(`${csv}/${uuid}`);
    t.equal(gone.status, 404);
    t.match(gone.body, { error_id: 'unknown-source', resource: 'sources', details: { uuid } });
    t.equal((await admin.put(`${csv}/${uuid}`, { name: 'x', file: '/x' })).status, 404);
    t.equal((await admin.delete(`${csv}/${uuid}`)).status, 404);
    await admin.delete(`${csv}/${minimal.body.uuid}`);
  });

  await t.test('invalid source bodies', async (t) => {
    const cases: Array<[string, unknown, string, string]> = [
      ['missing name', { file: '/x' }, 'name', 'required'],
      ['empty name', { name: '', file: '/x' }, 'name', 'length'],
      ['long name', { name: 'n'.repeat(513), file: '/x' }, 'name', 'length'],
      ['missing file', { name: 'n' }, 'file', 'required'],
      ['searched column not a string', { name: 'n', file: '/x', searched_columns: [{}] }, 'searched_columns.0', 'type'],
      ['empty searched column', { name: 'n', file: '/x', searched_columns: [''] }, 'searched_columns.0', 'length'],
      ['long first matched column', { name: 'n', file: '/x', first_matched_columns: ['c'.repeat(129)] }, 'first_matched_columns.0', 'length'],
      ['format column not a string', { name: 'n', file: '/x', format_columns: { a: { b: 1 } } }, 'format_columns.a', 'type'],
      ['long format column', { name: 'n', file: '/x', format_columns: { a: 'v'.repeat(2049) } }, 'format_columns.a', 'length'],
      // The host's ajv coerces null to '' for strings: a length error rather than not_null.
      ['null name', { name: null, file: '/x' }, 'name', 'not_null|length'],
    ];
    for (const [label, body, field, constraint] of cases) {
      for (const [method, path] of [['post', csv], ['post', free]] as const) {
        if (field === 'file' && path === free) continue;
        const reply = await admin[method](path, body);
        t.equal(reply.status, 400, `${label} on ${path}`);
        t.equal(reply.body.error_id, 'invalid-data');
        const got = reply.body.details?.[field]?.[0]?.constraint_id;
        t.ok(constraint.split('|').includes(got), `${label}: ${JSON.stringify(reply.body.details)}`);
      }
    }
    const longKey = await admin.post(free, { name: 'n', format_columns: { ['k'.repeat(129)]: 'v' } });
    t.equal(longKey.status, 400, 'format column names are at most 128 long');
    t.equal((await admin.post(csv, null)).status, 400, 'a JSON null body');

    const { body } = await admin.post(csv, { name: 'valid', file: '/x' });
    const badPut = await admin.put(`${csv}/${body.uuid}`, { name: 'valid' });
    t.equal(badPut.status, 400, 'PUT validates too');
    t.equal(badPut.body.details?.file?.[0]?.constraint_id, 'required');
    t.equal((await admin.get('/0.1/sources', { search: 'n' })).body.filtered, 0, 'no invalid source was stored');
    await admin.delete(`${csv}/${body.uuid}`);
  });

  await t.test('a back-end without schema stores any field', async (t) => {
    const created = await admin.post(free, { name: 'free', word: 'hello', nested: { a: [1, 2] }, flag: true });
    t.equal(created.status, 200);
    t.match(created.body, { name: 'free', backend: 'schemaless', word: 'hello', nested: { a: [1, 2] }, flag: true, searched_columns: [] });
    const uuid = created.body.uuid;
    t.same((await admin.get(`${free}/${uuid}`)).body, created.body);

    t.equal((await admin.put(`${free}/${uuid}`, { name: 'free', word: 'bye', uuid: UNKNOWN_UUID, backend: 'csv' })).status, 204);
    const after = (await admin.get(`${free}/${uuid}`)).body;
    t.equal(after.word, 'bye');
    t.notOk('nested' in after, 'PUT replaces every field');
    t.notOk('flag' in after);
    t.equal(after.uuid, uuid, 'uuid is read-only');
    t.equal(after.backend, 'schemaless', 'backend is read-only');
    await admin.delete(`${free}/${uuid}`);
  });

  await t.test('a source is only reachable through its own back-end', async (t) => {
    const { body } = await admin.post(csv, { name: 'mine', file: '/x' });
    const wrong = await admin.get(`${free}/${body.uuid}`);
    t.equal(wrong.status, 404);
    t.equal(wrong.body.error_id, 'unknown-source');
    t.equal((await admin.put(`${free}/${body.uuid}`, { name: 'mine' })).status, 404);
    t.equal((await admin.delete(`${free}/${body.uuid}`)).status, 404);
    t.equal((await admin.get(`${csv}/${body.uuid}`)).body.name, 'mine', 'untouched');
    t.equal((await admin.get(`${csv}/not-a-uuid`)).status, 404);
    await admin.delete(`${csv}/${body.uuid}`);
  });

  await t.test('conflicts', async (t) => {
    const first = await admin.post(csv, { name: 'twin', file: '/x' });
    const again = await admin.post(csv, { name: 'twin', file: '/y' });
    t.equal(again.status, 409);
    t.match(again.body, { error_id: 'conflict', resource: 'sources', details: { name: { constraint_id: 'unique' } } });
    t.equal((await admin.post(free, { name: 'twin' })).status, 409, 'names are unique across back-ends');
    const inSub = await sub.post(csv, { name: 'twin', file: '/x' });
    t.equal(inSub.status, 200, 'the same name in another tenant');
    const other = await admin.post(free, { name: 'other' });
    t.equal((await admin.put(`${free}/${other.body.uuid}`, { name: 'twin' })).status, 409, 'renaming onto a used name');
    await admin.delete(`${csv}/${first.body.uuid}`);
    await sub.delete(`${csv}/${inSub.body.uuid}`);
    await admin.delete(`${free}/${other.body.uuid}`);
  });

  await t.test('authentication', async (t) => {
    const { body } = await admin.post(csv, { name: 'auth', file: '/x' });
    for (const who of [as(null), as('noacl')]) {
      t.equal((await who.get(csv)).status, 401);
      t.equal((await who.post(csv, { name: 'x', file: '/x' })).status, 401);
      t.equal((await who.get(`${csv}/${body.uuid}`)).status, 401);
      t.equal((await who.put(`${csv}/${body.uuid}`, { name: 'x', file: '/x' })).status, 401);
      t.equal((await who.delete(`${csv}/${body.uuid}`)).status, 401);
      t.equal((await who.get('/0.1/sources')).status, 401);
    }
    t.equal((await admin.get(`${csv}/${body.uuid}`)).body.name, 'auth', 'unchanged');
    await admin.delete(`${csv}/${body.uuid}`);
  });

  await t.test('tenants and lists', async (t) => {
    const made: Array<[typeof admin, string, string]> = [];
    const make = async (client: typeof admin, path: string, body: Record<string, unknown>) => {
      const reply = await client.post(path, body);
      t.equal(reply.status, 200, `create ${body.name}`);
      made.push([client, path, reply.body.uuid]);
      return reply.body;
    };
    const bravo = await make(admin, csv, { name: 'bravo', file: '/b.csv' });
    await make(admin, csv, { name: 'Alpha', file: '/c.csv' });
    await make(admin, free, { name: 'charlie' });
    const child = await make(sub, csv, { name: 'child', file: '/a.csv' });
    await make(as('admin', dird.tenants.sub), free, { name: 'child-free' });
    await make(as('other'), csv, { name: 'stranger', file: '/s.csv' });

    const own = await admin.get(csv);
    t.same(names(own), ['Alpha', 'bravo'], 'a back-end lists its own sources of the request tenant');
    t.same({ total: own.body.total, filtered: own.body.filtered }, { total: 2, filtered: 2 });
    t.equal(own.body.items[0].file, '/c.csv', 'items are whole sources');
    const recursive = await admin.get(csv, { recurse: 'true' });
    t.same(names(recursive), ['Alpha', 'bravo', 'child']);
    t.same(names(await sub.get(csv, { recurse: 'true' })), ['child'], 'a child never sees its parent');
    t.same(names(await as('admin', dird.tenants.sub).get(free)), ['child-free'], 'Wazo-Tenant header');
    t.equal((await admin.get(`${csv}/${child.uuid}`)).status, 200, 'a parent reaches its child source');
    t.equal((await sub.get(`${csv}/${bravo.uuid}`)).status, 404);
    t.equal((await sub.put(`${csv}/${bravo.uuid}`, { name: 'x', file: '/x' })).status, 404);
    t.equal((await sub.delete(`${csv}/${bravo.uuid}`)).status, 404);
    t.equal((await as('other').get(`${csv}/${bravo.uuid}`)).status, 404);
    t.equal((await admin.put(`${csv}/${child.uuid}`, { name: 'child', file: '/z.csv' })).status, 204, 'a parent edits its child source');
    t.equal((await sub.get(`${csv}/${child.uuid}`)).body.tenant_uuid, dird.tenants.sub, 'editing keeps the tenant');

    t.same(names(await admin.get(csv, { direction: 'desc', recurse: 'true' })), ['child', 'bravo', 'Alpha']);
    t.same(names(await admin.get(csv, { limit: 1, offset: 1 })), ['bravo']);
    t.same(names(await admin.get(csv, { search: 'RAV' })), ['bravo']);
    t.same(names(await admin.get(csv, { name: 'Alpha' })), ['Alpha']);
    t.same(names(await admin.get(csv, { uuid: bravo.uuid })), ['bravo']);
    const byFile = await admin.get(csv, { order: 'file', recurse: 'true' });
    t.same(names(byFile), ['bravo', 'Alpha', 'child'], "ordered by a back-end's own field");
    const fileFilter = await admin.get(csv, { file: '/c.csv', recurse: 'true' });
    t.same(names(fileFilter), ['Alpha'], "filtered on a back-end's own field");
    t.same({ total: fileFilter.body.total, filtered: fileFilter.body.filtered }, { total: 3, filtered: 1 });
    t.equal((await admin.get(csv, { order: 'separator_typo' })).status, 400);

    const summary = await admin.get('/0.1/sources', { recurse: 'true' });
    t.equal(summary.status, 200);
    t.same(names(summary), ['Alpha', 'bravo', 'charlie', 'child', 'child-free'], 'every back-end, no stranger');
    t.same(Object.keys(summary.body.items[0]).sort(), ['backend', 'name', 'tenant_uuid', 'uuid'], 'items are summaries');
    t.same(summary.body.items[0], { uuid: made[1][2], tenant_uuid: dird.tenants.master, name: 'Alpha', backend: 'csv' });
    t.same(names(await admin.get('/0.1/sources')), ['Alpha', 'bravo', 'charlie']);
    t.same(names(await admin.get('/0.1/sources', { order: 'backend', recurse: 'true' })).slice(-2).sort(), ['charlie', 'child-free'], 'ordered by backend');
    const byBackend = await admin.get('/0.1/sources', { backend: 'schemaless', recurse: 'true' });
    t.same(names(byBackend), ['charlie', 'child-free']);
    t.same({ total: byBackend.body.total, filtered: byBackend.body.filtered }, { total: 5, filtered: 2 });
    t.same(names(await admin.get('/0.1/sources', { search: 'CH', recurse: 'true', limit: 1, offset: 1 })), ['child']);
    t.same(names(await admin.get('/0.1/sources', { name: 'charlie' })), ['charlie']);
    t.same(names(await admin.get('/0.1/sources', { uuid: bravo.uuid })), ['bravo']);
    t.same(names(await sub.get('/0.1/sources', { recurse: 'true' })), ['child', 'child-free']);
    t.equal((await admin.get('/0.1/sources', { order: 'file' })).status, 400);

    for (const [client, path, uuid] of made) t.equal((await client.delete(`${path}/${uuid}`)).status, 204);
  });
});
