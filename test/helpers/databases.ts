// The databases every storage-backed test runs on: a throwaway SQLite file and a throwaway PostgreSQL
// database. PostgreSQL being unreachable fails the test (CI allows no skipped integration tests).
//
//   for (const database of databases) t.test(database.name, async (t) => {
//     const uri = await useDatabase(t, database);   // dropped when t ends
//     ...
//   });
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /** Creates an empty database; `cleanup` removes it (close your connections first when you can). */
  open(): Promise<{ uri: string; cleanup(): Promise<void> }>;
}

/** Administrative connection; override with DIRD_TEST_PG_URI. */
export const postgresAdminUri = process.env.DIRD_TEST_PG_URI ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

async function withAdmin<T>(adminUri: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUri, connectionTimeoutMillis: 5000 });
  await client.connect().catch((err: Error) => {
    throw new Error(`PostgreSQL unreachable at ${adminUri}: ${err.message}`);
  });
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async open() {
    const dir = await mkdtemp(join(tmpdir(), 'dird-test-'));
    return {
      uri: `sqlite:${join(dir, 'dird.sqlite')}`,
      cleanup: () => rm(dir, { recursive: true, force: true }),
    };
  },
};

/** Throwaway databases `dird_test_<random>` created through the admin connection `adminUri`. */
export const postgresDatabase = (adminUri: string): TestDatabase => ({
  name: 'postgres',
  async open() {
    const name = `dird_test_${randomBytes(6).toString('hex')}`;
    await withAdmin(adminUri, (client) => client.query(`CREATE DATABASE ${name}`));
    const uri = new URL(adminUri);
    uri.pathname = `/${name}`;
    return {
      uri: uri.toString(),
      cleanup: () => withAdmin(adminUri, async (client) => {
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await client.query(`DROP DATABASE IF EXISTS ${name}`);
      }),
    };
  },
});

export const databases: TestDatabase[] = [sqlite, postgresDatabase(postgresAdminUri)];

/** Opens a fresh database of that kind for the test `t` and removes it when `t` ends. */
export async function useDatabase(t: { teardown(fn: () => unknown): void }, database: TestDatabase): Promise<string> {
  const { uri, cleanup } = await database.open();
  t.teardown(cleanup);
  return uri;
}
