// What the google and office365 contact routes share: the caller's external token, or 404.
import type { SourceConfig } from '../../../src/contracts.js';
import { DirdError } from '../../../src/errors.js';
import { messageOf } from '../../../src/remote/http.js';
import type { TokenService } from '../../services/wazo_tokens/index.js';
import type { ContactsRequest } from './common.js';

export async function externalTokenOf(tokens: TokenService, source: SourceConfig, kind: 'google' | 'microsoft', request: ContactsRequest): Promise<string> {
  const { user_uuid } = await request.dird.tokenInfo();
  let token: string | null;
  try {
    token = await tokens.externalToken(source, kind, user_uuid, request.dird.token);
  } catch (error) {
    throw new DirdError(503, 'unexpected-endpoint-error', 'wazo-auth could not give the external token', { endpoint: 'wazo-auth', original_error: messageOf(error) });
  }
  if (!token) throw new DirdError(404, 'no-token-found', `No ${kind} token found.`, { user_uuid });
  return token;
}

export function endpointError(endpoint: string, error: unknown): DirdError {
  const details: Record<string, unknown> = { endpoint };
  const errorCode = (error as { errorCode?: unknown })?.errorCode;
  if (errorCode) details.error_code = errorCode;
  return new DirdError(503, 'unexpected-endpoint-error', `Unexpected error from ${endpoint}: ${messageOf(error)}`, details);
}
