import t from 'tap';
import { onEveryDatabase, UNKNOWN_UUID, type Client } from './setup.js';

const columns = [{ title: 'Name', field: 'name' }];

async function display(client: Client, name: string): Promise<string> {
  const reply = await client.post('/0.1/displays', { name, columns });
  if (reply.status !== 201) throw new Error(`display: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.uuid;
}

async function source(client: Client, name: string): Promise<string> {
  const reply = await client.post('/0.1/backends/schemaless/sources', { name });
  if (reply.status !== 200) throw new Error(`source: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.uuid;
}

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const sub = as('sub');
  const d1 = await display(admin, 'd1');
  const d2 = await display(admin, 'd2');
  const s1 = await source(admin, 's1');
  const s2 = await source(admin, 's2');
  const subDisplay = await display(sub, 'sub-display');
  const subSource = await source(sub, 'sub-source');

  await t.test('create, get, replace, delete', async (t) => {
    const body = {
      name: 'main',
      display: { uuid: d1 },
      services: {
        lookup: { sources: [{ uuid: s1 }, { uuid: s2 }], options: { timeout: 2.5 } },
        reverse: { sources: [{ uuid: s2 }] },
        custom: {},
      },
    };
    const created = await admin.post('/0.1/profiles', body);
    t.equal(created.status, 201, JSON.stringify(created.body));
    t.match(created.body, { uuid: /^[0-9a-f-]{36}$/, tenant_uuid: dird.tenants.master, name: 'main', display: { uuid: d1 } });
    t.same(created.body.services.lookup.sources, [{ uuid: s1 }, { uuid: s2 }], 'source order is kept');
    t.equal(created.body.services.lookup.options.timeout, 2.5);
    t.same(created.body.services.reverse.sources, [{ uuid: s2 }]);
    t.same(created.body.services.custom.sources, [], 'sources default to []');
    t.notOk(created.body.services.custom.options.timeout, 'options default to {}');

    const got = await admin.get(`/0.1/profiles/${created.body.uuid}`);
    t.equal(got.status, 200);
    t.same(got.body, created.body);

    const replaced = await admin.put(`/0.1/profiles/${created.body.uuid}`, {
      name: 'main2',
      display: { uuid: d2 },
      services: { favorites: { sources: [{ uuid: s1 }], options: { timeout: null } } },
    });
    t.equal(replaced.status, 204, JSON.stringify(replaced.body));
    const after = (await admin.get(`/0.1/profiles/${created.body.uuid}`)).body;
    t.equal(after.name, 'main2');
    t.same(after.display, { uuid: d2 });
    t.same(Object.keys(after.services), ['favorites'], 'PUT replaces every service binding');
    t.same(after.services.favorites.sources, [{ uuid: s1 }]);

    t.equal((await admin.delete(`/0.1/profiles/${created.body.uuid}`)).status, 204);
    const gone = await admin.get(`/0.1/profiles/${created.body.uuid}`);
    t.equal(gone.status, 404);
    t.match(gone.body, { error_id: 'unknown-profile', resource: 'profiles', details: { uuid: created.body.uuid } });
  });

  await t.test('display is optional', async (t) => {
    const created = await admin.post('/0.1/profiles', { name: 'nodisplay', services: {} });
    t.equal(created.status, 201);
    t.equal(created.body.display, null);
    const withNull = await admin.post('/0.1/profiles', { name: 'nulldisplay', display: null, services: {} });
    t.equal(withNull.status, 201);
    t.equal(withNull.body.display, null);
    await admin.delete(`/0.1/profiles/${created.body.uuid}`);
    await admin.delete(`/0.1/profiles/${withNull.body.uuid}`);
  });

  await t.test('invalid bodies', async (t) => {
    const cases: Array<[string, unknown, string]> = [
      ['missing name', { services: {} }, 'name'],
      ['empty name', { name: '', services: {} }, 'name'],
      ['long name', { name: 'p'.repeat(513), services: {} }, 'name'],
      ['missing services', { name: 'p' }, 'services'],
      ['services not an object', { name: 'p', services: ['lookup'] }, 'services'],
      ['unknown key in a service', { name: 'p', services: { lookup: { sources: [], foo: 1 } } }, 'services.lookup.foo'],
      ['unknown option', { name: 'p', services: { lookup: { options: { bar: 1 } } } }, 'services.lookup.options.bar'],
      ['zero timeout', { name: 'p', services: { lookup: { options: { timeout: 0 } } } }, 'services.lookup.options.timeout'],
      ['negative timeout', { name: 'p', services: { lookup: { options: { timeout: -1 } } } }, 'services.lookup.options.timeout'],
      ['source without uuid', { name: 'p', services: { lookup: { sources: [{}] } } }, 'services.lookup.sources.0.uuid'],
      ['source uuid not a uuid', { name: 'p', services: { lookup: { sources: [{ uuid: 'x' }] } } }, 'services.lookup.sources.0.uuid'],
      ['display uuid not a uuid', { name: 'p', display: { uuid: 'x' }, services: {} }, 'display.uuid'],
    ];
    for (const [label, body, field] of cases) {
      const reply = await admin.post('/0.1/profiles', body);
      t.equal(reply.status, 400, label);
      t.equal(reply.body.error_id, 'invalid-data', label);
      t.ok(reply.body.details?.[field], `${label}: details name ${field} (got ${JSON.stringify(reply.body.details)})`);
    }
    t.equal((await admin.post('/0.1/profiles', null)).status, 400, 'a JSON null body');
    t.equal((await admin.get('/0.1/profiles', { search: 'p' })).body.filtered, 0, 'nothing was created');
  });

  await t.test('references', async (t) => {
    const unknownDisplay = await admin.post('/0.1/profiles', { name: 'r', display: { uuid: UNKNOWN_UUID }, services: {} });
    t.equal(unknownDisplay.status, 400);
    t.equal(unknownDisplay.body.error_id, 'unknown-display');
    const unknownSource = await admin.post('/0.1/profiles', { name: 'r', services: { lookup: { sources: [{ uuid: UNKNOWN_UUID }] } } });
    t.equal(unknownSource.status, 400);
    t.equal(unknownSource.body.error_id, 'unknown-source');

    const parentDisplay = await sub.post('/0.1/profiles', { name: 'r', display: { uuid: d1 }, services: {} });
    t.equal(parentDisplay.status, 400, 'a display of another tenant');
    t.equal(parentDisplay.body.error_id, 'unknown-display');
    const parentSource = await sub.post('/0.1/profiles', { name: 'r', services: { lookup: { sources: [{ uuid: s1 }] } } });
    t.equal(parentSource.status, 400, 'a source of another tenant');
    t.equal(parentSource.body.error_id, 'unknown-source');
    const childRefs = await admin.post('/0.1/profiles', { name: 'r', display: { uuid: subDisplay }, services: {} });
    t.equal(childRefs.status, 400, "even a child's display");
    t.equal(childRefs.body.error_id, 'unknown-display');

    const child = await sub.post('/0.1/profiles', { name: 'child', display: { uuid: subDisplay }, services: { lookup: { sources: [{ uuid: subSource }] } } });
    t.equal(child.status, 201);
    const parentEdit = await admin.put(`/0.1/profiles/${child.body.uuid}`, { name: 'child', display: { uuid: d1 }, services: {} });
    t.equal(parentEdit.status, 400, "a parent editing its child's profile must use the child's display");
    t.equal(parentEdit.body.error_id, 'unknown-display');
    const parentSourceEdit = await admin.put(`/0.1/profiles/${child.body.uuid}`, { name: 'child', services: { lookup: { sources: [{ uuid: s1 }] } } });
    t.equal(parentSourceEdit.body.error_id, 'unknown-source');
    const unchanged = (await sub.get(`/0.1/profiles/${child.body.uuid}`)).body;
    t.same(unchanged.display, { uuid: subDisplay }, 'a rejected PUT changes nothing');
    t.same(unchanged.services.lookup.sources, [{ uuid: subSource }]);
    await sub.delete(`/0.1/profiles/${child.body.uuid}`);
  });

  await t.test('deleting a display or a source', async (t) => {
    const d = await display(admin, 'doomed');
    const s = await source(admin, 'doomed-source');
    const created = await admin.post('/0.1/profiles', { name: 'orphan', display: { uuid: d }, services: { lookup: { sources: [{ uuid: s }, { uuid: s1 }] } } });
    t.equal(created.status, 201);
    t.equal((await admin.delete(`/0.1/displays/${d}`)).status, 204);
    t.equal((await admin.delete(`/0.1/backends/schemaless/sources/${s}`)).status, 204);
    const after = (await admin.get(`/0.1/profiles/${created.body.uuid}`)).body;
    t.equal(after.display, null, 'the display is unset');
    t.same(after.services.lookup.sources, [{ uuid: s1 }], 'the source binding is gone');
    await admin.delete(`/0.1/profiles/${created.body.uuid}`);
  });

  await t.test('conflicts', async (t) => {
    const first = await admin.post('/0.1/profiles', { name: 'twin', services: {} });
    t.equal(first.status, 201);
    const second = await admin.post('/0.1/profiles', { name: 'twin', services: {} });
    t.equal(second.status, 409);
    t.match(second.body, { error_id: 'conflict', resource: 'profiles', details: { name: { constraint_id: 'unique' } } });
    const inSub = await sub.post('/0.1/profiles', { name: 'twin', services: {} });
    t.equal(inSub.status, 201, 'the same name in another tenant');
    const other = await admin.post('/0.1/profiles', { name: 'other', services: {} });
    const rename = await admin.put(`/0.1/profiles/${other.body.uuid}`, { name: 'twin', services: {} });
    t.equal(rename.status, 409, 'renaming onto a used name');
    for (const [client, p] of [[admin, first], [sub, inSub], [admin, other]] as const) await client.delete(`/0.1/profiles/${p.body.uuid}`);
  });

  await t.test('unknown profiles and authentication', async (t) => {
    for (const uuid of [UNKNOWN_UUID, 'nope']) {
      t.equal((await admin.get(`/0.1/profiles/${uuid}`)).status, 404);
      t.equal((await admin.put(`/0.1/profiles/${uuid}`, { name: 'x', services: {} })).body.error_id, 'unknown-profile');
      t.equal((await admin.delete(`/0.1/profiles/${uuid}`)).status, 404);
    }
    const { body } = await admin.post('/0.1/profiles', { name: 'auth', services: {} });
    for (const who of [as(null), as('noacl')]) {
      t.equal((await who.get('/0.1/profiles')).status, 401);
      t.equal((await who.post('/0.1/profiles', { name: 'x', services: {} })).status, 401);
      t.equal((await who.get(`/0.1/profiles/${body.uuid}`)).status, 401);
      t.equal((await who.put(`/0.1/profiles/${body.uuid}`, { name: 'x', services: {} })).status, 401);
      t.equal((await who.delete(`/0.1/profiles/${body.uuid}`)).status, 401);
    }
    t.equal((await admin.get(`/0.1/profiles/${body.uuid}`)).body.name, 'auth', 'unchanged');
    await admin.delete(`/0.1/profiles/${body.uuid}`);
  });

  await t.test('tenants and list parameters', async (t) => {
    const made: Array<[Client, string]> = [];
    for (const name of ['b', 'A', 'c-x']) made.push([admin, (await admin.post('/0.1/profiles', { name, services: {} })).body.uuid]);
    const childUuid = (await sub.post('/0.1/profiles', { name: 'child-x', services: {} })).body.uuid;
    made.push([sub, childUuid]);
    const names = (reply: { body: { items: Array<{ name: string }> } }) => reply.body.items.map((p) => p.name);

    t.same(names(await admin.get('/0.1/profiles')), ['A', 'b', 'c-x']);
    const recursive = await admin.get('/0.1/profiles', { recurse: 'true', search: 'X' });
    t.same(names(recursive), ['c-x', 'child-x']);
    t.same({ total: recursive.body.total, filtered: recursive.body.filtered }, { total: 4, filtered: 2 });
    t.same(names(await sub.get('/0.1/profiles', { recurse: 'true' })), ['child-x'], 'a child never sees its parent');
    t.same(names(await as('admin', dird.tenants.sub).get('/0.1/profiles')), ['child-x'], 'Wazo-Tenant header');
    t.same(names(await as('other').get('/0.1/profiles', { recurse: 'true' })), []);
    t.equal((await admin.get(`/0.1/profiles/${childUuid}`)).status, 200, 'a parent sees its child');
    t.equal((await sub.get(`/0.1/profiles/${made[0][1]}`)).status, 404);
    t.same(names(await admin.get('/0.1/profiles', { direction: 'desc', limit: 2 })), ['c-x', 'b']);
    t.same(names(await admin.get('/0.1/profiles', { offset: 2 })), ['c-x']);
    t.same(names(await admin.get('/0.1/profiles', { name: 'b' })), ['b']);
    t.same(names(await admin.get('/0.1/profiles', { uuid: made[1][1] })), ['A']);
    t.equal((await admin.get('/0.1/profiles', { order: 'display' })).status, 400);
    for (const [client, uuid] of made) await client.delete(`/0.1/profiles/${uuid}`);
  });
});
