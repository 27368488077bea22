// How routes declare their auth and error shape. Every view plugin uses these route options:
//
//   app.get('/0.1/displays/:display_uuid', {
//     schema: {...},
//     config: { acl: 'dird.displays.{display_uuid}.read', errors: 'api' },
//   }, handler)
//
// The auth hook substitutes path params into `acl` (every '.' in a value becomes '_'), checks the token,
// and decorates `request.dird`. Throw a DirdError (src/errors.ts) from a handler and the error handler
// renders it in the route's shape.
import 'fastify';

export type ErrorShape = 'api' | 'legacy';

export interface TokenInfo {
  token: string;
  user_uuid: string | null;
  tenant_uuid: string | null;
  /** Session uuid when known (for the `my_session` ACL segment). */
  session_uuid?: string | null;
}

/** What the auth hook gives every authenticated request. */
export interface RequestAuth {
  token: string;
  /** The token's metadata (user, tenant). */
  tokenInfo(): Promise<TokenInfo>;
  /** The request tenant: Wazo-Tenant header (checked) or the token's tenant (spec §1.2). */
  tenant(): Promise<string>;
  /** What tenant() resolves to when that is known without waiting, else undefined (then use tenant()). */
  knownTenant(): string | undefined;
  /** [tenant] or, with recurse, the tenant and its descendants. */
  visibleTenants(recurse: boolean): Promise<string[]>;
  /** Checks an ACL that depends on more than path params (GraphQL root fields); throws 401. */
  requireAcl(acl: string): Promise<void>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** ACL template; absent = public route (only /api/api.yml). */
    acl?: string;
    /** Error body shape; default 'api'. */
    errors?: ErrorShape;
    /** Route needs the master tenant (GET/PATCH /config). */
    masterTenant?: boolean;
  }
  interface FastifyRequest {
    dird: RequestAuth;
  }
}
