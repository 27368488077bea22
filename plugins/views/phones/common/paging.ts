// The page of rows a document shows and where its previous and next pages start (spec §1.7).
export interface Paging<T> {
  rows: T[];
  total: number;
  offset: number;
  limit: number | null;
  next: number | null;
  prev: number | null;
}

export function paginate<T>(all: T[], offset: number, limit: number | null): Paging<T> {
  const total = all.length;
  const rows = limit === null ? all.slice(offset) : all.slice(offset, offset + limit);
  const next = limit !== null && offset + limit < total ? offset + limit : null;
  const prev = limit === null || offset === 0 ? null : Math.max(0, offset - limit);
  return { rows, total, offset, limit, next, prev };
}

/**
 * The largest page (from `paging.limit` down to one row) whose document fits in `maxBytes`: a vendor
 * refusing big objects gets a shorter page and a next link, never a document cut mid-way.
 */
export function fitPage<T>(all: T[], offset: number, limit: number | null, maxBytes: number | null, render: (p: Paging<T>) => string): string {
  const full = paginate(all, offset, limit);
  const document = render(full);
  if (maxBytes === null || Buffer.byteLength(document) <= maxBytes || full.rows.length <= 1) return document;
  let low = 1;
  let high = full.rows.length - 1;
  let best = render(paginate(all, offset, 1));
  while (low <= high) {
    const middle = (low + high) >> 1;
    const candidate = render(paginate(all, offset, middle));
    if (Buffer.byteLength(candidate) <= maxBytes) {
      best = candidate;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return best;
}
