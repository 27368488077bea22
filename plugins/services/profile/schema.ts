// The profile body (spec §2.4); the profiles view serves it as its route schema too.
import { MAX_SUFFIX_DIGITS, MIN_SUFFIX_DIGITS, numberMatchingModes, supportedRegions } from '../../../src/numbers.js';

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

/** How reverse lookups compare numbers (src/numbers.ts). */
const numberMatchingOptions = {
  number_matching: { enum: [...numberMatchingModes] },
  default_region: { type: 'string', enum: [...supportedRegions()] },
  suffix_digits: { type: 'integer', minimum: MIN_SUFFIX_DIGITS, maximum: MAX_SUFFIX_DIGITS },
};

const reverseServiceSchema = {
  ...profileServiceSchema,
  properties: {
    ...profileServiceSchema.properties,
    options: {
      ...profileServiceSchema.properties.options,
      properties: {
        ...profileServiceSchema.properties.options.properties,
        order: { enum: [...reverseOrders] },
        ...numberMatchingOptions,
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
