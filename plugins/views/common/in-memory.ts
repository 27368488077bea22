// Listing already-loaded items with the list params (spec §1.4 "in-memory sorts"): exact filters,
// a search predicate, a stable sort where missing/empty values go last in asc and first in desc,
// then offset/limit.
import type { ListParams, ListResult } from '../../../src/contracts.js';

type Item = Record<string, unknown>;

export interface InMemoryOptions<T> {
  /** Whether an item matches `params.search`; absent = search ignored. */
  matches?(item: T, search: string): boolean;
  /** Columns compared without case. */
  insensitive?: string[];
}

/** Lower-cased ASCII-ish form: accents dropped (a small stand-in for unidecode). */
export function fold(value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function sortKey(value: unknown, insensitive: boolean): string | null {
  if (value === null || value === undefined || value === '') return null;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return insensitive ? fold(text) : text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}

export function listInMemory<T extends Item>(all: T[], params: ListParams, options: InMemoryOptions<T> = {}): ListResult<T> {
  let items = all.filter((item) =>
    Object.entries(params.filters ?? {}).every(([column, value]) => item[column] !== undefined && item[column] !== null && String(item[column]) === value),
  );
  const search = params.search;
  if (search !== undefined && search !== '' && options.matches) items = items.filter((item) => options.matches!(item, search));
  const filtered = items.length;
  if (params.order) {
    const column = params.order;
    const insensitive = options.insensitive?.includes(column) ?? false;
    const desc = params.direction === 'desc';
    const keyed = items.map((item, index) => ({ item, index, key: sortKey(item[column], insensitive) }));
    keyed.sort((a, b) => {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) return a.index - b.index;
        return (a.key === null ? 1 : -1) * (desc ? -1 : 1);
      }
      const cmp = a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
      return (desc ? -cmp : cmp) || a.index - b.index;
    });
    items = keyed.map((k) => k.item);
  }
  const offset = params.offset ?? 0;
  const end = params.limit === undefined ? undefined : offset + params.limit;
  return { total: all.length, filtered, items: items.slice(offset, end) };
}
