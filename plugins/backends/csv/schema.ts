// The csv back-end's own source fields (spec §4 table).
export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    file: { type: 'string', minLength: 1 },
    separator: { type: 'string', minLength: 1, maxLength: 1, default: ',' },
    unique_column: {
      anyOf: [{ type: 'string', minLength: 1, maxLength: 128 }, { type: 'null' }],
      default: null,
    },
  },
  required: ['file'],
};
