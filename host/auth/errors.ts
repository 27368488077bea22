// Errors of the auth layer and their HTTP rendering (spec §1.3).
import { DirdError } from '../../src/errors.js';

/** The auth server could not be reached or answered something unexpected. */
export class AuthUnreachableError extends Error {
  constructor(readonly host: string, readonly port: number, readonly originalError: string) {
    super(`wazo-auth unreachable: ${originalError}`);
  }
}

export type DenyReason = 'not_found_or_expired' | 'missing_permission_or_invalid_tenant';
export type CheckResult = { ok: true } | { ok: false; reason: DenyReason };

export const ALLOWED: CheckResult = Object.freeze({ ok: true });
export const NOT_FOUND: CheckResult = Object.freeze({ ok: false, reason: 'not_found_or_expired' });
export const MISSING_PERMISSION: CheckResult = Object.freeze({ ok: false, reason: 'missing_permission_or_invalid_tenant' });

/** 401 `unauthorized`. */
export function unauthorized(details: { reason?: DenyReason; required_access?: string; tenant_uuid?: string | null } = {}): DirdError {
  return new DirdError(401, 'unauthorized', 'Unauthorized', { invalid_token: true, ...details });
}

/** 401 `unauthorized-tenant`. */
export function unauthorizedTenant(tenantUuid: string | null): DirdError {
  return new DirdError(401, 'unauthorized-tenant', 'Unauthorized tenant', { tenant_uuid: tenantUuid });
}

/** 503 `authentication-server-unreachable`. */
export function authServerUnreachable(error: AuthUnreachableError): DirdError {
  return new DirdError(503, 'authentication-server-unreachable', 'Authentication server unreachable', {
    auth_server_host: error.host,
    auth_server_port: error.port,
    original_error: error.originalError,
  });
}

/** 503 `matser-tenant-not-initiated` (sic, upstream's spelling). */
export function masterTenantNotInitiated(): DirdError {
  return new DirdError(503, 'matser-tenant-not-initiated', 'wazo-dird master tenant is not initiated');
}

/** Maps provider failures to the DirdError a client sees. */
export function asDirdError(error: unknown): unknown {
  return error instanceof AuthUnreachableError ? authServerUnreachable(error) : error;
}
