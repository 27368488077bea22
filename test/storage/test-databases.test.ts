// The test-database helper other suites rely on: creates, drops, and fails loudly.
import { existsSync } from 'node:fs';
import pg from 'pg';
import t from 'tap';
import { openStore } from '../../src/storage/open.js';
import { databases, postgresAdminUri, postgresDatabase } from '../helpers/databases.js';

t.test('an unreachable PostgreSQL fails instead of skipping', async (t) => {
  await t.rejects(postgresDatabase('postgresql://postgres@127.0.0.1:1/postgres').open(), { message: /PostgreSQL unreachable/ });
});

t.test('postgres: cleanup drops the database even while a client is connected', async (t) => {
  const postgres = databases.find((d) => d.name === 'postgres')!;
  const { uri, cleanup } = await postgres.open();
  const name = new URL(uri).pathname.slice(1);
  t.match(name, /^dird_test_[0-9a-f]{12}$/);
  const client = new pg.Client({ connectionString: uri });
  client.on('error', () => undefined); // terminated by cleanup
  await client.connect();
  await cleanup();
  const admin = new pg.Client({ connectionString: postgresAdminUri });
  await admin.connect();
  t.teardown(() => admin.end());
  const { rows } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  t.same(rows, []);
  await client.end().catch(() => undefined);
});

t.test('sqlite: a temporary file removed by cleanup', async (t) => {
  const sqlite = databases.find((d) => d.name === 'sqlite')!;
  const { uri, cleanup } = await sqlite.open();
  t.match(uri, /^sqlite:\/.+/);
  const store = await openStore(uri);
  await store.close();
  const path = uri.slice('sqlite:'.length);
  t.ok(existsSync(path));
  await cleanup();
  t.notOk(existsSync(path));
});
