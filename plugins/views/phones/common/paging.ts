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

/** No entry of any vendor's document serialises in fewer bytes (an entry needs a name, a number and tags). */
const MIN_ENTRY_BYTES = 32;

/**
 * The largest page (from `limit` down to one row) whose document fits in `maxBytes`: a vendor refusing
 * big objects gets a shorter page and a next link, never a document cut mid-way. Rows are of similar
 * size, so the first guess is proportional and the search only refines it.
 */
export function fitPage<T>(all: T[], offset: number, limit: number | null, maxBytes: number | null, render: (p: Paging<T>) => string): string {
  const full = paginate(all, offset, limit);
  if (maxBytes === null) return render(full);
  const fits = (document: string) => Buffer.byteLength(document) <= maxBytes;
  // A page longer than this cannot fit: it is never rendered.
  const cap = Math.max(1, Math.floor(maxBytes / MIN_ENTRY_BYTES));
  const sampleRows = Math.min(full.rows.length, cap);
  const sample = render(sampleRows === full.rows.length ? full : paginate(all, offset, sampleRows));
  // Past `cap` rows nothing fits, so a fitting sample is the largest page.
  if (fits(sample) || sampleRows <= 1) return sample;
  let best: string | null = null;
  let low = 1;
  let high = sampleRows - 1;
  let probe = Math.max(low, Math.min(high, Math.floor((sampleRows * maxBytes) / Buffer.byteLength(sample))));
  while (low <= high) {
    const candidate = render(paginate(all, offset, probe));
    if (fits(candidate)) {
      best = candidate;
      low = probe + 1;
    } else {
      high = probe - 1;
    }
    probe = (low + high) >> 1;
  }
  return best ?? render(paginate(all, offset, 1));
}
