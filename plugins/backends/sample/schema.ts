// The sample back-end's own source fields: all optional, for load testing. Other fields are kept as before.
export const MAX_CONTACTS = 1_000_000;

export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    /** How many synthetic contacts to serve instead of the single fixed entry. */
    contacts: { type: 'integer', minimum: 0, maximum: MAX_CONTACTS },
    /** Added before every answer. */
    latency_ms: { type: 'integer', minimum: 0, maximum: 60_000 },
    /** Share of calls that fail, spread evenly over the calls (no randomness, so runs are repeatable). */
    error_rate: { type: 'number', minimum: 0, maximum: 1 },
  },
  additionalProperties: true,
};
