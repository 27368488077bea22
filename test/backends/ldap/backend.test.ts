// The ldap back-end used directly against a real slapd: list (favorites) by entryUUID and binary_uuid,
// match all, its own operation timeout on a server that never answers, concurrent calls over a restart.
import { createServer, type Socket } from 'node:net';
import t from 'tap';
import type { SourceConfig } from '../../../src/contracts.js';
import { rejection } from '../../helpers/rejection.js';
import { startSlapd } from '../../helpers/slapd.js';
import { GUIDS, loadLdap, people } from './fixture.js';

const args = { token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null };
const slapd = await startSlapd({ entries: people.slice(0, 4) });
t.teardown(() => slapd.close());

function backend(extra: Partial<SourceConfig> = {}) {
  return loadLdap(slapd.url, { unique_column: 'entryUUID', ...extra });
}

t.test('list by entryUUID, as favorites ask', async (t) => {
  const src = await backend();
  const [alice] = await src.search('alice', args);
  t.same(Object.keys(alice).sort(), ['cn', 'entryUUID'], 'only the attributes the format columns name, and the unique column');
  const [bob] = await src.search('bob', args);
  const listed = await src.list([String(alice.entryUUID), String(bob.entryUUID), '00000000-0000-0000-0000-000000000000'], args);
  t.same(listed.map((fields) => fields.cn).sort(), ['Alice Ardent', 'Bob Bernier']);
  t.same(await src.list([], args), []);
  t.same(await (await backend({ unique_column: null })).list([String(alice.entryUUID)], args), [], 'no unique column, no list');
});

t.test('list by a binary_uuid objectGUID', async (t) => {
  const src = await backend({ unique_column: 'objectGUID', unique_column_format: 'binary_uuid' });
  const listed = await src.list([GUIDS.bob, 'not-a-uuid'], args);
  t.same(listed, [{ cn: 'Bob Bernier', objectGUID: GUIDS.bob }]);
});

t.test('match all: each exten mapped to its entry, on any first-matched column', async (t) => {
  const src = await backend();
  const found = await src.matchAll(['5551000002', '5552000001', '999'], args);
  t.same(Object.keys(found).sort(), ['5551000002', '5552000001']);
  t.equal(found['5552000001'].cn, 'Alice Ardent');
  t.same(await src.matchAll([], args), {});
});

t.test('a server that never answers: the source\'s own operation timeout ends the call with an error', async (t) => {
  const sockets = new Set<Socket>();
  const hung = createServer((socket) => { sockets.add(socket); socket.on('error', () => {}); });
  await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => { sockets.forEach((s) => s.destroy()); hung.close(() => resolve()); }));
  const { port } = hung.address() as { port: number };
  const src = await backend({ ldap_uri: `ldap://127.0.0.1:${port}`, ldap_timeout: 0.2 });
  t.match((await rejection(src.search('alice', args))).message, /^ldap source unavailable: .*timed out/i);
  t.match((await rejection(src.firstMatch('5551000001', args))).message, /^ldap source unavailable: /);
  t.match((await rejection(src.matchAll(['5551000001'], args))).message, /^ldap source unavailable: /);
});

t.test('concurrent calls across a restart: all settle; down they reject, never answer "no match"; afterwards all answer', async (t) => {
  const own = await startSlapd({ entries: people.slice(0, 3) });
  t.teardown(() => own.close());
  const src = await backend({ ldap_uri: own.url });
  const many = () => Promise.allSettled(Array.from({ length: 20 }, (_, i) => src.firstMatch(i % 2 ? '5551000001' : '5551000002', args)));
  const found = async () => (await many()).filter((answer) => answer.status === 'fulfilled' && answer.value).length;
  t.equal(await found(), 20);
  const during = many();
  await own.stop();
  await during;
  t.same((await many()).map((answer) => answer.status), Array(20).fill('rejected'), 'down: every call rejects');
  t.same((await rejection(src.search('alice', args))).constructor, Error, 'search too');
  t.same((await rejection(src.list(['x'], args))).constructor, Error, 'list too');
  await own.start();
  t.equal(await found(), 20, 'every call answers again');
});
