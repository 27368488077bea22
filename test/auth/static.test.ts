import t from 'tap';
import pino from 'pino';
import { createAuthProvider } from '../../host/auth/provider.js';
import { StaticAuthProvider } from '../../host/auth/static.js';
import { WazoAuthProvider } from '../../host/auth/wazo.js';
import { rejection } from '../helpers/rejection.js';


const ROOT = '00000000-0000-4000-8000-000000000001';
const CHILD = '00000000-0000-4000-8000-000000000002';
const GRANDCHILD = '00000000-0000-4000-8000-000000000003';
const OTHER = '00000000-0000-4000-8000-000000000004';

const config = {
  auth: {
    static_tokens: {
      'root-token': { user_uuid: 'root-user', tenant_uuid: ROOT, acl: ['dird.#', '!dird.config.update'] },
      'child-token': { user_uuid: 'child-user', tenant_uuid: CHILD, acl: ['dird.directories.*.me.read'], session_uuid: 'sess-1' },
      'no-acl-token': { user_uuid: null, tenant_uuid: OTHER },
    },
    static_tenants: [
      { uuid: ROOT, name: 'root', parent_uuid: ROOT },
      { uuid: CHILD, name: 'child', parent_uuid: ROOT },
      { uuid: GRANDCHILD, name: 'grandchild', parent_uuid: CHILD },
      { uuid: OTHER, name: 'other', parent_uuid: ROOT },
    ],
  },
};

t.test('check: unknown token, ACL and tenant', async (t) => {
  const auth = new StaticAuthProvider(config);
  t.same(await auth.check('nope', 'dird.status.read'), { ok: false, reason: 'not_found_or_expired' });
  t.same(await auth.check('', 'dird.status.read'), { ok: false, reason: 'not_found_or_expired' });
  t.same(await auth.check('root-token', 'dird.status.read'), { ok: true });
  t.same(await auth.check('root-token', 'dird.config.update'), { ok: false, reason: 'missing_permission_or_invalid_tenant' });
  t.same(await auth.check('child-token', 'dird.directories.lookup.child-user.read'), { ok: true });
  t.same(await auth.check('child-token', 'dird.directories.lookup.root-user.read'), { ok: false, reason: 'missing_permission_or_invalid_tenant' });
  t.same(await auth.check('no-acl-token', 'dird.status.read'), { ok: false, reason: 'missing_permission_or_invalid_tenant' });
  t.same(await auth.check('root-token', 'dird.status.read', GRANDCHILD), { ok: true }, 'root reaches a grandchild');
  t.same(await auth.check('child-token', 'dird.directories.x.me.read', GRANDCHILD), { ok: true });
  t.same(await auth.check('child-token', 'dird.directories.x.me.read', ROOT), { ok: false, reason: 'missing_permission_or_invalid_tenant' }, 'child cannot use its parent');
  t.same(await auth.check('child-token', 'dird.directories.x.me.read', OTHER), { ok: false, reason: 'missing_permission_or_invalid_tenant' }, 'nor a sibling');
});

t.test('tenant hierarchy', async (t) => {
  const auth = new StaticAuthProvider(config);
  t.equal(await auth.tenantAllowed('root-token', OTHER), true);
  t.equal(await auth.tenantAllowed('child-token', CHILD), true);
  t.equal(await auth.tenantAllowed('child-token', GRANDCHILD), true);
  t.equal(await auth.tenantAllowed('child-token', OTHER), false);
  t.equal(await auth.tenantAllowed('nope', ROOT), false);
  t.same(await auth.visibleTenants('root-token', ROOT), [ROOT, CHILD, OTHER, GRANDCHILD]);
  t.same(await auth.visibleTenants('root-token', CHILD), [CHILD, GRANDCHILD]);
  t.same(await auth.visibleTenants('child-token', GRANDCHILD), [GRANDCHILD]);
  t.match(await rejection(auth.visibleTenants('child-token', ROOT)), { status: 401, errorId: 'unauthorized-tenant', details: { tenant_uuid: ROOT } });
  t.match(await rejection(auth.visibleTenants('nope', ROOT)), { status: 401, errorId: 'unauthorized' });
  t.equal(await auth.tenantUuidByName('grandchild', ROOT), GRANDCHILD);
  t.equal(await auth.tenantUuidByName('root', CHILD), null, 'a parent is not visible from its child');
});

t.test('token info', async (t) => {
  const auth = new StaticAuthProvider(config);
  t.same(await auth.tokenInfo('child-token'), { token: 'child-token', user_uuid: 'child-user', tenant_uuid: CHILD, session_uuid: 'sess-1' });
  t.match(await rejection(auth.tokenInfo('nope')), { status: 401, details: { reason: 'not_found_or_expired' } });
});

t.test('my_session uses the session uuid', async (t) => {
  const auth = new StaticAuthProvider({ auth: { static_tokens: { tok: { user_uuid: 'u', tenant_uuid: ROOT, session_uuid: 's1', acl: ['auth.sessions.my_session.read'] } } } });
  t.same(await auth.check('tok', 'auth.sessions.s1.read'), { ok: true });
  t.same(await auth.check('tok', 'auth.sessions.s2.read'), { ok: false, reason: 'missing_permission_or_invalid_tenant' });
});

t.test('master tenant', async (t) => {
  t.equal(new StaticAuthProvider(config).masterTenant(), ROOT, 'the single root');
  t.same(new StaticAuthProvider(config).status(), { master_tenant: { status: 'ok' } });
  t.equal(new StaticAuthProvider({ auth: { ...config.auth, master_tenant_uuid: OTHER } }).masterTenant(), OTHER, 'configured wins');
  const twoRoots = { auth: { ...config.auth, static_tenants: [{ uuid: CHILD, name: 'a' }, { uuid: OTHER, name: 'b', parent_uuid: null }] } };
  t.equal(new StaticAuthProvider(twoRoots).masterTenant(), ROOT, 'two roots: the first token\'s tenant');
  t.equal(new StaticAuthProvider({ auth: { static_tokens: config.auth.static_tokens } }).masterTenant(), ROOT);
});

t.test('without static_tenants a token only sees its own tenant', async (t) => {
  const auth = new StaticAuthProvider({ auth: { static_tokens: config.auth.static_tokens } });
  t.same(await auth.visibleTenants('root-token', ROOT), [ROOT]);
  t.equal(await auth.tenantAllowed('root-token', CHILD), false);
});

t.test('invalid config is refused', async (t) => {
  t.throws(() => new StaticAuthProvider({ auth: { static_tokens: { tok: { acl: [] } } } }), /tenant_uuid/);
  t.throws(() => new StaticAuthProvider({ auth: { static_tokens: { tok: { tenant_uuid: ROOT, acl: 'dird.#' } } } }), /acl/);
  t.throws(() => new StaticAuthProvider({ auth: { static_tokens: { tok: { tenant_uuid: ROOT } }, static_tenants: {} } }), /static_tenants/);
});

t.test('createAuthProvider picks static only with tokens', async (t) => {
  const log = pino({ level: 'silent' });
  const stat = createAuthProvider(config, log);
  t.type(stat, StaticAuthProvider);
  for (const auth of [{}, { static_tokens: {} }, { static_tokens: null }]) {
    const wazo = createAuthProvider({ auth: { ...auth, port: 1 } }, log);
    t.type(wazo, WazoAuthProvider);
    await wazo.close();
  }
});

t.test("a user's tenant is the tenant of the token naming that user", async (t) => {
  const auth = new StaticAuthProvider(config);
  t.equal(await auth.userTenant('child-user'), CHILD);
  t.equal(await auth.userTenant('root-user'), ROOT);
  t.equal(await auth.userTenant('nobody'), null);
});
