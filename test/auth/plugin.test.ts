import t from 'tap';
import Fastify from 'fastify';
import pino from 'pino';
import { DirdError } from '../../src/errors.js';
import { authPlugin } from '../../host/auth/plugin.js';
import type { AuthProvider } from '../../host/auth/provider.js';
import { StaticAuthProvider } from '../../host/auth/static.js';
import { WazoAuthProvider } from '../../host/auth/wazo.js';
import { FakeWazoAuth, closedPort } from './fake-wazo-auth.js';

const ROOT = 'aaaaaaaa-0000-4000-8000-000000000001';
const CHILD = 'aaaaaaaa-0000-4000-8000-000000000002';
const GRANDCHILD = 'aaaaaaaa-0000-4000-8000-000000000003';
const SIBLING = 'aaaaaaaa-0000-4000-8000-000000000004';

const staticConfig = {
  auth: {
    static_tokens: {
      root: { user_uuid: 'root-user', tenant_uuid: ROOT, acl: ['dird.#'] },
      child: { user_uuid: 'child-user', tenant_uuid: CHILD, acl: ['dird.#', '!dird.graphql.user'] },
      dotted: { user_uuid: 'u', tenant_uuid: CHILD, acl: ['dird.directories.lookup.my_profile_v2.read'] },
      literal: { user_uuid: 'u', tenant_uuid: CHILD, acl: ['dird.directories.lookup.my.profile.v2.read'] },
      status: { user_uuid: 'u', tenant_uuid: CHILD, acl: ['dird.status.read'] },
    },
    static_tenants: [
      { uuid: ROOT, name: 'root', parent_uuid: null },
      { uuid: CHILD, name: 'child', parent_uuid: ROOT },
      { uuid: GRANDCHILD, name: 'grandchild', parent_uuid: CHILD },
      { uuid: SIBLING, name: 'sibling', parent_uuid: ROOT },
    ],
  },
};

/** Records the ACLs the hook asks for. */
function spying(provider: AuthProvider): { provider: AuthProvider; acls: string[] } {
  const acls: string[] = [];
  return {
    acls,
    provider: Object.assign(Object.create(provider), {
      check: (token: string, acl: string, tenant?: string) => {
        acls.push(acl);
        return provider.check(token, acl, tenant);
      },
      knownCheck: (token: string, acl: string, tenant?: string) => {
        acls.push(acl);
        return provider.knownCheck(token, acl, tenant);
      },
    }),
  };
}

async function build(provider: AuthProvider) {
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof DirdError) {
      return reply.status(error.status).send({ message: error.message, error_id: error.errorId, details: error.details });
    }
    return reply.status(500).send({ message: String(error) });
  });
  await app.register(authPlugin, { provider });
  app.get('/0.1/status', { config: { acl: 'dird.status.read' } }, async (request) => ({
    tenant: await request.dird.tenant(),
    token: request.dird.token,
  }));
  app.get('/0.1/directories/lookup/:profile', { config: { acl: 'dird.directories.lookup.{profile}.read' } }, async () => ({ ok: true }));
  app.get('/0.1/displays/:display_uuid', { config: { acl: 'dird.displays.{display_uuid}.read' } }, async (request) => ({
    tenant: await request.dird.tenant(),
    visible: await request.dird.visibleTenants(true),
    own: await request.dird.visibleTenants(false),
  }));
  app.get('/0.1/phonebooks/:phonebook_uuid', {
    schema: { params: { type: 'object', properties: { phonebook_uuid: { type: 'string', format: 'uuid' } } } },
    config: { acl: 'dird.phonebooks.{phonebook_uuid}.read' },
  }, async () => ({ ok: true }));
  app.get('/0.1/config', { config: { acl: 'dird.config.read', masterTenant: true } }, async () => ({ config: true }));
  app.get('/api/api.yml', async () => 'swagger: "2.0"\n');
  app.post('/0.1/graphql', async (request) => {
    const field = (request.body as { field: string }).field;
    await request.dird.requireAcl(`dird.graphql.${field}`);
    return { tenant: await request.dird.tenant(), user: (await request.dird.tokenInfo()).user_uuid };
  });
  await app.ready();
  return app;
}

t.test('missing token and wrong ACL are 401', async (t) => {
  const app = await build(new StaticAuthProvider(staticConfig));
  t.teardown(() => app.close());

  const missing = await app.inject({ url: '/0.1/status' });
  t.equal(missing.statusCode, 401);
  t.same(missing.json(), {
    message: 'Unauthorized',
    error_id: 'unauthorized',
    details: { invalid_token: true, reason: 'not_found_or_expired', required_access: 'dird.status.read' },
  });

  const wrong = await app.inject({ url: '/0.1/config', headers: { 'X-Auth-Token': 'status' } });
  t.equal(wrong.statusCode, 401);
  t.same(wrong.json().details, { invalid_token: true, reason: 'missing_permission_or_invalid_tenant', required_access: 'dird.config.read', tenant_uuid: null });

  const ok = await app.inject({ url: '/0.1/status', headers: { 'X-Auth-Token': 'status' } });
  t.equal(ok.statusCode, 200);
  t.same(ok.json(), { tenant: CHILD, token: 'status' });

  const spec = await app.inject({ url: '/api/api.yml' });
  t.equal(spec.statusCode, 200, 'routes without acl are public');
});

t.test('path params are substituted with dots turned into underscores', async (t) => {
  const spy = spying(new StaticAuthProvider(staticConfig));
  const app = await build(spy.provider);
  t.teardown(() => app.close());

  const dotted = await app.inject({ url: '/0.1/directories/lookup/my.profile.v2', headers: { 'X-Auth-Token': 'dotted' } });
  t.equal(dotted.statusCode, 200);
  t.same(spy.acls, ['dird.directories.lookup.my_profile_v2.read']);
  const literal = await app.inject({ url: '/0.1/directories/lookup/my.profile.v2', headers: { 'X-Auth-Token': 'literal' } });
  t.equal(literal.statusCode, 401, 'the dotted ACL does not match');
  t.equal(literal.json().details.required_access, 'dird.directories.lookup.my_profile_v2.read');

  const upper = 'ABCDEF01-0000-4000-8000-00000000000A';
  await app.inject({ url: `/0.1/phonebooks/${upper}`, headers: { 'X-Auth-Token': 'root' } });
  t.equal(spy.acls.at(-1), `dird.phonebooks.${upper.toLowerCase()}.read`, 'uuid params are canonical');
});

t.test('Wazo-Tenant: descendants only', async (t) => {
  const app = await build(new StaticAuthProvider(staticConfig));
  t.teardown(() => app.close());
  const get = (token: string, tenant?: string) => app.inject({
    url: '/0.1/displays/some.display',
    headers: { 'X-Auth-Token': token, ...(tenant ? { 'Wazo-Tenant': tenant } : {}) },
  });

  const own = await get('child');
  t.equal(own.statusCode, 200);
  t.same(own.json(), { tenant: CHILD, visible: [CHILD, GRANDCHILD], own: [CHILD] });

  const descendant = await get('child', GRANDCHILD);
  t.equal(descendant.statusCode, 200);
  t.same(descendant.json(), { tenant: GRANDCHILD, visible: [GRANDCHILD], own: [GRANDCHILD] });

  const fromRoot = await get('root', CHILD);
  t.same(fromRoot.json().visible, [CHILD, GRANDCHILD]);

  for (const tenant of [ROOT, SIBLING]) {
    const refused = await get('child', tenant);
    t.equal(refused.statusCode, 401, `child may not use ${tenant}`);
    t.same(refused.json().details, { invalid_token: true, reason: 'missing_permission_or_invalid_tenant', required_access: 'dird.displays.some_display.read', tenant_uuid: tenant });
  }
});

t.test('routes without acl check Wazo-Tenant when it is used; requireAcl', async (t) => {
  const app = await build(new StaticAuthProvider(staticConfig));
  t.teardown(() => app.close());
  const graphql = (token: string, field: string, tenant?: string) => app.inject({
    method: 'POST', url: '/0.1/graphql', payload: { field },
    headers: { 'X-Auth-Token': token, ...(tenant ? { 'Wazo-Tenant': tenant } : {}) },
  });

  const me = await graphql('child', 'me');
  t.equal(me.statusCode, 200);
  t.same(me.json(), { tenant: CHILD, user: 'child-user' });

  const denied = await graphql('child', 'user');
  t.equal(denied.statusCode, 401);
  t.same(denied.json().details, { invalid_token: true, reason: 'missing_permission_or_invalid_tenant', required_access: 'dird.graphql.user', tenant_uuid: null });

  t.equal((await graphql('child', 'me', GRANDCHILD)).json().tenant, GRANDCHILD);
  const sibling = await graphql('child', 'me', SIBLING);
  t.equal(sibling.statusCode, 401, 'requireAcl carries the Wazo-Tenant header');

  const unknown = await graphql('nope', 'me');
  t.equal(unknown.statusCode, 401);
  t.equal(unknown.json().details.reason, 'not_found_or_expired');
});

t.test('tenant() on an unverified header asks tenantAllowed', async (t) => {
  const provider = new StaticAuthProvider(staticConfig);
  const app = Fastify();
  app.setErrorHandler((error, _request, reply) => {
    const e = error as unknown as DirdError;
    return reply.status(e.status ?? 500).send({ message: e.message, error_id: e.errorId, details: e.details });
  });
  await app.register(authPlugin, { provider });
  app.get('/tenant', async (request) => ({ tenant: await request.dird.tenant() }));
  t.teardown(() => app.close());

  const ok = await app.inject({ url: '/tenant', headers: { 'X-Auth-Token': 'child', 'Wazo-Tenant': GRANDCHILD } });
  t.same(ok.json(), { tenant: GRANDCHILD });
  const refused = await app.inject({ url: '/tenant', headers: { 'X-Auth-Token': 'child', 'Wazo-Tenant': ROOT } });
  t.equal(refused.statusCode, 401);
  t.same(refused.json(), { message: 'Unauthorized tenant', error_id: 'unauthorized-tenant', details: { tenant_uuid: ROOT } });
});

t.test('master-tenant routes', async (t) => {
  const app = await build(new StaticAuthProvider(staticConfig));
  t.teardown(() => app.close());
  t.equal((await app.inject({ url: '/0.1/config', headers: { 'X-Auth-Token': 'root' } })).statusCode, 200);
  const child = await app.inject({ url: '/0.1/config', headers: { 'X-Auth-Token': 'child' } });
  t.equal(child.statusCode, 401, 'ACL ok but not the master tenant');
  t.equal(child.json().error_id, 'unauthorized');
  const viaHeader = await app.inject({ url: '/0.1/config', headers: { 'X-Auth-Token': 'child', 'Wazo-Tenant': ROOT } });
  t.equal(viaHeader.statusCode, 401, 'a Wazo-Tenant header does not make a child token master');
});

t.test('wazo-auth behind the hook', async (t) => {
  const fake = await new FakeWazoAuth({
    tokens: { 'user-token': { user_uuid: 'user-1', tenant_uuid: CHILD, acl: ['dird.#'] } },
    tenants: [{ uuid: ROOT, name: 'root', parent_uuid: ROOT }, { uuid: CHILD, name: 'child', parent_uuid: ROOT }],
  }).start();
  const provider = new WazoAuthProvider({ auth: { host: '127.0.0.1', port: fake.port } }, pino({ level: 'silent' }));
  const app = await build(provider);
  t.teardown(async () => { await app.close(); await provider.close(); await fake.stop(); });

  const res = await app.inject({ url: '/0.1/status', headers: { 'X-Auth-Token': 'user-token', 'Wazo-Tenant': CHILD } });
  t.equal(res.statusCode, 200);
  t.same(res.json(), { tenant: CHILD, token: 'user-token' });
  t.same(fake.requests.map((r) => [r.method, r.path, r.query]), [
    ['HEAD', '/0.1/token/user-token', { scope: 'dird.status.read', tenant: CHILD }],
  ], 'the header tenant was verified with the ACL: no second call');

  const master = await app.inject({ url: '/0.1/config', headers: { 'X-Auth-Token': 'user-token' } });
  t.equal(master.statusCode, 503, 'no service credentials: master tenant unknown');
  t.same(master.json(), { message: 'wazo-dird master tenant is not initiated', error_id: 'matser-tenant-not-initiated', details: {} });
});

t.test('503 when the auth server is down', async (t) => {
  const port = await closedPort();
  const provider = new WazoAuthProvider({ auth: { host: '127.0.0.1', port } }, pino({ level: 'silent' }));
  const app = await build(provider);
  t.teardown(async () => { await app.close(); await provider.close(); });
  const res = await app.inject({ url: '/0.1/status', headers: { 'X-Auth-Token': 'any' } });
  t.equal(res.statusCode, 503);
  const body = res.json();
  t.equal(body.error_id, 'authentication-server-unreachable');
  t.equal(body.message, 'Authentication server unreachable');
  t.match(body.details, { auth_server_host: '127.0.0.1', auth_server_port: port, original_error: /ECONNREFUSED/ });
});
