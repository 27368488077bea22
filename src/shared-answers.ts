// Reverse answers a back-end publishes in shared memory, so the host answers firstMatch / matchAll for
// local data (csv, phonebook) without a round trip to the worker. The worker encodes, the host only
// reads; the worker is not trusted: every offset is bounds-checked, probing is bounded, and anything
// that does not decode to a result makes the host ask the worker as usual.
//
// This file holds the format and the host's reader; the worker's encoder is sandbox/answers.ts.
//
// A snapshot is immutable once published (a new data version is a new snapshot):
// - `rows`: [u32 count][u32 offset × (count + 1)][each row's bytes]. A row is [u16 field count], then per
//   field [u16 key (an index into `keys`)][value], then the six relation values (xivo_id, agent_id,
//   user_id, user_uuid, endpoint_id, source_entry_id); a value is [u8 kind][u32 byte length][bytes], the
//   kinds being null, Latin-1 text, UTF-8 text and JSON (anything else). What every row of a source
//   shares (source, backend, flags) travels once, as `meta`. Decoding is the host's cost per answer: not
//   JSON, whose parser looks every key and short value up in V8's string table (2 µs a row measured).
// - one table per name (`exact`; `folded`, which firstMatch probes with the lower-cased number instead
//   of `exact` when it is there; NumberIndex's `e164:…`, `unparsed:…`, `suffix:…`): an
//   open-addressing hash table [u32 capacity][u32 size][slot × capacity][keys as UTF-16 code units],
//   each slot [u32 hash][u32 key start][u32 key length][u32 row + 1] (row 0 marks an empty slot).
import { matchKeys, type NumberMatching } from './numbers.js';
import type { Relations, SourceResult } from './contracts.js';

/** What every result of a source has in common. */
export type RowMeta = Pick<SourceResult, 'source' | 'backend' | 'is_personal' | 'is_deletable'>;

export interface AnswerSnapshot {
  rows: SharedArrayBuffer;
  /** The field names, indexed by the rows. */
  keys: string[];
  meta: RowMeta;
  tables: Record<string, SharedArrayBuffer>;
  /** Valid only while the Int32 at `index` (default 0) of `counter` equals `value` (a data version the host bumps). */
  guard?: AnswerGuard;
}
export interface AnswerGuard {
  counter: SharedArrayBuffer;
  value: number;
  index?: number;
}

/** u32s per slot of a table, and before the slots. */
export const SLOT = 4;
export const TABLE_HEADER = 2;

/** FNV-1a over UTF-16 code units: the same on both sides, no encoding needed to hash a key. */
export function hash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export const enum Kind {
  Null = 0,
  Latin1 = 1,
  Utf8 = 2,
  Json = 3,
}
export const RELATIONS = ['xivo_id', 'agent_id', 'user_id', 'user_uuid', 'endpoint_id', 'source_entry_id'] as const;

const MISS = -1;

class Table {
  private constructor(
    private readonly capacity: number,
    private readonly slots: Uint32Array,
    private readonly keys: Uint16Array,
  ) {}

  static open(buffer: unknown): Table | null {
    if (!(buffer instanceof SharedArrayBuffer) || buffer.byteLength < 4 * TABLE_HEADER) return null;
    const capacity = new Uint32Array(buffer, 0, 1)[0];
    const slotsBytes = 4 * (TABLE_HEADER + capacity * SLOT);
    if (capacity === 0 || (capacity & (capacity - 1)) !== 0 || slotsBytes > buffer.byteLength || (buffer.byteLength - slotsBytes) % 2 !== 0) return null;
    const slots = new Uint32Array(buffer, 0, TABLE_HEADER + capacity * SLOT);
    const keys = new Uint16Array(buffer, slotsBytes, (buffer.byteLength - slotsBytes) / 2);
    return new Table(capacity, slots, keys);
  }

  /** The row of `key`, or MISS. */
  find(key: string): number {
    const h = hash(key);
    const mask = this.capacity - 1;
    const { slots, keys } = this;
    for (let probe = 0, slot = h & mask; probe < this.capacity; probe++, slot = (slot + 1) & mask) {
      const base = TABLE_HEADER + slot * SLOT;
      const row = slots[base + 3];
      if (row === 0) return MISS;
      if (slots[base] !== h || slots[base + 2] !== key.length) continue;
      const start = slots[base + 1];
      if (start + key.length > keys.length) continue;
      let same = true;
      for (let i = 0; i < key.length && same; i++) same = keys[start + i] === key.charCodeAt(i);
      if (same) return row - 1;
    }
    return MISS;
  }
}

/** The host's view of one snapshot. `undefined` from a lookup means "ask the worker". */
export class AnswerReader {
  private readonly exact: Table;
  private readonly folded: Table | null;

  private constructor(
    private readonly tables: Map<string, Table>,
    private readonly rows: Uint32Array,
    private readonly text: Buffer,
    private readonly keys: readonly string[],
    private readonly meta: RowMeta,
    private readonly guard: { counter: Int32Array; index: number; value: number } | null,
  ) {
    this.exact = tables.get('exact')!;
    this.folded = tables.get('folded') ?? null;
  }

  /** Null when the snapshot is malformed. */
  static open(snapshot: unknown): AnswerReader | null {
    if (typeof snapshot !== 'object' || snapshot === null) return null;
    const { rows, keys, tables, guard, meta } = snapshot as Partial<AnswerSnapshot>;
    if (!(rows instanceof SharedArrayBuffer) || rows.byteLength < 8 || typeof tables !== 'object' || tables === null) return null;
    if (!isMeta(meta) || !Array.isArray(keys) || keys.length > 0x10000 || !keys.every((key) => typeof key === 'string')) return null;
    const count = new Uint32Array(rows, 0, 1)[0];
    const head = 4 * (count + 2);
    if (head > rows.byteLength) return null;
    const opened = new Map<string, Table>();
    for (const [name, buffer] of Object.entries(tables)) {
      const table = Table.open(buffer);
      if (!table) return null;
      opened.set(name, table);
    }
    if (!opened.has('exact')) return null;
    let checked = null;
    if (guard !== undefined) {
      const index = guard?.index ?? 0;
      if (!(guard?.counter instanceof SharedArrayBuffer) || !Number.isInteger(guard.value) || !Number.isInteger(index) || index < 0) return null;
      if (guard.counter.byteLength < 4 * (index + 1)) return null;
      checked = { counter: new Int32Array(guard.counter, 0, index + 1), index, value: guard.value };
    }
    const { source, backend, is_personal, is_deletable } = meta;
    const text = Buffer.from(rows, head);
    return new AnswerReader(opened, new Uint32Array(rows, 0, count + 2), text, [...keys], { source, backend, is_personal, is_deletable }, checked);
  }

  /** Whether the data these answers were taken from is still current. */
  private fresh(): boolean {
    return this.guard === null || Atomics.load(this.guard.counter, this.guard.index) === this.guard.value;
  }

  /** The answer of firstMatch(exten) with this number matching (null: exact), or undefined to ask the worker. */
  firstMatch(exten: string, m: NumberMatching | null): SourceResult | null | undefined {
    if (!this.fresh()) return undefined;
    return this.match(exten, m, this.folded ?? this.exact, this.folded ? exten.toLowerCase() : exten);
  }

  /** The answers of matchAll(extens) (exact values: `folded` is not used), or undefined to ask the worker. */
  matchAll(extens: string[], m: NumberMatching | null): Record<string, SourceResult> | undefined {
    if (!this.fresh()) return undefined;
    const found: Record<string, SourceResult> = {};
    for (const exten of extens) {
      const answer = this.match(exten, m, this.exact, exten);
      if (answer === undefined) return undefined;
      if (answer !== null) found[exten] = answer;
    }
    return found;
  }

  private match(exten: string, m: NumberMatching | null, table: Table, key: string): SourceResult | null | undefined {
    const exact = table.find(key);
    if (exact !== MISS) return this.row(exact);
    if (m === null) return null;
    for (const [name, key] of matchKeys(exten, m).probes) {
      const table = this.tables.get(name);
      if (!table) return undefined;
      const row = table.find(key);
      if (row !== MISS) return this.row(row);
    }
    return null;
  }

  private row(index: number): SourceResult | undefined {
    const count = this.rows[0];
    if (index >= count) return undefined;
    const start = this.rows[1 + index];
    const end = this.rows[2 + index];
    const text = this.text;
    if (!(start + 2 <= end && end <= text.length)) return undefined;
    let at = start + 2;
    /** The next value; `invalid` when it runs past the row or does not decode. */
    const next = (): unknown => {
      if (at + 5 > end) return invalid;
      const kind = text[at];
      const length = u32(text, at + 1);
      const from = at + 5;
      at = from + length;
      if (at > end) return invalid;
      if (kind === Kind.Latin1) return text.toString('latin1', from, at);
      if (kind === Kind.Utf8) return text.toString('utf8', from, at);
      if (kind === Kind.Null) return null;
      if (kind !== Kind.Json) return invalid;
      try {
        return JSON.parse(text.toString('utf8', from, at));
      } catch {
        return invalid;
      }
    };
    const fields: Record<string, unknown> = {};
    for (let n = u16(text, start); n > 0; n--) {
      if (at + 2 > end) return undefined;
      const key = this.keys[u16(text, at)];
      at += 2;
      const value = next();
      if (key === undefined || value === invalid) return undefined;
      if (key === '__proto__') Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
      else fields[key] = value;
    }
    const [xivo_id, agent_id, user_id, user_uuid, endpoint_id, entry] = [next(), next(), next(), next(), next(), next()];
    if ([xivo_id, agent_id, user_id, user_uuid, endpoint_id, entry].includes(invalid)) return undefined;
    const source_entry_id = typeof entry === 'string' ? entry : null;
    const { source, backend, is_personal, is_deletable } = this.meta;
    return { fields, relations: { xivo_id, agent_id, user_id, user_uuid, endpoint_id, source_entry_id }, source, backend, is_personal, is_deletable };
  }
}

// Little-endian reads of offsets already checked against the row's end (Buffer's readUInt*LE check again).
const u16 = (bytes: Buffer, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u32 = (bytes: Buffer, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;

/** What `next()` gives for a value that cannot be read. */
const invalid = Symbol('invalid');

function isMeta(meta: any): meta is RowMeta {
  return typeof meta === 'object' && meta !== null && typeof meta.source === 'string' && typeof meta.backend === 'string' &&
    typeof meta.is_personal === 'boolean' && typeof meta.is_deletable === 'boolean';
}
