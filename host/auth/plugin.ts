// The auth hook (spec §1.1, §1.2): checks `config.acl` of every route, enforces `config.masterTenant`,
// and gives each request a lazy `request.dird` (RequestAuth). Register it before the views.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RequestAuth, TokenInfo } from '../http/conventions.js';
import { asDirdError, masterTenantNotInitiated, unauthorized, unauthorizedTenant } from './errors.js';
import type { AuthProvider, CheckResult } from './provider.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The auth provider, for views that need it directly (status, deprecated phonebooks). */
    authProvider: AuthProvider;
  }
}

export interface AuthPluginOptions {
  provider: AuthProvider;
}

type AclOf = (params: Record<string, unknown>) => string;

/**
 * Compiles a route's ACL template once: path params are substituted with every '.' of a value turned
 * into '_', and uuid-format params (per the route's params schema) lower-cased.
 */
export function compileAcl(template: string, paramsSchema: unknown): AclOf {
  const properties = (paramsSchema as { properties?: Record<string, { format?: string }> } | undefined)?.properties ?? {};
  const parts = template.split(/(\{[^{}]+\})/).filter(Boolean).map((part) => {
    if (!(part.startsWith('{') && part.endsWith('}'))) return () => part;
    const name = part.slice(1, -1);
    const uuid = properties[name]?.format === 'uuid';
    return (params: Record<string, unknown>) => {
      let value = String(params[name] ?? '');
      // replaceAll looks its pattern's Symbol.replace up on every call, even with nothing to replace.
      if (value.includes('.')) value = value.replaceAll('.', '_');
      return uuid ? value.toLowerCase() : value;
    };
  });
  return (params) => {
    let acl = '';
    for (const part of parts) acl += part(params);
    return acl;
  };
}

function header(request: FastifyRequest, name: string): string {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

async function mapped<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw asDirdError(error);
  }
}

class RequestAuthContext implements RequestAuth {
  private tenantVerified = false;
  private info?: Promise<TokenInfo>;
  private requestTenant?: Promise<string>;
  private recursiveTenants?: Promise<string[]>;
  private checkedAcls?: Map<string, Promise<void>>;

  constructor(private readonly provider: AuthProvider, readonly token: string, private readonly headerTenant: string) {}

  /** Checks `acl`: synchronously (returns true) when the provider knows the answer, else via a promise. */
  verifyFast(acl: string): true | Promise<void> {
    const known = this.provider.knownCheck(this.token, acl, this.headerTenant || undefined);
    if (known === undefined) return this.verify(acl);
    this.accept(acl, known);
    return true;
  }

  async verify(acl: string): Promise<void> {
    this.accept(acl, await mapped(this.provider.check(this.token, acl, this.headerTenant || undefined)));
  }

  private accept(acl: string, result: CheckResult): void {
    if (!result.ok) {
      throw result.reason === 'not_found_or_expired'
        ? unauthorized({ reason: result.reason, required_access: acl })
        : unauthorized({ reason: result.reason, required_access: acl, tenant_uuid: this.headerTenant || null });
    }
    if (this.headerTenant) this.tenantVerified = true;
  }

  async verifyMasterTenant(): Promise<void> {
    const master = this.provider.masterTenant();
    if (!master) throw masterTenantNotInitiated();
    const { tenant_uuid } = await this.tokenInfo();
    if (tenant_uuid !== master) throw unauthorized({ tenant_uuid });
  }

  tokenInfo(): Promise<TokenInfo> {
    return (this.info ??= mapped(this.provider.tokenInfo(this.token)));
  }

  tenant(): Promise<string> {
    return (this.requestTenant ??= this.resolveTenant());
  }

  knownTenant(): string | undefined {
    if (this.headerTenant) return this.tenantVerified ? this.headerTenant : undefined;
    return this.provider.knownTokenInfo(this.token)?.tenant_uuid || undefined;
  }

  private async resolveTenant(): Promise<string> {
    if (this.headerTenant) {
      if (!this.tenantVerified && !(await mapped(this.provider.tenantAllowed(this.token, this.headerTenant)))) {
        throw unauthorizedTenant(this.headerTenant);
      }
      return this.headerTenant;
    }
    const { tenant_uuid } = await this.tokenInfo();
    if (!tenant_uuid) throw unauthorizedTenant(null);
    return tenant_uuid;
  }

  async visibleTenants(recurse: boolean): Promise<string[]> {
    if (!recurse) return [await this.tenant()];
    this.recursiveTenants ??= this.tenant().then((tenant) => mapped(this.provider.visibleTenants(this.token, tenant)));
    return [...(await this.recursiveTenants)];
  }

  requireAcl(acl: string): Promise<void> {
    this.checkedAcls ??= new Map();
    let pending = this.checkedAcls.get(acl);
    if (!pending) {
      pending = this.verify(acl);
      this.checkedAcls.set(acl, pending);
    }
    return pending;
  }
}

export async function authPlugin(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  const { provider } = options;
  if (!app.hasDecorator('authProvider')) app.decorate('authProvider', provider);
  app.decorateRequest('dird', null as unknown as RequestAuth);
  // Each route gets its own hook with its ACL compiled once (request.routeOptions allocates on every read).
  // A callback hook, not an async one: with static tokens or a cached grant the check costs no promise.
  app.addHook('onRoute', (route) => {
    const { acl, masterTenant } = route.config ?? {};
    const aclOf = acl ? compileAcl(acl, (route.schema as { params?: unknown } | undefined)?.params) : null;
    const authenticate = (request: FastifyRequest, _reply: unknown, done: (error?: Error) => void) => {
      const auth = new RequestAuthContext(provider, header(request, 'x-auth-token'), header(request, 'wazo-tenant'));
      request.dird = auth;
      try {
        const checked = aclOf ? auth.verifyFast(aclOf(request.params as Record<string, unknown>)) : true;
        if (checked === true && !masterTenant) return done();
        Promise.resolve(checked)
          .then(() => (masterTenant ? auth.verifyMasterTenant() : undefined))
          .then(() => done(), done);
      } catch (error) {
        done(error as Error);
      }
    };
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [authenticate, ...existing] as typeof route.onRequest;
  });
}

// fastify-plugin semantics: the hook and decorators apply to the registering scope, not a child one.
Object.assign(authPlugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'dird-auth' });
