import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import pino from 'pino';
import { AuthUnreachableError } from '../../host/auth/provider.js';
import { WazoAuthProvider } from '../../host/auth/wazo.js';
import type { WazoAuthOptions } from '../../host/auth/wazo.js';
import { FakeWazoAuth, closedPort, until } from './fake-wazo-auth.js';
import { rejection } from '../helpers/rejection.js';

const MASTER = '11111111-1111-4111-8111-111111111111';
const CHILD = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';
const silent = pino({ level: 'silent' });


function fakeAuth(extra: { prefix?: string; service?: boolean } = {}) {
  return new FakeWazoAuth({
    prefix: extra.prefix,
    tokens: {
      'admin-token': { user_uuid: 'admin-user', tenant_uuid: MASTER, acl: ['dird.#', 'auth.tenants.read', '!dird.config.update'] },
      'child-token': { user_uuid: 'child-user', tenant_uuid: CHILD, session_uuid: 'child-session', acl: ['dird.directories.#'] },
    },
    tenants: [
      { uuid: MASTER, name: 'master', parent_uuid: MASTER },
      { uuid: CHILD, name: 'child', parent_uuid: MASTER },
      { uuid: OTHER, name: 'other', parent_uuid: MASTER },
    ],
    service: extra.service === false ? undefined : { username: 'wazo-dird-service', password: 's3cr3t-key', tenant_uuid: MASTER },
    users: { 'phone-user': CHILD },
  }).start();
}

function provider(fake: FakeWazoAuth, auth: Record<string, unknown> = {}, options?: WazoAuthOptions, log = silent) {
  return new WazoAuthProvider({ auth: { host: '127.0.0.1', port: fake.port, ...auth } }, log, options);
}

t.test('check speaks the wazo-auth wire format', async (t) => {
  const fake = await fakeAuth({ prefix: '/api/auth' });
  const auth = provider(fake, { prefix: '/api/auth', cache_ttl: 0 });
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  t.equal(auth.baseUrl, `http://127.0.0.1:${fake.port}/api/auth/0.1`);

  t.same(await auth.check('admin-token', 'dird.status.read'), { ok: true });
  const [first] = fake.hits('HEAD', '/api/auth/0.1/token/');
  t.equal(first.path, '/api/auth/0.1/token/admin-token');
  t.same(first.query, { scope: 'dird.status.read' }, 'no tenant parameter without Wazo-Tenant');
  t.equal(first.headers['x-auth-token'], 'admin-token');
  t.equal(first.headers.accept, 'application/json');

  t.same(await auth.check('admin-token', 'dird.displays.read', CHILD), { ok: true });
  t.same(fake.hits('HEAD', '/api/auth/0.1/token/')[1].query, { scope: 'dird.displays.read', tenant: CHILD });
});

t.test('status mapping', async (t) => {
  const fake = await fakeAuth();
  const auth = provider(fake, { cache_ttl: 0 });
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  t.same(await auth.check('unknown-token', 'dird.status.read'), { ok: false, reason: 'not_found_or_expired' }, '404');
  t.same(await auth.check('admin-token', 'dird.config.update'), { ok: false, reason: 'missing_permission_or_invalid_tenant' }, '403 on ACL');
  t.same(await auth.check('child-token', 'dird.directories.lookup.default.read', MASTER), { ok: false, reason: 'missing_permission_or_invalid_tenant' }, '403 on tenant');
  fake.forcedStatus = 500;
  const error = await rejection(auth.check('admin-token', 'dird.status.read'));
  t.type(error, AuthUnreachableError, '500');
  t.match(error, { host: '127.0.0.1', port: fake.port, originalError: /500/ });
  fake.forcedStatus = 200;
  t.type(await rejection(auth.check('admin-token', 'dird.status.read')), AuthUnreachableError, 'a 200 to HEAD is not the contract');
});

t.test('connection refused and timeouts are unreachable', async (t) => {
  const port = await closedPort();
  const refused = new WazoAuthProvider({ auth: { host: '127.0.0.1', port } }, silent);
  t.teardown(() => refused.close());
  const error = await rejection(refused.check('admin-token', 'dird.status.read'));
  t.type(error, AuthUnreachableError);
  t.match(error, { host: '127.0.0.1', port, originalError: /ECONNREFUSED/ });
  t.type(await rejection(refused.tokenInfo('admin-token')), AuthUnreachableError);

  const fake = await fakeAuth();
  fake.hangPaths.add('/0.1/token/admin-token');
  const slow = provider(fake, { timeout: 0.2 });
  t.teardown(async () => { await slow.close(); await fake.stop(); });
  const started = Date.now();
  t.match(await rejection(slow.check('admin-token', 'dird.status.read')), { originalError: 'timeout' });
  t.ok(Date.now() - started < 2000, 'gave up after the configured timeout');
});

t.test('positive checks are cached briefly, negative ones are not', async (t) => {
  const fake = await fakeAuth();
  const auth = provider(fake, { cache_ttl: 0.3 });
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  const heads = () => fake.hits('HEAD', '/0.1/token/').length;

  t.same(await auth.check('admin-token', 'dird.status.read'), { ok: true });
  t.same(await auth.check('admin-token', 'dird.status.read'), { ok: true });
  t.equal(heads(), 1, 'second check answered from the cache');
  await auth.check('admin-token', 'dird.status.read', CHILD);
  t.equal(heads(), 2, 'another tenant is another check');

  await auth.check('admin-token', 'dird.config.update');
  await auth.check('admin-token', 'dird.config.update');
  t.equal(heads(), 4, 'refusals are asked again');

  await Promise.all(Array.from({ length: 20 }, () => auth.check('child-token', 'dird.directories.x.read')));
  t.equal(heads(), 5, 'concurrent identical checks share one request');

  await new Promise((resolve) => setTimeout(resolve, 400));
  await auth.check('admin-token', 'dird.status.read');
  t.equal(heads(), 6, 'expired entries are checked again');
});

t.test('token info and tenant checks', async (t) => {
  const fake = await fakeAuth();
  const auth = provider(fake);
  t.teardown(async () => { await auth.close(); await fake.stop(); });

  t.same(await auth.tokenInfo('child-token'), { token: 'child-token', user_uuid: 'child-user', tenant_uuid: CHILD, session_uuid: 'child-session' });
  await auth.tokenInfo('child-token');
  const gets = fake.hits('GET', '/0.1/token/');
  t.equal(gets.length, 1, 'token info is cached');
  t.equal(gets[0].path, '/0.1/token/child-token');
  t.equal(gets[0].headers['x-auth-token'], 'child-token');
  t.match(await rejection(auth.tokenInfo('unknown-token')), { status: 401, errorId: 'unauthorized', details: { reason: 'not_found_or_expired' } });

  t.equal(await auth.tenantAllowed('admin-token', CHILD), true);
  t.equal(await auth.tenantAllowed('child-token', MASTER), false);
  const tenantHeads = fake.hits('HEAD', '/0.1/token/');
  t.same(tenantHeads.map((r) => r.query), [{ tenant: CHILD }, { tenant: MASTER }], 'tenant checks carry no scope');
});

t.test('visible tenants', async (t) => {
  const fake = await fakeAuth();
  const auth = provider(fake);
  t.teardown(async () => { await auth.close(); await fake.stop(); });

  t.same((await auth.visibleTenants('admin-token', MASTER)).sort(), [MASTER, CHILD, OTHER].sort());
  const [listing] = fake.hits('GET', '/0.1/tenants');
  t.equal(listing.headers['x-auth-token'], 'admin-token');
  t.equal(listing.headers['wazo-tenant'], MASTER);
  t.same(await auth.visibleTenants('admin-token', CHILD), [CHILD]);
  t.same(await auth.visibleTenants('child-token', CHILD), [CHILD], '401 on its own tenant: just that tenant');
  t.match(await rejection(auth.visibleTenants('child-token', OTHER)), { status: 401, errorId: 'unauthorized-tenant', details: { tenant_uuid: OTHER } });
});

t.test('service token gives the master tenant', async (t) => {
  const fake = await fakeAuth();
  const chunks: string[] = [];
  const log = pino({ level: 'debug' }, new Writable({ write(chunk, _enc, done) { chunks.push(String(chunk)); done(); } }));
  const auth = provider(fake, { username: 'wazo-dird-service', password: 's3cr3t-key' }, { retryDelaysMs: [20, 40] }, log);
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  fake.failServiceTokens = 2;
  t.equal(auth.masterTenant(), null, 'unknown before the first token');
  t.same(auth.status(), { master_tenant: { status: 'fail' } });

  t.ok(await until(() => auth.masterTenant() !== null), 'master tenant learnt after retries');
  t.equal(auth.masterTenant(), MASTER);
  t.same(auth.status(), { master_tenant: { status: 'ok' } });
  const posts = fake.hits('POST', '/0.1/token');
  t.equal(posts.length, 3, 'two failures then success');
  const last = posts[2];
  t.equal(last.headers.authorization, `Basic ${Buffer.from('wazo-dird-service:s3cr3t-key').toString('base64')}`);
  t.same(JSON.parse(last.body), { expiration: 21600 });
  t.match(last.headers['content-type'], /application\/json/);

  t.equal(await auth.tenantUuidByName('child', MASTER), CHILD);
  const byName = fake.hits('GET', '/0.1/tenants').at(-1)!;
  t.same(byName.query, { name: 'child' });
  t.equal(byName.headers['x-auth-token'], 'service-token-1', 'uses the service token');
  t.equal(byName.headers['wazo-tenant'], MASTER);
  t.equal(await auth.tenantUuidByName('nobody', MASTER), null);

  const logged = chunks.join('');
  t.match(logged, /cannot create the service token/);
  t.notMatch(logged, /s3cr3t-key/, 'the password is never logged');
  t.notMatch(logged, /service-token-1/, 'nor the service token');
});

t.test('service credentials from the key file, renewal, configured master', async (t) => {
  const fake = await fakeAuth();
  const dir = await mkdtemp(join(tmpdir(), 'dird-auth-'));
  const keyFile = join(dir, 'wazo-dird-key.yml');
  await writeFile(keyFile, 'service_id: wazo-dird-service\nservice_key: s3cr3t-key\n');
  const auth = provider(fake, { key_file: keyFile, master_tenant_uuid: OTHER }, { tokenExpiration: 0.1 });
  t.teardown(async () => { await auth.close(); await fake.stop(); await rm(dir, { recursive: true }); });

  t.equal(auth.masterTenant(), OTHER, 'configured master tenant is known at once');
  t.ok(await until(() => fake.hits('POST', '/0.1/token').length >= 3), 'token renewed at 0.8 x expiration');
  t.equal(auth.masterTenant(), OTHER, 'and not replaced by the service token tenant');
  t.same(JSON.parse(fake.hits('POST', '/0.1/token')[0].body), { expiration: 0.1 });

  await auth.close();
  const count = fake.hits('POST', '/0.1/token').length;
  await new Promise((resolve) => setTimeout(resolve, 250));
  t.equal(fake.hits('POST', '/0.1/token').length, count, 'no renewal after close');
});

t.test('no credentials: no service token, master unknown', async (t) => {
  const fake = await fakeAuth();
  const auth = provider(fake);
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(fake.hits('POST', '/0.1/token').length, 0);
  t.equal(auth.masterTenant(), null);
  t.type(await rejection(auth.tenantUuidByName('child', MASTER)), AuthUnreachableError);
});

t.test("a user's tenant (phone directories), asked with the service token", async (t) => {
  const fake = await fakeAuth();
  const auth = provider(fake, { username: 'wazo-dird-service', password: 's3cr3t-key' });
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  t.ok(await until(() => auth.masterTenant() !== null), 'service token obtained');
  t.equal(await auth.userTenant('phone-user'), CHILD);
  const [asked] = fake.hits('GET', '/0.1/users/');
  t.equal(asked.path, '/0.1/users/phone-user');
  t.equal(asked.headers['x-auth-token'], 'service-token-1');
  t.equal(await auth.userTenant('phone-user'), CHILD);
  t.equal(fake.hits('GET', '/0.1/users/').length, 1, 'cached');
  t.equal(await auth.userTenant('nobody'), null, 'unknown user');
  fake.forcedStatus = 500;
  t.type(await rejection(auth.userTenant('someone-else')), AuthUnreachableError);
});

t.test('no service token: a user tenant cannot be known', async (t) => {
  const fake = await fakeAuth({ service: false });
  const auth = provider(fake);
  t.teardown(async () => { await auth.close(); await fake.stop(); });
  t.type(await rejection(auth.userTenant('phone-user')), AuthUnreachableError);
});
