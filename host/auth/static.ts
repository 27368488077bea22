// Tokens and tenants declared in the config (`auth.static_tokens`, `auth.static_tenants`): no auth server.
import type { TokenInfo } from '../http/conventions.js';
import { AclChecker } from './acl.js';
import { ALLOWED, MISSING_PERMISSION, NOT_FOUND, unauthorized, unauthorizedTenant } from './errors.js';
import type { CheckResult } from './errors.js';
import type { AuthProvider, AuthStatus } from './provider.js';

interface StaticToken {
  info: TokenInfo;
  checker: AclChecker;
  /** Own tenant and its descendants. */
  tenants: Set<string>;
}

interface StaticTenant {
  uuid: string;
  name: string | null;
  parent_uuid: string | null;
}

function isRoot(tenant: StaticTenant): boolean {
  return !tenant.parent_uuid || tenant.parent_uuid === tenant.uuid;
}

function readTenants(raw: unknown): StaticTenant[] {
  if (raw == null) return [];
  if (!Array.isArray(raw)) throw new Error('auth.static_tenants must be a list');
  return raw.map((item, index) => {
    if (!item || typeof item.uuid !== 'string') throw new Error(`auth.static_tenants[${index}].uuid must be a string`);
    return { uuid: item.uuid, name: item.name ?? null, parent_uuid: item.parent_uuid ?? null };
  });
}

export class StaticAuthProvider implements AuthProvider {
  private readonly tokens = new Map<string, StaticToken>();
  private readonly tenantList: StaticTenant[];
  private readonly children = new Map<string, string[]>();
  private readonly subtrees = new Map<string, string[]>();
  private readonly master: string | null;

  constructor(config: Record<string, any>) {
    const auth = config.auth ?? {};
    this.tenantList = readTenants(auth.static_tenants);
    for (const tenant of this.tenantList) {
      if (isRoot(tenant)) continue;
      const siblings = this.children.get(tenant.parent_uuid!) ?? [];
      siblings.push(tenant.uuid);
      this.children.set(tenant.parent_uuid!, siblings);
    }
    for (const [token, raw] of Object.entries<any>(auth.static_tokens ?? {})) {
      if (!raw || typeof raw.tenant_uuid !== 'string') throw new Error('auth.static_tokens: each token needs a tenant_uuid');
      if (raw.acl != null && !Array.isArray(raw.acl)) throw new Error('auth.static_tokens: acl must be a list');
      const info: TokenInfo = {
        token,
        user_uuid: raw.user_uuid ?? null,
        tenant_uuid: raw.tenant_uuid,
        session_uuid: raw.session_uuid ?? null,
      };
      const checker = new AclChecker((raw.acl ?? []).map(String), info);
      this.tokens.set(token, { info, checker, tenants: new Set(this.subtree(raw.tenant_uuid)) });
    }
    const roots = this.tenantList.filter(isRoot);
    this.master = auth.master_tenant_uuid
      ?? (roots.length === 1 ? roots[0].uuid : null)
      ?? this.tokens.values().next().value?.info.tenant_uuid
      ?? null;
  }

  /** `tenant` first, then its descendants breadth-first. */
  private subtree(tenant: string): string[] {
    let result = this.subtrees.get(tenant);
    if (!result) {
      result = [tenant];
      for (let i = 0; i < result.length && i < this.tenantList.length + 1; i++) {
        for (const child of this.children.get(result[i]) ?? []) if (!result.includes(child)) result.push(child);
      }
      this.subtrees.set(tenant, result);
    }
    return result;
  }

  async check(token: string, acl: string, tenant?: string): Promise<CheckResult> {
    return this.knownCheck(token, acl, tenant);
  }

  knownCheck(token: string, acl: string, tenant?: string): CheckResult {
    const entry = this.tokens.get(token);
    if (!entry) return NOT_FOUND;
    if (!entry.checker.allows(acl)) return MISSING_PERMISSION;
    if (tenant && !entry.tenants.has(tenant)) return MISSING_PERMISSION;
    return ALLOWED;
  }

  knownTokenInfo(token: string): Readonly<TokenInfo> | undefined {
    return this.tokens.get(token)?.info;
  }

  async tokenInfo(token: string): Promise<TokenInfo> {
    const entry = this.tokens.get(token);
    if (!entry) throw unauthorized({ reason: 'not_found_or_expired' });
    return { ...entry.info };
  }

  async tenantAllowed(token: string, tenant: string): Promise<boolean> {
    return this.tokens.get(token)?.tenants.has(tenant) ?? false;
  }

  async visibleTenants(token: string, tenant: string): Promise<string[]> {
    const entry = this.tokens.get(token);
    if (!entry) throw unauthorized({ reason: 'not_found_or_expired' });
    if (!entry.tenants.has(tenant)) throw unauthorizedTenant(tenant);
    return [...this.subtree(tenant)];
  }

  async tenantUuidByName(name: string, requestTenant: string): Promise<string | null> {
    const visible = new Set(this.subtree(requestTenant));
    return this.tenantList.find((tenant) => tenant.name === name && visible.has(tenant.uuid))?.uuid ?? null;
  }

  async userTenant(uuid: string): Promise<string | null> {
    for (const entry of this.tokens.values()) if (entry.info.user_uuid === uuid) return entry.info.tenant_uuid;
    return null;
  }

  masterTenant(): string | null {
    return this.master;
  }

  status(): AuthStatus {
    return { master_tenant: { status: this.master ? 'ok' : 'fail' } };
  }

  async close(): Promise<void> {}
}
