import t from 'tap';
import { databases } from '../helpers/databases.js';
import { newTenant, notFound, openTestStore } from './fixture.js';

const columns = [
  { field: 'name', title: 'Nom', type: 'name', default: null, number_display: null },
  { title: 'Numéro', type: 'number', field: 'phone', default: '', number_display: '{name}' },
  { field: 'favorite', title: 'Favoris', type: 'favorite', default: null, number_display: null },
  { field: null, title: null, type: 'agent', default: 'x', number_display: null },
];
const displayNotFound = (uuid: string) => notFound('display', uuid);

for (const database of databases) {
  t.test(database.name, async (t) => {
    const store = await openTestStore(t, database);

    t.test('create and get keep every column, in order, with all five keys', async (t) => {
      const tenant = newTenant();
      const created = await store.displays.create(tenant, {
        name: 'Main',
        columns: [{ title: 'Z first' } as never, ...columns, { type: 'last' } as never],
      });
      t.match(created.uuid, /^[0-9a-f-]{36}$/);
      const expected = {
        uuid: created.uuid,
        tenant_uuid: tenant,
        name: 'Main',
        columns: [
          { field: null, title: 'Z first', type: null, default: null, number_display: null },
          { field: 'name', title: 'Nom', type: 'name', default: null, number_display: null },
          { field: 'phone', title: 'Numéro', type: 'number', default: '', number_display: '{name}' },
          { field: 'favorite', title: 'Favoris', type: 'favorite', default: null, number_display: null },
          { field: null, title: null, type: 'agent', default: 'x', number_display: null },
          { field: null, title: null, type: 'last', default: null, number_display: null },
        ],
      };
      t.strictSame(created, expected);
      t.strictSame(await store.displays.get([tenant], created.uuid), expected);
    });

    t.test('tenant isolation: another tenant cannot see, get, update or delete', async (t) => {
      const [owner, other] = [newTenant(), newTenant()];
      const display = await store.displays.create(owner, { name: 'Owned', columns });
      t.same((await store.displays.list([other], {})).items, []);
      await t.rejects(store.displays.get([other], display.uuid), displayNotFound(display.uuid));
      await t.rejects(store.displays.update([other], display.uuid, { name: 'Hijack', columns: [{ title: 'x' } as never] }),
        displayNotFound(display.uuid));
      await t.rejects(store.displays.delete([other], display.uuid), displayNotFound(display.uuid));
      await t.rejects(store.displays.get([], display.uuid), displayNotFound(display.uuid));
      t.same(await store.displays.get([owner], display.uuid), display, 'unchanged');
    });

    t.test('visible tenants: a parent listing [parent, child] sees both', async (t) => {
      const [parent, child] = [newTenant(), newTenant()];
      const a = await store.displays.create(parent, { name: 'parent display', columns });
      const b = await store.displays.create(child, { name: 'child display', columns });
      const list = await store.displays.list([parent, child], {});
      t.same(list.items.map((d) => d.uuid), [b.uuid, a.uuid]);
      t.equal(list.total, 2);
      t.same(await store.displays.get([parent, child], b.uuid), b);
      t.same((await store.displays.list([child], {})).items.map((d) => d.uuid), [b.uuid]);
    });

    t.test('list: order, direction, limit, offset, search, filters, total vs filtered', async (t) => {
      const tenant = newTenant();
      const names = ['charlie', 'Alpha', 'bravo', 'alphabet', '100%_done', 'École'];
      const made = new Map<string, string>();
      for (const name of names) made.set(name, (await store.displays.create(tenant, { name, columns })).uuid);
      const names$ = async (params: object) => (await store.displays.list([tenant], params)).items.map((d) => d.name);

      t.same(await names$({}), ['100%_done', 'Alpha', 'alphabet', 'bravo', 'charlie', 'École'], 'case-insensitive name order');
      t.same(await names$({ order: 'name', direction: 'desc' }), ['École', 'charlie', 'bravo', 'alphabet', 'Alpha', '100%_done']);
      t.same(await names$({ limit: 2 }), ['100%_done', 'Alpha']);
      t.same(await names$({ limit: 2, offset: 2 }), ['alphabet', 'bravo']);
      t.same(await names$({ offset: 4 }), ['charlie', 'École'], 'offset without limit');
      t.same(await names$({ limit: 0 }), []);

      const search = await store.displays.list([tenant], { search: 'ALPHA' });
      t.same(search.items.map((d) => d.name), ['Alpha', 'alphabet']);
      t.same([search.total, search.filtered], [6, 2]);
      t.same(await names$({ search: 'éC' }), ['École'], 'non-ASCII case folding');
      t.same(await names$({ search: '%' }), ['100%_done'], '% is a literal');
      t.same(await names$({ search: 'a_p' }), [], '_ is a literal');
      t.same(await names$({ search: 'ph', limit: 1, offset: 1 }), ['alphabet']);

      const byName = await store.displays.list([tenant], { filters: { name: 'alpha' } });
      t.same([byName.total, byName.filtered, byName.items.length], [6, 0, 0], 'name filter is exact');
      const byUuid = await store.displays.list([tenant], { filters: { uuid: made.get('bravo')! }, limit: 0 });
      t.same([byUuid.total, byUuid.filtered, byUuid.items.length], [6, 1, 0], 'filtered ignores pagination');
      t.same(await names$({ filters: { name: 'Alpha', uuid: made.get('Alpha')! } }), ['Alpha']);
      t.same(await names$({ filters: { unknown: 'x' } }), await names$({}), 'unknown filters are ignored');
      t.same(await store.displays.list([], {}), { total: 0, filtered: 0, items: [] });
    });

    t.test('display names may repeat within a tenant (as upstream)', async (t) => {
      const tenant = newTenant();
      await store.displays.create(tenant, { name: 'same', columns });
      await store.displays.create(tenant, { name: 'same', columns });
      t.equal((await store.displays.list([tenant], { filters: { name: 'same' } })).filtered, 2);
    });

    t.test('update replaces name and columns', async (t) => {
      const tenant = newTenant();
      const display = await store.displays.create(tenant, { name: 'Before', columns });
      await store.displays.update([newTenant(), tenant], display.uuid, {
        name: 'After', columns: [{ field: 'email', title: 'E-mail', type: 'email' } as never],
      });
      t.strictSame(await store.displays.get([tenant], display.uuid), {
        uuid: display.uuid, tenant_uuid: tenant, name: 'After',
        columns: [{ field: 'email', title: 'E-mail', type: 'email', default: null, number_display: null }],
      });
      const unknown = newTenant();
      await t.rejects(store.displays.update([tenant], unknown, { name: 'x', columns }), displayNotFound(unknown));
    });

    t.test('delete removes the display and its columns', async (t) => {
      const tenant = newTenant();
      const display = await store.displays.create(tenant, { name: 'Gone', columns });
      const kept = await store.displays.create(tenant, { name: 'Kept', columns });
      await store.displays.delete([tenant], display.uuid);
      await t.rejects(store.displays.get([tenant], display.uuid), displayNotFound(display.uuid));
      await t.rejects(store.displays.delete([tenant], display.uuid), displayNotFound(display.uuid));
      const orphans = await store.db.selectFrom('dird_display_column').select('uuid')
        .where('display_uuid', '=', display.uuid).execute();
      t.same(orphans, []);
      t.same(await store.displays.get([tenant], kept.uuid), kept);
    });

    t.test('writes create the tenant row', async (t) => {
      const tenant = newTenant();
      await store.displays.create(tenant, { name: 'x', columns });
      const row = await store.db.selectFrom('dird_tenant').selectAll().where('uuid', '=', tenant).executeTakeFirst();
      t.same(row, { uuid: tenant, country: null });
    });
  });
}
