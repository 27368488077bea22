// The csv_ws back-end's own source fields (spec §4 table).
const url = { type: 'string', minLength: 1, maxLength: 2048, pattern: '^[hH][tT][tT][pP][sS]?://' };

export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    lookup_url: url,
    list_url: { anyOf: [url, { type: 'null' }], default: null },
    /** false skips verification; a string is the path of a PEM file of trusted CAs. */
    verify_certificate: { anyOf: [{ type: 'boolean' }, { type: 'string', minLength: 1, maxLength: 1024 }], default: true },
    delimiter: { type: 'string', minLength: 1, maxLength: 1, default: ',' },
    /** Seconds; 0 means no limit of the back-end's own (the profile's timeout still applies). */
    timeout: { type: 'number', minimum: 0, default: 10 },
    unique_column: {
      anyOf: [{ type: 'string', minLength: 1, maxLength: 128 }, { type: 'null' }],
      default: null,
    },
  },
  required: ['lookup_url'],
};
