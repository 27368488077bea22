// Source bodies (spec §4): the common fields plus a back-end's own `configSchema`.
import type { BackendInfo } from '../../../src/contracts.js';
import { reverseCacheSchema } from '../../../src/config/reverse-cache.js';

export const COMMON_FIELDS = ['name', 'searched_columns', 'first_matched_columns', 'format_columns', 'reverse_cache'] as const;
/** Fields a client can never set. */
export const READ_ONLY_FIELDS = ['uuid', 'tenant_uuid', 'backend'] as const;

const columnList = { type: 'array', items: { type: 'string', minLength: 1, maxLength: 128 }, default: [] };

export const commonSourceSchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 512 },
    searched_columns: columnList,
    first_matched_columns: columnList,
    format_columns: {
      type: 'object',
      propertyNames: { type: 'string', maxLength: 128 },
      additionalProperties: { type: 'string', maxLength: 2048 },
      default: {},
    },
    // dird's own: this source's reverse cache settings (plugins/services/reverse/cache.ts), any back-end.
    reverse_cache: reverseCacheSchema,
  },
};

/** The body schema of a back-end's sources. */
export function sourceBodySchema(backend: BackendInfo): Record<string, unknown> {
  if (!backend.configSchema) return commonSourceSchema;
  // Identifiers would clash when compiled twice; the draft is the validator's.
  const { $id: _id, $schema: _draft, ...own } = backend.configSchema;
  return { type: 'object', allOf: [namesItself(backend) ? unnamedSourceSchema : commonSourceSchema, own] };
}

/** A back-end whose schema marks `name` read-only names its sources itself (phonebook: the phonebook's name). */
function namesItself(backend: BackendInfo): boolean {
  const name = (backend.configSchema?.properties as Record<string, { readOnly?: unknown }> | undefined)?.name;
  return name?.readOnly === true;
}

const unnamedSourceSchema = {
  ...commonSourceSchema,
  required: [],
  properties: { ...commonSourceSchema.properties, name: {} },
};

/** Whether fields outside the schemas are kept (schema-less back-ends, or schemas that allow them). */
export function keepsUnknownFields(backend: BackendInfo): boolean {
  const extra = backend.configSchema?.additionalProperties;
  return !backend.configSchema || extra === true || (typeof extra === 'object' && extra !== null);
}

/** The back-end's own top-level fields. */
export function backendFields(backend: BackendInfo): string[] {
  const properties = backend.configSchema?.properties;
  return properties && typeof properties === 'object' ? Object.keys(properties) : [];
}

/** Back-end fields holding a scalar, usable to sort and filter its sources list. */
export function scalarBackendFields(backend: BackendInfo): string[] {
  const properties = (backend.configSchema?.properties ?? {}) as Record<string, { type?: unknown }>;
  const scalar = new Set(['string', 'number', 'integer', 'boolean']);
  return Object.entries(properties)
    .filter(([name, schema]) => {
      if ((COMMON_FIELDS as readonly string[]).includes(name) || (READ_ONLY_FIELDS as readonly string[]).includes(name)) return false;
      const types = Array.isArray(schema?.type) ? schema.type : [schema?.type];
      return types.some((t) => scalar.has(String(t)));
    })
    .map(([name]) => name);
}
