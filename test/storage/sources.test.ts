import { randomUUID } from 'node:crypto';
import t from 'tap';
import { databases } from '../helpers/databases.js';
import { conflict, csvSource, newTenant, notFound, openTestStore } from './fixture.js';

for (const database of databases) {
  t.test(database.name, async (t) => {
    const store = await openTestStore(t, database);

    t.test('create stores common fields in columns and everything else in extra_fields', async (t) => {
      const tenant = newTenant();
      const input = csvSource('my_csv', { nested: { auth: { host: 'h', port: 443 } }, list: [1, 2], flag: false, empty: null });
      const created = await store.sources.create(tenant, 'csv', { ...input, uuid: 'ignored', tenant_uuid: 'ignored', backend: 'ignored' });
      const expected = {
        uuid: created.uuid,
        tenant_uuid: tenant,
        name: 'my_csv',
        backend: 'csv',
        searched_columns: ['firstname', 'lastname'],
        first_matched_columns: ['number'],
        format_columns: { name: '{firstname} {lastname}', phone: '{number}' },
        file: '/tmp/contacts.csv',
        separator: ',',
        unique_column: 'id',
        nested: { auth: { host: 'h', port: 443 } },
        list: [1, 2],
        flag: false,
        empty: null,
      };
      t.not(created.uuid, 'ignored');
      t.strictSame(created, expected);
      t.strictSame(await store.sources.get([tenant], created.uuid), expected);
      t.strictSame(await store.sources.get([tenant], created.uuid, 'csv'), expected);
      const row = await store.db.selectFrom('dird_source').selectAll().where('uuid', '=', created.uuid).executeTakeFirstOrThrow();
      t.same(JSON.parse(row.extra_fields), {
        file: '/tmp/contacts.csv', separator: ',', unique_column: 'id',
        nested: { auth: { host: 'h', port: 443 } }, list: [1, 2], flag: false, empty: null,
      });
      t.same(JSON.parse(row.searched_columns), ['firstname', 'lastname']);
    });

    t.test('format_columns keep their order', async (t) => {
      const tenant = newTenant();
      const format_columns = { reverse: '{b}', phone: '{a}', name: '{phone} x', another: '' };
      const created = await store.sources.create(tenant, 'csv', csvSource('ordered', { format_columns }));
      t.same(Object.keys((await store.sources.get([tenant], created.uuid)).format_columns), ['reverse', 'phone', 'name', 'another']);
    });

    t.test('names are unique per tenant', async (t) => {
      const [a, b] = [newTenant(), newTenant()];
      const first = await store.sources.create(a, 'csv', csvSource('dup'));
      await t.rejects(store.sources.create(a, 'ldap', csvSource('dup')), conflict('sources', 'dup'));
      await store.sources.create(b, 'csv', csvSource('dup'));
      const other = await store.sources.create(a, 'csv', csvSource('other'));
      await t.rejects(store.sources.update([a], other.uuid, 'csv', csvSource('dup')), conflict('sources', 'dup'));
      t.equal((await store.sources.get([a], other.uuid)).name, 'other', 'failed update changed nothing');
      await store.sources.update([a], first.uuid, 'csv', csvSource('dup', { file: '/other.csv' }));
      t.equal((await store.sources.get([a], first.uuid)).file, '/other.csv', 'keeping its own name is no conflict');
    });

    t.test('backend restriction: another back-end is not found', async (t) => {
      const tenant = newTenant();
      const source = await store.sources.create(tenant, 'csv', csvSource('csv one'));
      await t.rejects(store.sources.get([tenant], source.uuid, 'ldap'), notFound('source', source.uuid));
      await t.rejects(store.sources.update([tenant], source.uuid, 'ldap', csvSource('x')), notFound('source', source.uuid));
      await t.rejects(store.sources.delete([tenant], source.uuid, 'ldap'), notFound('source', source.uuid));
      t.ok(await store.sources.get([tenant], source.uuid), 'still there');
      await store.sources.delete([tenant], source.uuid, 'csv');
      await t.rejects(store.sources.get([tenant], source.uuid), notFound('source', source.uuid));
    });

    t.test('tenant isolation', async (t) => {
      const [owner, other] = [newTenant(), newTenant()];
      const source = await store.sources.create(owner, 'csv', csvSource('private'));
      t.same((await store.sources.list([other], {})).total, 0);
      await t.rejects(store.sources.get([other], source.uuid), notFound('source', source.uuid));
      await t.rejects(store.sources.update([other], source.uuid, 'csv', csvSource('stolen')), notFound('source', source.uuid));
      await t.rejects(store.sources.delete([other], source.uuid), notFound('source', source.uuid));
      t.equal((await store.sources.get([owner], source.uuid)).name, 'private');
      t.same((await store.sources.list([other, owner], {})).items.map((s) => s.uuid), [source.uuid], 'parent sees child');
    });

    t.test('update replaces the whole config and returns it', async (t) => {
      const tenant = newTenant();
      const source = await store.sources.create(tenant, 'csv', csvSource('before', { unique_column: 'id', extra: 1 }));
      const updated = await store.sources.update([tenant], source.uuid, 'csv', {
        name: 'after', searched_columns: ['x'], first_matched_columns: [], format_columns: {}, file: '/new.csv',
      });
      const expected = {
        uuid: source.uuid, tenant_uuid: tenant, name: 'after', backend: 'csv',
        searched_columns: ['x'], first_matched_columns: [], format_columns: {}, file: '/new.csv',
      };
      t.strictSame(updated, expected);
      t.strictSame(await store.sources.get([tenant], source.uuid), expected);
    });

    t.test('list: order by name or backend, direction, pagination, search, filters', async (t) => {
      const tenant = newTenant();
      const specs: Array<[string, string]> = [['zeta', 'csv'], ['Alpha', 'ldap'], ['beta', 'csv'], ['gamma', 'wazo'], ['ALPHONSE', 'csv']];
      const uuids = new Map<string, string>();
      for (const [name, backend] of specs) uuids.set(name, (await store.sources.create(tenant, backend, csvSource(name))).uuid);
      const names = async (params: object, backend?: string) =>
        (await store.sources.list([tenant], params, backend)).items.map((s) => s.name);

      t.same(await names({}), ['Alpha', 'ALPHONSE', 'beta', 'gamma', 'zeta']);
      t.same(await names({ order: 'name', direction: 'desc' }), ['zeta', 'gamma', 'beta', 'ALPHONSE', 'Alpha']);
      t.same(await names({ order: 'backend' }), ['ALPHONSE', 'beta', 'zeta', 'Alpha', 'gamma']);
      t.same(await names({ order: 'backend', direction: 'desc' }), ['gamma', 'Alpha', 'ALPHONSE', 'beta', 'zeta']);
      t.same(await names({ limit: 2, offset: 1 }), ['ALPHONSE', 'beta']);
      t.same(await names({ offset: 3 }), ['gamma', 'zeta']);
      t.same(await names({ search: 'alph' }), ['Alpha', 'ALPHONSE']);

      const csv = await store.sources.list([tenant], { search: 'ETA' }, 'csv');
      t.same([csv.total, csv.filtered, csv.items.map((s) => s.name)], [3, 2, ['beta', 'zeta']], 'total counts the back-end only');
      t.same(await names({ filters: { backend: 'csv' } }), ['ALPHONSE', 'beta', 'zeta']);
      t.same(await names({ filters: { name: 'beta' } }), ['beta']);
      t.same(await names({ filters: { name: 'Beta' } }), [], 'name filter is exact');
      const byUuid = await store.sources.list([tenant], { filters: { uuid: uuids.get('gamma')! } });
      t.same([byUuid.total, byUuid.filtered, byUuid.items.map((s) => s.name)], [5, 1, ['gamma']]);
      t.same(await names({}, 'office365'), []);
    });

    t.test('getMany: any tenant, order of the request, unknown left out', async (t) => {
      const a = await store.sources.create(newTenant(), 'csv', csvSource('many a'));
      const b = await store.sources.create(newTenant(), 'ldap', csvSource('many b'));
      const got = await store.sources.getMany([b.uuid, randomUUID(), a.uuid, b.uuid]);
      t.same(got, [b, a]);
      t.same(await store.sources.getMany([]), []);
    });

    t.test('a phonebook source takes its name from its phonebook of the same tenant', async (t) => {
      const [tenant, other] = [newTenant(), newTenant()];
      await store.tenants.ensure(tenant);
      await store.tenants.ensure(other);
      const phonebook = randomUUID();
      const foreign = randomUUID();
      await store.db.insertInto('dird_phonebook').values([
        { uuid: phonebook, name: 'Company', description: 'Everyone', tenant_uuid: tenant },
        { uuid: foreign, name: 'Theirs', description: null, tenant_uuid: other },
      ]).execute();
      const input = { name: 'ignored', searched_columns: ['firstname'], first_matched_columns: [], format_columns: {}, phonebook_uuid: phonebook };
      const source = await store.sources.create(tenant, 'phonebook', input);
      t.match(source, { name: 'Company', phonebook_uuid: phonebook, phonebook_name: 'Company', phonebook_description: 'Everyone' });
      t.same((await store.sources.list([tenant], { filters: { name: 'Company' } })).items.map((s) => s.uuid), [source.uuid]);
      t.same((await store.sources.list([tenant], { search: 'compa' })).filtered, 1);
      await t.rejects(store.sources.create(tenant, 'phonebook', { ...input, phonebook_uuid: foreign }), notFound('phonebook', foreign));
      await t.rejects(store.sources.update([tenant], source.uuid, 'phonebook', { ...input, phonebook_uuid: foreign }),
        notFound('phonebook', foreign));
      await store.db.deleteFrom('dird_phonebook').where('uuid', '=', phonebook).execute();
      await t.rejects(store.sources.get([tenant], source.uuid), notFound('source', source.uuid), 'removed with its phonebook');
    });

    t.test('deleting a source removes its profile bindings and favorites', async (t) => {
      const tenant = newTenant();
      const gone = await store.sources.create(tenant, 'csv', csvSource('gone'));
      const kept = await store.sources.create(tenant, 'csv', csvSource('kept'));
      const profile = await store.profiles.create(tenant, {
        name: 'p', display: null,
        services: { lookup: { sources: [{ uuid: gone.uuid }, { uuid: kept.uuid }], options: {} } },
      });
      const user = randomUUID();
      await store.db.insertInto('dird_user').values({ user_uuid: user, tenant_uuid: tenant }).execute();
      await store.db.insertInto('dird_favorite').values([
        { source_uuid: gone.uuid, contact_id: '1', user_uuid: user },
        { source_uuid: kept.uuid, contact_id: '1', user_uuid: user },
      ]).execute();

      await store.sources.delete([tenant], gone.uuid);
      t.same((await store.profiles.get([tenant], profile.uuid)).services, { lookup: { sources: [{ uuid: kept.uuid }], options: {} } });
      const favorites = await store.db.selectFrom('dird_favorite').select('source_uuid').where('user_uuid', '=', user).execute();
      t.same(favorites, [{ source_uuid: kept.uuid }]);
    });
  });
}
