// The google back-end's own source fields (spec §4 table): the wazo-auth holding users' Google tokens.
import { authWithoutCredsSchema } from '../../../src/remote/wazo-services.js';

export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: { auth: authWithoutCredsSchema },
};
