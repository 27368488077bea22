// Helpers for the raw entries of the remote back-ends.

/** Lower-cased, accents dropped: the "ascii-lowercase" comparisons of the remote back-ends. */
export function fold(value: unknown): string {
  return String(value).normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

const RELATIONS = Symbol('relations');

/**
 * Relations and the unique id ride on a raw entry without showing among its fields: the result builder
 * spreads the entry (which skips non-enumerable keys) and hands the entry itself to `relations()`.
 */
export function withHidden<T extends object>(entry: T, relations: Record<string, unknown>): T {
  Object.defineProperty(entry, RELATIONS, { value: relations, enumerable: false });
  return entry;
}

export function hiddenRelations(entry: object): Record<string, unknown> {
  return ((entry as Record<symbol, unknown>)[RELATIONS] ?? {}) as Record<string, unknown>;
}
