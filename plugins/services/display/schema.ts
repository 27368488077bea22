// The display body (spec §2.3); the displays view serves it as its route schema too.
const nullableString = { type: ['string', 'null'] };

export const COLUMN_KEYS = ['field', 'title', 'type', 'default', 'number_display'] as const;

export const displayColumnSchema = {
  type: 'object',
  properties: Object.fromEntries(COLUMN_KEYS.map((key) => [key, nullableString])),
};

export const displayBodySchema = {
  type: 'object',
  required: ['name', 'columns'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 512 },
    columns: { type: 'array', minItems: 1, items: displayColumnSchema },
  },
};
