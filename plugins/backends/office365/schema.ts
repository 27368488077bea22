// The office365 back-end's own source fields (spec §4 table).
import { DEFAULT_GRAPH_ENDPOINT } from '../../../src/remote/graph.js';
import { authWithoutCredsSchema } from '../../../src/remote/wazo-services.js';

export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    auth: authWithoutCredsSchema,
    endpoint: { type: 'string', minLength: 1, maxLength: 255, default: DEFAULT_GRAPH_ENDPOINT },
  },
};
