// Maps source results onto a display's columns (spec §3.3 "Display → JSON").
import type { Display, Fields, Relations, SourceResult } from './contracts.js';

export interface DisplayHeaders {
  column_headers: (string | null)[];
  column_types: (string | null)[];
}

export interface DisplayedResult {
  column_values: unknown[];
  relations: Relations;
  source: string;
  backend: string;
}

export interface FormattedResults extends DisplayHeaders {
  results: DisplayedResult[];
}

export interface FavoriteChecker {
  isFavorite(result: SourceResult): boolean;
}

/** Headers of a display; a missing display (e.g. deleted) has no columns. */
export function headers(display: Display | null): DisplayHeaders {
  const columns = display?.columns ?? [];
  return {
    column_headers: columns.map((column) => column.title),
    column_types: columns.map((column) => column.type),
  };
}

/**
 * Formats results for a display. `forceFavorite` marks every result favorite (the favorites route).
 * The results' own fields are left untouched: they may be shared with a cache.
 */
export function formatResults(
  display: Display | null,
  results: SourceResult[],
  favorites?: FavoriteChecker,
  forceFavorite = false,
): FormattedResults {
  const columns = display?.columns ?? [];
  const favoriteField = columns.find((column) => column.type === 'favorite')?.field ?? null;
  const personalFields = columns.filter((column) => column.type === 'personal' && column.field !== null).map((column) => column.field!);

  const formatted = results.map((result): DisplayedResult => {
    const fields: Fields = { ...result.fields };
    if (favoriteField !== null) {
      setField(fields, favoriteField, forceFavorite || (favorites?.isFavorite(result) ?? false));
    }
    for (const field of personalFields) setField(fields, field, result.is_personal);
    return {
      column_values: columns.map((column) =>
        column.field !== null && Object.hasOwn(fields, column.field) ? (fields[column.field] ?? null) : column.default,
      ),
      relations: result.relations,
      source: result.source,
      backend: result.backend,
    };
  });
  return { ...headers(display), results: formatted };
}

function setField(fields: Fields, name: string, value: unknown): void {
  Object.defineProperty(fields, name, { value, enumerable: true, writable: true, configurable: true });
}
