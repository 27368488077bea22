// The profile body (spec §2.4); the profiles view serves it as its route schema too.
const uuidRef = {
  type: 'object',
  required: ['uuid'],
  properties: { uuid: { type: 'string', format: 'uuid' } },
};

export const profileServiceSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sources: { type: 'array', items: uuidRef, default: [] },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { timeout: { type: ['number', 'null'], exclusiveMinimum: 0 } },
      default: {},
    },
  },
};

/** How the reverse service picks among its sources' answers (see plugins/services/reverse). */
export const reverseOrders = ['first_answer', 'priority'] as const;

const reverseServiceSchema = {
  ...profileServiceSchema,
  properties: {
    ...profileServiceSchema.properties,
    options: {
      ...profileServiceSchema.properties.options,
      properties: {
        ...profileServiceSchema.properties.options.properties,
        order: { enum: [...reverseOrders] },
      },
    },
  },
};

export const profileBodySchema = {
  type: 'object',
  required: ['name', 'services'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 512 },
    display: { ...uuidRef, type: ['object', 'null'] },
    services: { type: 'object', properties: { reverse: reverseServiceSchema }, additionalProperties: profileServiceSchema },
  },
};
