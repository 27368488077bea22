// The whole dird against a wazo-auth stand-in speaking the real wire format: grants are cached briefly,
// and an unreachable auth server answers 503, never a hang or a 500.
import { join } from 'node:path';
import t from 'tap';
import pino from 'pino';
import { createDird } from '../../host/app.js';
import { defaults } from '../../src/config/defaults.js';
import { packageRoot } from '../../src/config/load.js';
import { deepMerge } from '../../src/config/merge.js';
import { FakeWazoAuth, until } from '../auth/fake-wazo-auth.js';
import { tenants, users } from '../helpers/dird.js';

const fake = await new FakeWazoAuth({
  tokens: {
    admin: { user_uuid: users.admin, tenant_uuid: tenants.master, acl: ['dird.#'] },
    'admin-two': { user_uuid: users.admin, tenant_uuid: tenants.master, acl: ['dird.#'] },
    'admin-three': { user_uuid: users.admin, tenant_uuid: tenants.master, acl: ['dird.#'] },
    none: { user_uuid: users.noacl, tenant_uuid: tenants.master, acl: [] },
  },
  tenants: [{ uuid: tenants.master, name: 'master', parent_uuid: tenants.master }],
  service: { username: 'dird-service', password: 'dird-secret', tenant_uuid: tenants.master },
}).start();
const dird = await createDird(deepMerge(defaults, {
  db_uri: 'sqlite::memory:',
  auth: { host: '127.0.0.1', port: fake.port, https: false, username: 'dird-service', password: 'dird-secret', timeout: 1 },
}), pino({ level: 'silent' }));
t.teardown(async () => {
  await dird.close();
  await fake.stop().catch(() => {});
});

const call = async (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const response = await dird.app.inject({ method, url, payload: payload as any, headers: { 'x-auth-token': token } });
  return { status: response.statusCode, body: response.json() };
};

t.test('requests are authorised by wazo-auth, and a grant is cached briefly', async (t) => {
  t.ok(await until(() => dird.auth.masterTenant() !== null), 'the service token gave the master tenant');
  const display = await call('admin', 'POST', '/0.1/displays', { name: 'd', columns: [{ field: 'firstname' }] });
  t.equal(display.status, 201);
  const source = await call('admin', 'POST', '/0.1/backends/csv/sources', {
    name: 'people', file: join(packageRoot, 'test/fixtures/csv-core/people.csv'),
    searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' },
  });
  const sources = [{ uuid: source.body.uuid }];
  await call('admin', 'POST', '/0.1/profiles', {
    name: 'p', display: { uuid: display.body.uuid }, services: { lookup: { sources }, reverse: { sources } },
  });
  const first = await call('admin', 'GET', '/0.1/directories/lookup/p?term=ali');
  t.same(first.body.results.map((r: any) => r.column_values), [['Alice']]);
  const checks = fake.hits('HEAD', '/0.1/token/admin').length;
  await call('admin', 'GET', '/0.1/directories/lookup/p?term=bob');
  t.equal(fake.hits('HEAD', '/0.1/token/admin').length, checks, 'the second lookup did not ask wazo-auth again');
  const reverse = await call('admin', 'GET', `/0.1/directories/reverse/p/${users.admin}?exten=5551000002`);
  t.equal(reverse.body.display, 'Bob Bernier');
  const refused = await call('none', 'GET', '/0.1/directories/lookup/p?term=a');
  t.equal(refused.status, 401);
  const status = await call('admin', 'GET', '/0.1/status');
  t.same(status.body.master_tenant, { status: 'ok' });
});

t.test('wazo-auth failing or gone: 503 in the route shape', async (t) => {
  fake.forcedStatus = 500;
  const api = await call('admin-two', 'GET', '/0.1/displays');
  t.equal(api.status, 503);
  t.equal(api.body.error_id, 'authentication-server-unreachable');
  const legacy = await call('admin-two', 'GET', '/0.1/directories/lookup/p?term=a');
  t.equal(legacy.status, 503);
  t.equal(legacy.body.status_code, 503, 'legacy routes keep the legacy shape');
  fake.forcedStatus = null;
  await fake.stop();
  const started = Date.now();
  const gone = await call('admin-three', 'GET', '/0.1/displays');
  t.equal(gone.status, 503);
  t.match(gone.body.details, { auth_server_host: '127.0.0.1', auth_server_port: fake.port });
  t.ok(Date.now() - started < 5000, 'no hang');
});
