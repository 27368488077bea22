// The relay's listening connection dies (pg_terminate_backend, as a database restart or a network cut
// would do): the relay reconnects, invalidates everything (notifications sent meanwhile are lost), and
// changes are relayed again. Also: an instance skips its own notifications, and payloads stay in
// NOTIFY's 8000-byte limit.
import pg from 'pg';
import t from 'tap';
import { CHANNEL, ChangeRelay, encodeChange } from '../../host/change-relay.js';
import { ChangeHub } from '../../host/changes.js';
import type { ChangeKind } from '../../src/contracts.js';
import { postgresAdminUri, postgresDatabase, useDatabase } from '../helpers/databases.js';
import pino from 'pino';
import { eventually, twoInstances } from './setup.js';

const silent = pino({ level: 'silent' });

async function terminate(uri: string, pid: number): Promise<boolean> {
  const admin = new pg.Client({ connectionString: uri });
  await admin.connect();
  try {
    const { rows } = await admin.query('SELECT pg_terminate_backend($1) AS done', [pid]);
    return rows[0].done === true;
  } finally {
    await admin.end();
  }
}

/** A relay on its own hub, recording what the hub delivers to subscribers. */
function relayOn(uri: string, notify: (channel: string, payload: string) => Promise<unknown>, settings = {}) {
  const hub = new ChangeHub();
  const seen: Array<[ChangeKind, string, string[] | null]> = [];
  hub.subscribe((kind, uuid, detail) => seen.push([kind, uuid, detail]));
  const relay = new ChangeRelay(uri, hub, notify, silent, settings);
  return { hub, relay, seen };
}

t.test('killed listening connection: B reconnects, invalidates, and relays again', async (t) => {
  const { uri, b, onA, onB } = await twoInstances(t);
  const display = (await onA('POST', '/0.1/displays', { name: 'd', columns: [{ title: 'One', field: 'name' }] })).body;
  await onA('POST', '/0.1/profiles', { name: 'p', display: { uuid: display.uuid }, services: {} });
  const headersOnB = async () => (await onB('GET', '/0.1/directories/lookup/p?term=x')).body.column_headers;
  t.same(await headersOnB(), ['One'], 'B holds the profile');

  const pid = b.dird.relay!.listenerPid();
  t.ok(pid, "B's listening connection");
  t.ok(await terminate(uri, pid!), 'terminated');
  const back = await eventually(async () => b.dird.relay!.listenerPid(), (now) => now !== null && now !== pid);
  t.ok(back !== null && back !== pid, 'B listens again on a new connection');
  t.same((await onB('GET', '/0.1/status')).body.change_relay, { status: 'ok' });

  await onA('PUT', `/0.1/displays/${display.uuid}`, { name: 'd', columns: [{ title: 'Two', field: 'name' }] });
  t.same(await eventually(headersOnB, (headers) => headers?.[0] === 'Two'), ['Two'], 'a later change on A reaches B');
});

t.test('notifications missed while down are made up for by invalidating everything', async (t) => {
  const uri = await useDatabase(t, postgresDatabase(postgresAdminUri));
  const sender = new pg.Client({ connectionString: uri });
  await sender.connect();
  t.teardown(() => sender.end());
  const notify = (channel: string, payload: string) => sender.query('SELECT pg_notify($1, $2)', [channel, payload]);
  // A backoff long enough for the test to send while the relay is surely down.
  const { relay, seen } = relayOn(uri, notify, { initialBackoffMs: 1000 });
  t.teardown(() => relay.close());
  await relay.start();
  t.equal(relay.status(), 'ok');

  await notify(CHANNEL, encodeChange('elsewhere', 'source', 's1', null));
  t.same(await eventually(async () => seen.length, (n) => n === 1), 1, 'a change from another instance is delivered');
  t.same(seen[0], ['source', 's1', null]);

  t.ok(await terminate(uri, relay.listenerPid()!));
  t.equal(await eventually(async () => relay.status(), (s) => s === 'fail'), 'fail', 'the relay knows it is down');
  await notify(CHANNEL, encodeChange('elsewhere', 'profile', 'p1', null));
  t.equal(await eventually(async () => relay.status(), (s) => s === 'ok'), 'ok', 'and reconnects');
  t.same(seen.slice(1), [['all', '*', null]], 'then invalidates everything instead of the change it missed');
});

t.test('a relay that could not listen at start invalidates everything once it can', async (t) => {
  const admin = new pg.Client({ connectionString: postgresAdminUri });
  await admin.connect();
  t.teardown(() => admin.end());
  const name = `dird_test_late_${process.pid}_${Date.now()}`;
  const uri = Object.assign(new URL(postgresAdminUri), { pathname: `/${name}` }).toString();
  const { relay, seen } = relayOn(uri, async () => undefined, { initialBackoffMs: 200, maxBackoffMs: 200 });
  t.teardown(() => relay.close());
  await relay.start();
  t.equal(relay.status(), 'fail', 'its database does not exist yet');
  await admin.query(`CREATE DATABASE ${name}`);
  t.teardown(async () => {
    await relay.close();
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  });
  t.equal(await eventually(async () => relay.status(), (s) => s === 'ok'), 'ok', 'it listens once the database is there');
  t.same(seen, [['all', '*', null]], 'and drops whatever was cached meanwhile');
});

t.test('an instance skips its own notifications; detail is carried', async (t) => {
  const uri = await useDatabase(t, postgresDatabase(postgresAdminUri));
  const pool = new pg.Pool({ connectionString: uri, max: 2 });
  t.teardown(() => pool.end());
  const notify = (channel: string, payload: string) => pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
  const a = relayOn(uri, notify);
  const b = relayOn(uri, notify);
  t.teardown(() => a.relay.close());
  t.teardown(() => b.relay.close());
  await Promise.all([a.relay.start(), b.relay.start()]);

  a.hub.publish('phonebook', 'book-1', ['c1', 'c2']);
  await eventually(async () => b.seen.length, (n) => n === 1);
  t.same(b.seen, [['phonebook', 'book-1', ['c1', 'c2']]], 'B got it with its detail');
  // B answers once A's notification reached it; PostgreSQL delivers in commit order, so when A sees B's
  // answer, its own notification has come back to it too.
  b.hub.publish('profile', 'p-1');
  await eventually(async () => a.seen.length, (n) => n === 2);
  t.same(a.seen, [['phonebook', 'book-1', ['c1', 'c2']], ['profile', 'p-1', null]], 'A saw its own change once (locally) and B\'s');
});

t.test('payloads fit NOTIFY', async (t) => {
  const ids = Array.from({ length: 400 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const small = JSON.parse(encodeChange('me', 'phonebook', 'b', ids.slice(0, 10)));
  t.same(small.d, ids.slice(0, 10), 'a few ids are carried');
  const big = JSON.parse(encodeChange('me', 'phonebook', 'b', ids));
  t.same([big.k, big.u, big.d], ['phonebook', 'b', null], 'too many: "any contact of that phonebook"');
  const huge = JSON.parse(encodeChange('me', 'source', 'x'.repeat(9000), null));
  t.same([huge.k, huge.u], ['all', '*'], 'an absurd uuid: everything');
});
