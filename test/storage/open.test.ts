import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { sql } from 'kysely';
import t from 'tap';
import { openStore, parseDbUri } from '../../src/storage/open.js';
import { databases, useDatabase } from '../helpers/databases.js';
import { csvSource, newTenant } from './fixture.js';

const specTables = ['dird_contact', 'dird_contact_fields', 'dird_display', 'dird_display_column', 'dird_favorite',
  'dird_phonebook', 'dird_profile', 'dird_profile_service', 'dird_profile_service_source', 'dird_service',
  'dird_source', 'dird_tenant', 'dird_user'];

t.test('db_uri forms', async (t) => {
  t.same(parseDbUri('sqlite:/var/lib/dird/dird.sqlite'), { dialect: 'sqlite', path: '/var/lib/dird/dird.sqlite' });
  t.same(parseDbUri('sqlite:data/dird.sqlite'), { dialect: 'sqlite', path: resolve(process.cwd(), 'data/dird.sqlite') });
  t.same(parseDbUri('sqlite:////abs/dird.sqlite'), { dialect: 'sqlite', path: '/abs/dird.sqlite' });
  t.same(parseDbUri('sqlite:///rel.sqlite'), { dialect: 'sqlite', path: resolve(process.cwd(), 'rel.sqlite') });
  t.same(parseDbUri('sqlite::memory:'), { dialect: 'sqlite', path: ':memory:' });
  const pgUri = 'postgresql://asterisk:proformatique@localhost/asterisk?application_name=wazo-dird';
  t.same(parseDbUri(pgUri), { dialect: 'postgres', uri: pgUri });
  t.same(parseDbUri('postgres://db/x'), { dialect: 'postgres', uri: 'postgres://db/x' });
  t.throws(() => parseDbUri('mysql://user:secret@db/x'), { message: /unsupported db_uri "mysql:\/\/\*\*\*@db\/x"/ });
  t.throws(() => parseDbUri('sqlite:'), { message: /names no file/ });
});

t.test('sqlite: a relative path is created under the working directory', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dird-open-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'nested', 'deeper', 'dird.sqlite');
  const store = await openStore(`sqlite:${relative(process.cwd(), file)}`);
  t.teardown(() => store.close());
  t.ok(existsSync(file), 'file and parent folders created');
  const pragmas = async (name: string) => (await sql<Record<string, unknown>>`${sql.raw(`PRAGMA ${name}`)}`.execute(store.db)).rows[0];
  t.same(await pragmas('journal_mode'), { journal_mode: 'wal' });
  t.same(await pragmas('foreign_keys'), { foreign_keys: 1 });
  t.same(await pragmas('busy_timeout'), { timeout: 5000 });
});

t.test('sqlite::memory: works', async (t) => {
  const store = await openStore('sqlite::memory:');
  t.teardown(() => store.close());
  const tenant = newTenant();
  await store.displays.create(tenant, { name: 'mem', columns: [{ title: 'x' } as never] });
  t.equal((await store.displays.list([tenant], {})).total, 1);
});

t.test('postgres: unreachable server fails openStore', async (t) => {
  await t.rejects(openStore('postgresql://postgres@127.0.0.1:1/none'), { message: /ECONNREFUSED/ });
});

for (const database of databases) {
  t.test(database.name, async (t) => {
    t.test('data persists across close and reopen; migrations run once', async (t) => {
      const uri = await useDatabase(t, database);
      const tenant = newTenant();
      const first = await openStore(uri);
      const display = await first.displays.create(tenant, { name: 'kept', columns: [{ title: 'T', field: 'f' } as never] });
      const source = await first.sources.create(tenant, 'csv', csvSource('kept source'));
      const profile = await first.profiles.create(tenant, {
        name: 'kept profile', display: { uuid: display.uuid },
        services: { lookup: { sources: [{ uuid: source.uuid }], options: { timeout: 3 } } },
      });
      await first.close();

      const second = await openStore(uri);
      t.teardown(() => second.close());
      await second.migrate();
      t.same(await second.displays.get([tenant], display.uuid), display);
      t.same(await second.sources.get([tenant], source.uuid), source);
      t.same(await second.profiles.get([tenant], profile.uuid), profile);
      const migrations = await second.db.selectFrom('dird_migration' as never).select('name' as never).execute();
      t.same(migrations, [{ name: '0001_initial_schema' }, { name: '0002_phonebook_contact_index' }]);
      const tables = (await second.db.introspection.getTables()).map((table) => table.name).filter((name) => specTables.includes(name));
      t.same(tables.sort(), specTables);
    });

    if (database.name === 'postgres') {
      t.test('concurrent first starts both succeed; query parameters are honoured', async (t) => {
        const uri = new URL(await useDatabase(t, database));
        uri.searchParams.set('application_name', 'dird-storage-test');
        const stores = await Promise.all([openStore(uri.toString()), openStore(uri.toString())]);
        t.teardown(() => Promise.all(stores.map((store) => store.close())));
        const { rows } = await sql<{ name: string }>`SELECT current_setting('application_name') AS name`.execute(stores[0].db);
        t.same(rows, [{ name: 'dird-storage-test' }]);
        const tenant = newTenant();
        await stores[0].displays.create(tenant, { name: 'a', columns: [{ title: 'x' } as never] });
        t.equal((await stores[1].displays.list([tenant], {})).total, 1);
      });
    }
  });
}
