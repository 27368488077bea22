// Who answers "is this token allowed?": static tokens from the config, or a real wazo-auth.
import type { Logger } from 'pino';
import type { TokenInfo } from '../http/conventions.js';
import { StaticAuthProvider } from './static.js';
import { WazoAuthProvider } from './wazo.js';
import type { CheckResult } from './errors.js';

export { AuthUnreachableError, ALLOWED, NOT_FOUND, MISSING_PERMISSION } from './errors.js';
export type { CheckResult, DenyReason } from './errors.js';

export interface AuthStatus {
  master_tenant: { status: 'ok' | 'fail' };
}

/**
 * Every method may throw AuthUnreachableError when the auth server cannot be reached.
 * tokenInfo/visibleTenants throw a 401 DirdError for an unknown token or a refused tenant.
 */
export interface AuthProvider {
  /** Does `token` grant `acl` (and, when given, access to `tenant`)? */
  check(token: string, acl: string, tenant?: string): Promise<CheckResult>;
  /** The answer of check() when it is known without I/O (static tokens, cached grants), else undefined. */
  knownCheck(token: string, acl: string, tenant?: string): CheckResult | undefined;
  tokenInfo(token: string): Promise<TokenInfo>;
  /** What tokenInfo() would answer when it is known without I/O (static tokens, cached info), else undefined. */
  knownTokenInfo(token: string): Readonly<TokenInfo> | undefined;
  /** May `token` act in `tenant` (its own tenant or a descendant)? */
  tenantAllowed(token: string, tenant: string): Promise<boolean>;
  /** `tenant` and its descendants, as seen by `token`. */
  visibleTenants(token: string, tenant: string): Promise<string[]>;
  /** Uuid of the tenant called `name` below `requestTenant` (deprecated phonebook routes), or null. */
  tenantUuidByName(name: string, requestTenant: string): Promise<string | null>;
  /** Tenant of the user `uuid` (phone directories name a user, not a token), null when unknown. */
  userTenant(uuid: string): Promise<string | null>;
  /** The master tenant uuid, null until known. */
  masterTenant(): string | null;
  /** The auth part of GET /0.1/status. */
  status(): AuthStatus;
  close(): Promise<void>;
}

/** Static tokens when `auth.static_tokens` is a non-empty object, else a wazo-auth client. */
export function createAuthProvider(config: Record<string, any>, log: Logger): AuthProvider {
  const staticTokens = config.auth?.static_tokens;
  if (staticTokens && typeof staticTokens === 'object' && !Array.isArray(staticTokens) && Object.keys(staticTokens).length > 0) {
    log.info({ tokens: Object.keys(staticTokens).length }, 'auth: using static tokens');
    return new StaticAuthProvider(config);
  }
  return new WazoAuthProvider(config, log);
}
