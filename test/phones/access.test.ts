// Phones are let in by source address only; X-Forwarded-For counts only when sent by a trusted proxy.
import t from 'tap';
import { startPhones, user } from './setup.js';

const path = `/0.1/directories/lookup/default/yealink?xivo_user_uuid=${user}&term=alice`;

t.test('an address in the allow-list is served, another is refused with 403', async (t) => {
  const allowed = await startPhones(t, { config: { authorized_subnets: ['127.0.0.0/8'] } });
  t.equal((await allowed.get(path)).status, 200);
  const refusing = await startPhones(t, { config: { authorized_subnets: ['192.0.2.0/24', '2001:db8::/32'] } });
  const refused = await refusing.get(path);
  t.equal(refused.status, 403);
  t.match(JSON.parse(refused.text), { reason: [/127\.0\.0\.1 is not authorized/], status_code: 403 });
  t.equal((await refusing.get('/0.1/nothing-here')).status, 403, 'even where there is nothing to serve');
});

t.test('a spoofed X-Forwarded-For from an untrusted peer changes nothing', async (t) => {
  const phones = await startPhones(t, { config: { authorized_subnets: ['192.0.2.0/24'] } });
  t.equal((await phones.get(path, { 'X-Forwarded-For': '192.0.2.10' })).status, 403);
  const open = await startPhones(t, { config: { authorized_subnets: ['127.0.0.1/32'] } });
  t.equal((await open.get(path, { 'X-Forwarded-For': '198.51.100.7' })).status, 200, 'nor does it lock out an allowed peer');
});

t.test('behind a trusted proxy the forwarded client address is checked', async (t) => {
  const phones = await startPhones(t, { config: { authorized_subnets: ['192.0.2.0/24'], trusted_proxies: ['127.0.0.1'] } });
  t.equal((await phones.get(path, { 'X-Forwarded-For': '192.0.2.10' })).status, 200, 'allowed client');
  t.equal((await phones.get(path, { 'X-Forwarded-For': '198.51.100.7' })).status, 403, 'refused client');
  t.equal((await phones.get(path, { 'X-Forwarded-For': '192.0.2.10, 198.51.100.7' })).status, 403,
    'the address the trusted proxy saw counts, not one the client wrote before it');
  t.equal((await phones.get(path)).status, 403, 'the proxy itself is not in the allow-list');
});

t.test('IPv6: a ::1 peer is matched against IPv6 ranges', async (t) => {
  const allowed = await startPhones(t, { host: '::1', config: { authorized_subnets: ['::1/128'] } });
  t.match(allowed.url, /^http:\/\/\[::1\]:/);
  const response = await allowed.get(path);
  t.equal(response.status, 200);
  const refused = await startPhones(t, { host: '::1', config: { authorized_subnets: ['127.0.0.0/8', 'fd00::/8'] } });
  t.equal((await refused.get(path)).status, 403);
});

t.test('a malformed allow-list stops the phone API from loading instead of guessing', async (t) => {
  const phones = await startPhones(t, { config: { authorized_subnets: ['10.0.0.0/99'] } }).catch((error) => error);
  t.ok(phones instanceof Error, 'no phone API to listen with');
});
