// Opens the database named by `db_uri` and returns the Store over it, schema migrated.
//   sqlite:/abs/path · sqlite:relative/path (from cwd) · sqlite::memory: · postgresql://… / postgres://…
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type Dialect } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import { SQLITE_CASEFOLD, type Ctx, type SqlDialect } from './dialect.js';
import { displayRepository } from './displays.js';
import { favoriteRepository } from './favorites.js';
import { migrateToLatest } from './migrations.js';
import { personalRepository } from './personal.js';
import { phonebookRepository } from './phonebooks.js';
import { profileRepository } from './profiles.js';
import type { Database } from './schema.js';
import { sourceRepository } from './sources.js';
import type { Store } from './store.js';
import { ensureTenant, setTenantCountry, tenantCountry } from './tenants.js';

const POOL_SIZE = 10;
const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** Bounds both connecting and waiting for a free pooled connection. */
const PG_CONNECT_TIMEOUT_MS = 15000;
/** The advisory lock of Store.exclusive: ('dird' as an int4, 1). */
export const EXCLUSIVE_LOCK = [0x64697264, 1] as const;
/** How long an instance waits for another one's migration or seeding before giving up. */
const EXCLUSIVE_WAIT_MS = 5 * 60 * 1000;

export type DbTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; uri: string };

/** Reads a db_uri; a relative SQLite path is resolved from the working directory. */
export function parseDbUri(dbUri: string): DbTarget {
  if (/^postgres(ql)?:\/\//.test(dbUri)) return { dialect: 'postgres', uri: dbUri };
  if (dbUri.startsWith('sqlite:')) {
    let path = dbUri.slice('sqlite:'.length);
    if (path.startsWith('///')) path = path.slice(3); // SQLAlchemy style: sqlite:///rel, sqlite:////abs
    if (path === ':memory:') return { dialect: 'sqlite', path };
    if (path === '') throw new Error('db_uri "sqlite:" names no file');
    return { dialect: 'sqlite', path: resolve(process.cwd(), path) };
  }
  throw new Error(`unsupported db_uri "${dbUri.replace(/\/\/[^@/]*@/, '//***@')}": expected sqlite:<path> or postgresql://…`);
}

function sqliteDialect(path: string): Dialect {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.function(SQLITE_CASEFOLD, { deterministic: true },
    (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value) as string | null);
  return new SqliteDialect({ database });
}

function postgresDialect(uri: string, log?: Logger): Dialect {
  const pool = new pg.Pool({ connectionString: uri, max: POOL_SIZE, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (err) => log?.warn({ err }, 'database connection lost'));
  return new PostgresDialect({ pool });
}

export class SqlStore implements Store {
  readonly tenants: Store['tenants'];
  readonly displays: Store['displays'];
  readonly profiles: Store['profiles'];
  readonly sources: Store['sources'];
  readonly personal: Store['personal'];
  readonly favorites: Store['favorites'];
  readonly phonebooks: Store['phonebooks'];

  constructor(readonly db: Kysely<Database>, readonly dialect: SqlDialect, private readonly log?: Logger) {
    const ctx: Ctx = { db, dialect };
    this.tenants = {
      ensure: (uuid) => ensureTenant(ctx, uuid),
      setCountry: (uuid, country) => setTenantCountry(ctx, uuid, country),
      country: (uuid) => tenantCountry(ctx, uuid),
    };
    this.displays = displayRepository(ctx);
    this.profiles = profileRepository(ctx);
    this.sources = sourceRepository(ctx);
    this.personal = personalRepository(ctx);
    this.favorites = favoriteRepository(ctx);
    this.phonebooks = phonebookRepository(ctx);
  }

  migrate(): Promise<void> {
    // Kysely's migrator takes its own advisory lock around the migrations; this one also covers its
    // bookkeeping tables' creation and anything a later start step (seeding) does under the same lock.
    return this.exclusive(() => migrateToLatest(this.db, this.dialect, this.log));
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'postgres') return fn();
    const [classId, objectId] = EXCLUSIVE_LOCK;
    return this.db.connection().execute(async (conn) => {
      await sql`select set_config('lock_timeout', ${`${EXCLUSIVE_WAIT_MS}ms`}, false)`.execute(conn);
      try {
        await sql`select pg_advisory_lock(${classId}, ${objectId})`.execute(conn);
      } catch (err) {
        if ((err as { code?: string }).code !== '55P03') throw err;
        throw new Error(`another dird instance has been migrating or seeding this database for ${EXCLUSIVE_WAIT_MS / 1000} s; giving up`);
      } finally {
        await sql`reset lock_timeout`.execute(conn).catch(() => undefined);
      }
      try {
        return await fn();
      } finally {
        // A broken connection releases the lock with its session.
        await sql`select pg_advisory_unlock(${classId}, ${objectId})`.execute(conn).catch(() => undefined);
      }
    });
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}

export async function openStore(dbUri: string, log?: Logger): Promise<SqlStore> {
  const target = parseDbUri(dbUri);
  const dialect = target.dialect === 'sqlite' ? sqliteDialect(target.path) : postgresDialect(target.uri, log);
  const store = new SqlStore(new Kysely<Database>({ dialect }), target.dialect, log);
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  return store;
}
