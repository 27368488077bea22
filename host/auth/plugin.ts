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

type TemplatePart = string | { param: string };
const templates = new Map<string, TemplatePart[]>();

function parseTemplate(template: string): TemplatePart[] {
  let parts = templates.get(template);
  if (!parts) {
    parts = template.split(/(\{[^{}]+\})/).filter(Boolean)
      .map((part) => (part.startsWith('{') && part.endsWith('}') ? { param: part.slice(1, -1) } : part));
    templates.set(template, parts);
  }
  return parts;
}

function isUuidParam(request: FastifyRequest, name: string): boolean {
  const schema = request.routeOptions.schema as { params?: { properties?: Record<string, { format?: string }> } } | undefined;
  return schema?.params?.properties?.[name]?.format === 'uuid';
}

/** The route's ACL with path params substituted; every '.' of a value becomes '_'. */
export function requiredAcl(template: string, request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, unknown>;
  let acl = '';
  for (const part of parseTemplate(template)) {
    if (typeof part === 'string') {
      acl += part;
      continue;
    }
    let value = String(params[part.param] ?? '');
    if (isUuidParam(request, part.param)) value = value.toLowerCase();
    acl += value.replaceAll('.', '_');
  }
  return acl;
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
  // A callback hook, not an async one: with static tokens or a cached grant the check costs no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    const auth = new RequestAuthContext(provider, header(request, 'x-auth-token'), header(request, 'wazo-tenant'));
    request.dird = auth;
    const config = request.routeOptions.config;
    try {
      const checked = config?.acl ? auth.verifyFast(requiredAcl(config.acl, request)) : true;
      if (checked === true && !config?.masterTenant) return done();
      Promise.resolve(checked)
        .then(() => (config?.masterTenant ? auth.verifyMasterTenant() : undefined))
        .then(() => done(), done);
    } catch (error) {
      done(error as Error);
    }
  });
}

// fastify-plugin semantics: the hook and decorators apply to the registering scope, not a child one.
Object.assign(authPlugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'dird-auth' });
