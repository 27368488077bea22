// List query parameters shared by every list route (spec §1.4): the querystring schema
// (validated by the host's ajv, so a bad order/limit/offset/recurse is a 400) and their parsing.
import type { ListParams } from '../../../src/contracts.js';

const TRUE_WORDS = ['true', 't', 'yes', 'y', 'on', '1'];
const FALSE_WORDS = ['false', 'f', 'no', 'n', 'off', '0'];

/** A regex source matching the words in any letter case (ajv patterns take no flags). */
function anyCase(words: string[]): string {
  const letters = (w: string) => [...w].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');
  return `^(?:${words.map(letters).join('|')})$`;
}

export interface ListRouteOptions {
  /** Sort columns; the first is the default. */
  order: string[];
  /** Query params used as exact-match filters. */
  searchable: string[];
  /** Whether the route takes `recurse` (tenant-scoped lists). */
  recurse?: boolean;
}

export function listQuerySchema(options: ListRouteOptions): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    direction: { type: 'string', enum: ['asc', 'desc'], default: 'asc' },
    order: { type: 'string', enum: options.order, default: options.order[0] },
    limit: { type: 'integer', minimum: 0 },
    offset: { type: 'integer', minimum: 0, default: 0 },
    search: { type: 'string' },
  };
  if (options.recurse !== false) {
    properties.recurse = { type: 'string', pattern: anyCase([...TRUE_WORDS, ...FALSE_WORDS]), default: 'false' };
  }
  for (const column of options.searchable) properties[column] ??= { type: 'string' };
  return { type: 'object', properties };
}

export function parseBoolean(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return TRUE_WORDS.includes(String(value ?? '').toLowerCase());
}

/** The validated querystring as store list params, plus `recurse`. */
export function parseListQuery(query: unknown, searchable: string[]): { params: ListParams; recurse: boolean } {
  const q = (query ?? {}) as Record<string, unknown>;
  const params: ListParams = {
    order: q.order as string | undefined,
    direction: q.direction === 'desc' ? 'desc' : 'asc',
    offset: typeof q.offset === 'number' ? q.offset : 0,
  };
  if (typeof q.limit === 'number') params.limit = q.limit;
  if (typeof q.search === 'string') params.search = q.search;
  const filters: Record<string, string> = {};
  for (const column of searchable) {
    if (typeof q[column] === 'string') filters[column] = q[column] as string;
  }
  if (Object.keys(filters).length) params.filters = filters;
  return { params, recurse: parseBoolean(q.recurse) };
}
