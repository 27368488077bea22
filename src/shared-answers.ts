// Reverse answers a back-end publishes in shared memory, so the host answers firstMatch / matchAll for
// local data (csv, phonebook) without a round trip to the worker. The worker encodes, the host only
// reads; the worker is not trusted: every offset is bounds-checked, probing is bounded, and anything
// that does not decode to a result makes the host ask the worker as usual.
//
// This file holds the format and the host's reader; the worker's encoder is sandbox/answers.ts.
//
// A snapshot is immutable once published (a new data version is a new snapshot). Its layout keeps the
// memory a lookup touches small: with 100,000 contacts the tables and rows far exceed the CPU's caches,
// and each cache line (and page) a lookup reaches costs more than the rest of its work (measured, README).
// - `rows`: the rows' bytes, one after the other; tables name a row by its byte offset. A row is
//   [u16 field count], then per field [u16 key (an index into `keys`)][value], then [u8 mask] of its
//   relations that are not null (bit i: RELATIONS[i]) and their values. A value is [u8 head][bytes], the
//   head's top two bits its kind (null, Latin-1 text, UTF-8 text, JSON for anything else) and its low six
//   bits its byte length, or 63 and a u32 length before the bytes. What every row of a source shares
//   (source, backend, flags) travels once, as `meta`. Decoding is the host's cost per answer: not JSON,
//   whose parser looks every key and short value up in V8's string table (2 µs a row measured).
// - one table per name (`exact`; `folded`, which firstMatch probes with the lower-cased number instead
//   of `exact` when it is there; NumberIndex's `e164:…`, `unparsed:…`, `suffix:…`): an
//   open-addressing hash table [u32 capacity][u32 size][slot × capacity][long keys as UTF-16 code
//   units]. A slot is 32 bytes, [u32 hash][u32 row offset + 1 (0: empty)][u32 key length][20 bytes of
//   key]: a key of at most 20 Latin-1 characters (any phone number) is in its slot, so a probe reads one
//   cache line; a longer one is in the long keys, the slot's key bytes starting with its u32 position.
import { matchKeys, type NumberMatching } from './numbers.js';
import type { SourceResult } from './contracts.js';

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

/** u32s per slot of a table, and before the slots; Latin-1 characters of a key kept in its slot. */
export const SLOT = 8;
export const TABLE_HEADER = 2;
export const INLINE_KEY = 20;

/** Whether `key` is kept in its slot (else among the long keys). */
export function inlineKey(key: string): boolean {
  if (key.length > INLINE_KEY) return false;
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return false;
  return true;
}

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
/** A value's head: kind in the top two bits, the byte length in the low six, or LONG and a u32 length. */
export const KIND_SHIFT = 6;
export const LONG = 63;

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

  /** The byte offset of `key`'s row, or MISS. */
  find(key: string): number {
    const h = hash(key);
    const mask = this.capacity - 1;
    const inline = inlineKey(key);
    const { slots } = this;
    for (let probe = 0, slot = h & mask; probe < this.capacity; probe++, slot = (slot + 1) & mask) {
      const base = TABLE_HEADER + slot * SLOT;
      const row = slots[base + 1];
      if (row === 0) return MISS;
      if (slots[base] === h && slots[base + 2] === key.length && (inline ? this.inSlot(base + 3, key) : this.inLongKeys(slots[base + 3], key))) return row - 1;
    }
    return MISS;
  }

  private inSlot(at: number, key: string): boolean {
    const { slots } = this;
    for (let i = 0; i < key.length; i++) if (((slots[at + (i >> 2)] >>> ((i & 3) << 3)) & 0xff) !== key.charCodeAt(i)) return false;
    return true;
  }

  private inLongKeys(start: number, key: string): boolean {
    const { keys } = this;
    if (start + key.length > keys.length) return false;
    for (let i = 0; i < key.length; i++) if (keys[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }
}

/** The host's view of one snapshot. `undefined` from a lookup means "ask the worker". */
export class AnswerReader {
  private readonly exact: Table;
  private readonly folded: Table | null;

  private constructor(
    private readonly tables: Map<string, Table>,
    private readonly rows: Buffer,
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
    if (!(rows instanceof SharedArrayBuffer) || typeof tables !== 'object' || tables === null) return null;
    if (!isMeta(meta) || !Array.isArray(keys) || keys.length > 0x10000 || !keys.every((key) => typeof key === 'string')) return null;
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
    return new AnswerReader(opened, Buffer.from(rows), [...keys], { source, backend, is_personal, is_deletable }, checked);
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

  /** The row at byte `at`, or undefined when it does not decode (every read is bounds-checked). */
  private row(at: number): SourceResult | undefined {
    const bytes = this.rows;
    if (at + 2 > bytes.length) return undefined;
    const fields: Record<string, unknown> = {};
    cursor = at + 2;
    for (let n = u16(bytes, at); n > 0; n--) {
      if (cursor + 2 > bytes.length) return undefined;
      const key = this.keys[u16(bytes, cursor)];
      cursor += 2;
      const value = readValue(bytes);
      if (key === undefined || value === invalid) return undefined;
      if (key === '__proto__') Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
      else fields[key] = value;
    }
    if (cursor >= bytes.length) return undefined;
    const mask = bytes[cursor++]!;
    const xivo_id = mask & 1 ? readValue(bytes) : null;
    const agent_id = mask & 2 ? readValue(bytes) : null;
    const user_id = mask & 4 ? readValue(bytes) : null;
    const user_uuid = mask & 8 ? readValue(bytes) : null;
    const endpoint_id = mask & 16 ? readValue(bytes) : null;
    const entry = mask & 32 ? readValue(bytes) : null;
    if (xivo_id === invalid || agent_id === invalid || user_id === invalid || user_uuid === invalid || endpoint_id === invalid || entry === invalid) return undefined;
    const source_entry_id = typeof entry === 'string' ? entry : null;
    const { source, backend, is_personal, is_deletable } = this.meta;
    return { fields, relations: { xivo_id, agent_id, user_id, user_uuid, endpoint_id, source_entry_id }, source, backend, is_personal, is_deletable };
  }
}

/** Where readValue reads next (a row is decoded in one synchronous pass: no closure per row). */
let cursor = 0;

/** The value at `cursor`, which it moves past it; `invalid` when it runs past the rows or does not decode. */
function readValue(bytes: Buffer): unknown {
  if (cursor >= bytes.length) return invalid;
  const head = bytes[cursor]!;
  let from = cursor + 1;
  let length = head & LONG;
  if (length === LONG) {
    if (from + 4 > bytes.length) return invalid;
    length = u32(bytes, from);
    from += 4;
  }
  const to = from + length;
  if (to > bytes.length) return invalid;
  cursor = to;
  switch (head >>> KIND_SHIFT) {
    case Kind.Latin1:
      return bytes.toString('latin1', from, to);
    case Kind.Utf8:
      return bytes.toString('utf8', from, to);
    case Kind.Null:
      return length === 0 ? null : invalid;
    default:
      try {
        return JSON.parse(bytes.toString('utf8', from, to));
      } catch {
        return invalid;
      }
  }
}

// Little-endian reads of offsets already checked against the rows' end (Buffer's readUInt*LE check again).
const u16 = (bytes: Buffer, at: number) => bytes[at]! | (bytes[at + 1]! << 8);
const u32 = (bytes: Buffer, at: number) => (bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16)) + bytes[at + 3]! * 0x1000000;

/** What readValue gives for a value that cannot be read. */
const invalid = Symbol('invalid');

function isMeta(meta: any): meta is RowMeta {
  return typeof meta === 'object' && meta !== null && typeof meta.source === 'string' && typeof meta.backend === 'string' &&
    typeof meta.is_personal === 'boolean' && typeof meta.is_deletable === 'boolean';
}
