// A Relay connection over a list already in memory: offset cursors, first/after/last/before slicing.
export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const PREFIX = 'arrayconnection:';
/** Cursors of the first offsets, made once: a reverse query of 20 numbers asks for 20 of them. */
const knownCursors: string[] = [];
const encode = (index: number) => Buffer.from(`${PREFIX}${index}`).toString('base64');
const cursorOf = (index: number) => (index < 1000 ? (knownCursors[index] ??= encode(index)) : encode(index));

function offsetOf(cursor: string | null | undefined): number | null {
  if (!cursor) return null;
  const text = Buffer.from(cursor, 'base64').toString('utf8');
  const offset = text.startsWith(PREFIX) ? Number(text.slice(PREFIX.length)) : NaN;
  return Number.isInteger(offset) ? offset : null;
}

export function connectionOf<T>(items: T[], args: ConnectionArgs) {
  const after = offsetOf(args.after);
  const before = offsetOf(args.before);
  let start = after === null ? 0 : Math.max(0, after + 1);
  let end = before === null ? items.length : Math.min(items.length, before);
  if (typeof args.first === 'number' && args.first >= 0) end = Math.min(end, start + args.first);
  if (typeof args.last === 'number' && args.last >= 0) start = Math.max(start, end - args.last);
  const edges = [];
  for (let i = start; i < end; i++) edges.push({ node: items[i], cursor: cursorOf(i) });
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: typeof args.last === 'number' ? start > (after === null ? 0 : after + 1) : false,
      hasNextPage: typeof args.first === 'number' ? end < (before === null ? items.length : before) : false,
    },
  };
}
