// The wazo back-end's own source fields (spec §4 table): where wazo-auth and wazo-confd are.
import { confdSchema, fullAuthSchema } from '../../../src/remote/wazo-services.js';

export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: { auth: fullAuthSchema, confd: confdSchema },
  required: ['auth'],
};
