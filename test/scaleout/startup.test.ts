// Instances starting at once on one empty PostgreSQL database: one migrates (and seeds) while the others
// wait on an advisory lock, then they all come up on the same schema. To make the race certain rather
// than lucky, the test holds that lock itself until every starter is queued on it, then lets go.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import t from 'tap';
import { seedSample } from '../../host/bootstrap.js';
import { packageRoot } from '../../src/config/load.js';
import { EXCLUSIVE_LOCK, openStore } from '../../src/storage/open.js';
import { postgresAdminUri, postgresDatabase, useDatabase } from '../helpers/databases.js';
import { startDird, tenants, tokens } from '../helpers/dird.js';
import { eventually } from './setup.js';

const MIGRATIONS = ['0001_initial_schema', '0002_phonebook_contact_index'];

/** A connection to the test database that holds the startup lock until `release`. */
async function holdStartupLock(uri: string) {
  const client = new pg.Client({ connectionString: uri });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1, $2)', [...EXCLUSIVE_LOCK]);
  const query = (text: string, values: unknown[] = []) => client.query(text, values);
  return {
    query,
    /** How many other sessions of this database wait for an advisory lock. */
    waiters: async () => Number((await query(
      "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'",
    )).rows[0].n),
    tables: async () => (await query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.tablename),
    release: () => query('SELECT pg_advisory_unlock($1, $2)', [...EXCLUSIVE_LOCK]),
    end: () => client.end(),
  };
}

t.test('migration waits for the startup lock', async (t) => {
  const uri = await useDatabase(t, postgresDatabase(postgresAdminUri));
  const lock = await holdStartupLock(uri);
  t.teardown(() => lock.end());
  const opening = openStore(uri);
  t.equal(await eventually(lock.waiters, (n) => n === 1), 1, 'the starting store queues on the lock');
  t.same(await lock.tables(), [], 'and has created nothing yet');
  await lock.release();
  const store = await opening;
  t.teardown(() => store.close());
  t.ok((await lock.tables()).includes('dird_source'), 'it migrates once the lock is free');
  t.same((await lock.query('SELECT name FROM dird_migration ORDER BY name')).rows.map((r) => r.name), MIGRATIONS);
});

t.test('two instances seeding the sample at once: one seeds, the other finds it', async (t) => {
  const uri = await useDatabase(t, postgresDatabase(postgresAdminUri));
  const config = { bootstrap: { sample: true, tenant_uuid: tenants.master, csv_file: 'config/sample-contacts.csv' } };
  // Started (and migrated) one after the other; only the seeding runs at once.
  const [a, b] = [await startDird({ dbUri: uri, config }), await startDird({ dbUri: uri, config })];
  t.teardown(() => a.close());
  t.teardown(() => b.close());
  const lock = await holdStartupLock(uri);
  t.teardown(() => lock.end());
  const log = pino({ level: 'silent' });
  const seeding = Promise.allSettled([seedSample(a.dird, config, log), seedSample(b.dird, config, log)]);
  t.equal(await eventually(lock.waiters, (n) => n === 2), 2, 'both seeders queue on the lock');
  await lock.release();
  const outcomes = await seeding;
  t.same(outcomes.map((o) => o.status), ['fulfilled', 'fulfilled'], 'neither fails');
  const count = async (table: string) => Number((await lock.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  t.same([await count('dird_profile'), await count('dird_display'), await count('dird_source')], [1, 1, 1], 'seeded once');
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

t.test('two dird processes started at once on an empty database both come up', async (t) => {
  const uri = await useDatabase(t, postgresDatabase(postgresAdminUri));
  const work = mkdtempSync(join(tmpdir(), 'dird-scaleout-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const lock = await holdStartupLock(uri);
  t.teardown(() => lock.end());

  const start = async (name: string) => {
    const port = await freePort();
    const file = join(work, `${name}.yml`);
    writeFileSync(file, JSON.stringify({
      rest_api: { listen: '127.0.0.1', port },
      phone_api: { listen: '127.0.0.1', port: await freePort() },
      db_uri: uri,
      auth: {
        static_tokens: { [tokens.admin]: { user_uuid: '00000000-0000-4000-8000-0000000000a1', tenant_uuid: tenants.master, acl: ['dird.#'] } },
        static_tenants: [{ uuid: tenants.master, name: 'master', parent_uuid: null }],
        master_tenant_uuid: tenants.master,
      },
      bootstrap: { sample: true, tenant_uuid: tenants.master },
    }));
    const child = spawn(process.execPath, [join(packageRoot, 'dist/host/main.js'), '-c', file], { cwd: packageRoot });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    t.teardown(async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    });
    const base = `http://127.0.0.1:${port}`;
    const get = async (path: string) => {
      const response = await fetch(base + path, { headers: { 'X-Auth-Token': tokens.admin } });
      return { status: response.status, body: await response.json() };
    };
    return { child, get, output: () => output };
  };
  const instances = [await start('a'), await start('b')];
  // Up to 30 s: starting node and loading dird takes a few seconds on a busy machine.
  t.equal(await eventually(lock.waiters, (n) => n === 2, 600), 2, 'both processes queue on the startup lock');
  await lock.release();

  for (const [i, instance] of instances.entries()) {
    const ready = await waitForStart(() => instance.get('/0.1/status'));
    t.equal(ready.status, 200, `instance ${i} is up`);
    t.equal(ready.body.change_relay?.status, 'ok', `instance ${i} relays`);
    t.equal(instance.child.exitCode, null, `instance ${i} runs`);
    t.notMatch(instance.output(), /"level":50/, `instance ${i} logged no error`);
    t.equal((await instance.get('/0.1/profiles')).body.total, 1, `instance ${i} sees the one sample profile`);
  }
  t.same((await lock.query('SELECT name FROM dird_migration ORDER BY name')).rows.map((r) => r.name), MIGRATIONS, 'migrated once');
  const count = async (table: string) => Number((await lock.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  t.same([await count('dird_display'), await count('dird_source')], [1, 1], 'seeded once');
});

/** Up to 30 s: a cold start of a whole dird (plugins, sandboxes) on a busy machine. */
async function waitForStart(read: () => Promise<{ status: number; body: any }>) {
  let last = { status: 0, body: null as any };
  for (let attempt = 0; attempt < 300 && last.status !== 200; attempt++) {
    last = await read().catch(() => ({ status: 0, body: null }));
    if (last.status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return last;
}
