import { randomUUID } from 'node:crypto';
import t from 'tap';
import type { DisplayColumn } from '../../src/contracts.js';
import { violationOf } from '../../src/storage/dialect.js';
import type { SqlStore } from '../../src/storage/open.js';
import { databases } from '../helpers/databases.js';
import { conflict, csvSource, invalidReference, newTenant, notFound, openTestStore } from './fixture.js';

const columns: DisplayColumn[] = [{ field: 'name', title: 'Nom', type: 'name', default: null, number_display: null }];

/** A tenant with a display and three sources. */
async function tenantWithResources(store: SqlStore) {
  const tenant = newTenant();
  const display = await store.displays.create(tenant, { name: 'd', columns });
  const [s1, s2, s3] = await Promise.all(['s1', 's2', 's3'].map((name) => store.sources.create(tenant, 'csv', csvSource(name))));
  return { tenant, display, s1, s2, s3 };
}

for (const database of databases) {
  t.test(database.name, async (t) => {
    const store = await openTestStore(t, database);

    t.test('create and get return display and services, sources in the given order', async (t) => {
      const { tenant, display, s1, s2, s3 } = await tenantWithResources(store);
      const services = {
        lookup: { sources: [{ uuid: s3.uuid }, { uuid: s1.uuid }, { uuid: s2.uuid }], options: { timeout: 2.5 } },
        reverse: { sources: [{ uuid: s2.uuid }], options: { timeout: 0.5 } },
        favorites: { sources: [], options: {} },
        custom_service: { sources: [{ uuid: s1.uuid }], options: {} },
      };
      const created = await store.profiles.create(tenant, { name: 'default', display: { uuid: display.uuid }, services });
      const expected = { uuid: created.uuid, tenant_uuid: tenant, name: 'default', display: { uuid: display.uuid }, services };
      t.strictSame(created, expected);
      t.strictSame(await store.profiles.get([tenant], created.uuid), expected);
      t.strictSame(await store.profiles.findByName(tenant, 'default'), expected);
      t.equal(await store.profiles.findByName(tenant, 'Default'), null, 'findByName is exact');
      t.equal(await store.profiles.findByName(newTenant(), 'default'), null, 'findByName stays in its tenant');
    });

    t.test('a profile without display or services', async (t) => {
      const tenant = newTenant();
      const created = await store.profiles.create(tenant, { name: 'bare', display: null, services: {} });
      t.strictSame(await store.profiles.get([tenant], created.uuid), { uuid: created.uuid, tenant_uuid: tenant, name: 'bare', display: null, services: {} });
    });

    t.test('a source listed twice in a service is bound once', async (t) => {
      const { tenant, s1, s2 } = await tenantWithResources(store);
      const created = await store.profiles.create(tenant, {
        name: 'twice', display: null,
        services: { lookup: { sources: [{ uuid: s1.uuid }, { uuid: s2.uuid }, { uuid: s1.uuid }], options: {} } },
      });
      t.same(created.services.lookup.sources, [{ uuid: s1.uuid }, { uuid: s2.uuid }]);
    });

    t.test('names are unique per tenant', async (t) => {
      const [a, b] = [newTenant(), newTenant()];
      await store.profiles.create(a, { name: 'default', display: null, services: {} });
      await t.rejects(store.profiles.create(a, { name: 'default', display: null, services: {} }), conflict('profiles', 'default'));
      await store.profiles.create(b, { name: 'default', display: null, services: {} });
      const other = await store.profiles.create(a, { name: 'other', display: null, services: {} });
      await t.rejects(store.profiles.update([a], other.uuid, { name: 'default', display: null, services: {} }), conflict('profiles', 'default'));
      t.equal((await store.profiles.get([a], other.uuid)).name, 'other');
    });

    t.test('references to another tenant are rejected (400) and nothing is written', async (t) => {
      const mine = await tenantWithResources(store);
      const theirs = await tenantWithResources(store);
      const bad = [
        [{ display: { uuid: theirs.display.uuid }, services: {} }, invalidReference('display', theirs.display.uuid)],
        [{ display: { uuid: randomUUID() }, services: {} }, { status: 400, errorId: 'unknown-display' }],
        [{ display: null, services: { lookup: { sources: [{ uuid: mine.s1.uuid }, { uuid: theirs.s2.uuid }], options: {} } } },
          invalidReference('source', theirs.s2.uuid)],
        [{ display: null, services: { x: { sources: [{ uuid: 'not-a-uuid' }], options: {} } } }, invalidReference('source', 'not-a-uuid')],
      ] as const;
      for (const [input, error] of bad) {
        await t.rejects(store.profiles.create(mine.tenant, { name: 'bad', ...input } as never), { message: /No such/, ...error });
      }
      t.equal((await store.profiles.list([mine.tenant], {})).total, 0, 'no profile created');

      const profile = await store.profiles.create(mine.tenant, {
        name: 'good', display: { uuid: mine.display.uuid },
        services: { lookup: { sources: [{ uuid: mine.s1.uuid }], options: {} } },
      });
      for (const [input, error] of bad) {
        await t.rejects(store.profiles.update([mine.tenant], profile.uuid, { name: 'renamed', ...input } as never), { message: /No such/, ...error });
      }
      t.same(await store.profiles.get([mine.tenant], profile.uuid), profile, 'failed updates changed nothing');
    });

    t.test('a parent updating a child profile checks references against the child tenant', async (t) => {
      const child = await tenantWithResources(store);
      const parent = await tenantWithResources(store);
      const profile = await store.profiles.create(child.tenant, { name: 'p', display: null, services: {} });
      await t.rejects(store.profiles.update([parent.tenant, child.tenant], profile.uuid,
        { name: 'p', display: { uuid: parent.display.uuid }, services: {} }), invalidReference('display', parent.display.uuid));
      await store.profiles.update([parent.tenant, child.tenant], profile.uuid,
        { name: 'p2', display: { uuid: child.display.uuid }, services: { lookup: { sources: [{ uuid: child.s1.uuid }], options: {} } } });
      t.match(await store.profiles.get([child.tenant], profile.uuid), { name: 'p2', tenant_uuid: child.tenant, display: { uuid: child.display.uuid } });
    });

    t.test('update replaces display and services entirely', async (t) => {
      const { tenant, display, s1, s2, s3 } = await tenantWithResources(store);
      const profile = await store.profiles.create(tenant, {
        name: 'p', display: { uuid: display.uuid },
        services: {
          lookup: { sources: [{ uuid: s1.uuid }, { uuid: s2.uuid }], options: { timeout: 1 } },
          reverse: { sources: [{ uuid: s1.uuid }], options: {} },
        },
      });
      const services = { lookup: { sources: [{ uuid: s3.uuid }, { uuid: s1.uuid }], options: {} } };
      await store.profiles.update([tenant], profile.uuid, { name: 'p renamed', display: null, services });
      t.strictSame(await store.profiles.get([tenant], profile.uuid),
        { uuid: profile.uuid, tenant_uuid: tenant, name: 'p renamed', display: null, services });
      const leftovers = await store.db.selectFrom('dird_profile_service').select('uuid').where('profile_uuid', '=', profile.uuid).execute();
      t.equal(leftovers.length, 1, 'old bindings removed');
    });

    t.test('tenant isolation', async (t) => {
      const [owner, other] = [newTenant(), newTenant()];
      const profile = await store.profiles.create(owner, { name: 'mine', display: null, services: {} });
      t.same((await store.profiles.list([other], {})).items, []);
      await t.rejects(store.profiles.get([other], profile.uuid), notFound('profile', profile.uuid));
      await t.rejects(store.profiles.update([other], profile.uuid, { name: 'x', display: null, services: {} }), notFound('profile', profile.uuid));
      await t.rejects(store.profiles.delete([other], profile.uuid), notFound('profile', profile.uuid));
      t.same(await store.profiles.get([other, owner], profile.uuid), profile, 'visible with the owner in the list');
    });

    t.test('list: order, direction, pagination, search, filters', async (t) => {
      const { tenant, s1 } = await tenantWithResources(store);
      const names = ['Switchboard', 'default', 'Mobile', 'desk'];
      const uuids = new Map<string, string>();
      for (const name of names) {
        const services = { lookup: { sources: [{ uuid: s1.uuid }], options: {} } };
        uuids.set(name, (await store.profiles.create(tenant, { name, display: null, services })).uuid);
      }
      const list = async (params: object) => store.profiles.list([tenant], params);
      const namesOf = async (params: object) => (await list(params)).items.map((p) => p.name);
      t.same(await namesOf({}), ['default', 'desk', 'Mobile', 'Switchboard']);
      t.same(await namesOf({ direction: 'desc' }), ['Switchboard', 'Mobile', 'desk', 'default']);
      t.same(await namesOf({ limit: 1, offset: 2 }), ['Mobile']);
      t.same(await namesOf({ offset: 3 }), ['Switchboard']);
      const search = await list({ search: 'DE' });
      t.same([search.total, search.filtered, search.items.map((p) => p.name)], [4, 2, ['default', 'desk']]);
      t.same(await namesOf({ filters: { name: 'desk' } }), ['desk']);
      t.same(await namesOf({ filters: { uuid: uuids.get('Mobile')! } }), ['Mobile']);
      t.same((await list({})).items[0].services, { lookup: { sources: [{ uuid: s1.uuid }], options: {} } }, 'items carry services');
    });

    t.test('deleting a display leaves its profiles without display', async (t) => {
      const { tenant, display } = await tenantWithResources(store);
      const profile = await store.profiles.create(tenant, { name: 'p', display: { uuid: display.uuid }, services: {} });
      await store.displays.delete([tenant], display.uuid);
      t.equal((await store.profiles.get([tenant], profile.uuid)).display, null);
    });

    t.test('deleting a profile removes its service bindings, not the sources', async (t) => {
      const { tenant, s1 } = await tenantWithResources(store);
      const profile = await store.profiles.create(tenant, {
        name: 'p', display: null, services: { lookup: { sources: [{ uuid: s1.uuid }], options: {} } },
      });
      await store.profiles.delete([tenant], profile.uuid);
      await t.rejects(store.profiles.get([tenant], profile.uuid), notFound('profile', profile.uuid));
      await t.rejects(store.profiles.delete([tenant], profile.uuid), notFound('profile', profile.uuid));
      const bindings = await store.db.selectFrom('dird_profile_service_source').select('source_uuid')
        .where('source_uuid', '=', s1.uuid).execute();
      t.same(bindings, []);
      t.equal((await store.profiles.list([tenant], {})).total, 0);
      t.ok(await store.sources.get([tenant], s1.uuid));
    });

    t.test('the database refuses a cross-tenant binding even when code checks are bypassed', async (t) => {
      const a = await tenantWithResources(store);
      const b = await tenantWithResources(store);
      const insert = (display_tenant_uuid: string) => store.db.insertInto('dird_profile').values({
        uuid: randomUUID(), tenant_uuid: a.tenant, name: `raw ${display_tenant_uuid}`, display_uuid: b.display.uuid, display_tenant_uuid,
      }).execute().then(() => null, (err: unknown) => err);
      t.equal(violationOf(await insert(b.tenant)), 'check', 'display of another tenant');
      t.equal(violationOf(await insert(a.tenant)), 'foreign_key', 'display claimed in the wrong tenant');
      const source = await store.db.insertInto('dird_profile_service_source').values({
        profile_service_uuid: randomUUID(), source_uuid: b.s1.uuid, profile_tenant_uuid: a.tenant, source_tenant_uuid: b.tenant, position: 0,
      }).execute().then(() => null, (err: unknown) => err);
      t.ok(violationOf(source), 'binding to a source of another tenant');
    });
  });
}
