// The worker's side of shared answers (the format is in src/shared-answers.ts): what a back-end's
// `answers.publish` does, and the encoders. Rows are encoded once per data version (the `rows` array's
// identity), each table once.
import type { AnswerPublisher, Fields, SourceResult } from '../src/contracts.js';
import { hash, inlineKey, Kind, KIND_SHIFT, LONG, RELATIONS, SLOT, TABLE_HEADER, type AnswerGuard, type AnswerSnapshot, type RowMeta } from '../src/shared-answers.js';

export class WorkerAnswers implements AnswerPublisher {
  private readonly shared: ScopeAnswers;
  /** One scope per user with answers of its own; dropped when withdrawn. */
  private readonly users = new Map<string, ScopeAnswers>();

  constructor(
    /** The source's result builder, known once the back-end's load is done. */
    private readonly builder: Promise<(raw: Fields) => SourceResult>,
    /** Sends a snapshot to the host (for one user's calls when `user` is given); null withdraws the last one. */
    private readonly send: (snapshot: AnswerSnapshot | null, user?: string) => void,
    private readonly warn: (message: string) => void,
  ) {
    this.shared = new ScopeAnswers(builder, (snapshot) => send(snapshot), warn);
  }

  publish(rows: readonly Fields[], tables: Iterable<readonly [string, ReadonlyMap<string, Fields>]>, validWhile?: AnswerGuard): void {
    this.shared.publish(rows, tables, validWhile);
  }

  publishForUser(user: string, rows: readonly Fields[] | null, tables: Iterable<readonly [string, ReadonlyMap<string, Fields>]> = [], validWhile?: AnswerGuard): void {
    if (typeof user !== 'string' || user === '') return;
    if (rows === null) {
      const scope = this.users.get(user);
      if (!scope) return;
      this.users.delete(user);
      scope.cancel();
      this.send(null, user);
      return;
    }
    let scope = this.users.get(user);
    if (!scope) this.users.set(user, (scope = new ScopeAnswers(this.builder, (snapshot) => this.send(snapshot, user), this.warn)));
    scope.publish(rows, tables, validWhile);
  }
}

/** The answers of one scope (the source's, or one user's): rows encoded once per data version. */
class ScopeAnswers {
  private version: { rows: readonly Fields[]; index: Map<Fields, number>; buffer: ReturnType<typeof encodeRows> } | null = null;
  private readonly tableBuffers = new WeakMap<ReadonlyMap<string, Fields>, SharedArrayBuffer>();
  private sequence = 0;

  constructor(
    private readonly builder: Promise<(raw: Fields) => SourceResult>,
    private readonly send: (snapshot: AnswerSnapshot | null) => void,
    private readonly warn: (message: string) => void,
  ) {}

  publish(rows: readonly Fields[], tables: Iterable<readonly [string, ReadonlyMap<string, Fields>]>, validWhile?: AnswerGuard): void {
    const sequence = ++this.sequence;
    if (this.version?.rows !== rows) {
      // The host must not answer from the data before while this version is encoded.
      this.send(null);
      const wanted = () => this.version?.rows === rows;
      const buffer = this.builder.then((build) => (wanted() ? encodeRows(rows, build, undefined, wanted) : null));
      buffer.catch(() => {});
      this.version = { rows, index: new Map(rows.map((row, i) => [row, i])), buffer };
    }
    const version = this.version;
    const named = [...tables];
    const guard = validWhile ? { guard: { counter: validWhile.counter, value: validWhile.value, index: validWhile.index ?? 0 } } : {};
    version.buffer.then((encodedRows) => {
      if (sequence !== this.sequence || encodedRows === null) return; // a later publish supersedes this one
      const encoded: Record<string, SharedArrayBuffer> = {};
      for (const [name, table] of named) encoded[name] = this.tableBuffer(table, version.index, encodedRows.offsets);
      const { rows, keys, meta } = encodedRows;
      this.send({ rows, keys, meta, tables: encoded, ...guard });
    }).catch((error) => {
      this.warn(`answers not published, the host asks the worker instead: ${error?.message ?? error}`);
    });
  }

  /** Publishes still being encoded are not sent. */
  cancel(): void {
    this.sequence++;
    this.version = null;
  }

  private tableBuffer(table: ReadonlyMap<string, Fields>, index: Map<Fields, number>, offsets: readonly number[]): SharedArrayBuffer {
    let buffer = this.tableBuffers.get(table);
    if (buffer) return buffer;
    const rows = new Map<string, number>();
    for (const [key, row] of table) {
      const at = index.get(row);
      if (typeof key === 'string' && at !== undefined) rows.set(key, at);
    }
    buffer = encodeTable(rows, offsets);
    this.tableBuffers.set(table, buffer);
    return buffer;
  }
}

const LATIN1 = /^[\x00-\xff]*$/;

/** A growing byte buffer for the rows (copied into shared memory once complete). */
class RowBytes {
  buf = Buffer.allocUnsafe(1 << 16);
  at = 0;

  private ensure(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  u16(n: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(n, this.at);
    this.at += 2;
  }

  u8(n: number): void {
    this.ensure(1);
    this.buf[this.at++] = n;
  }

  value(value: unknown): void {
    this.encoded(encoded(value));
  }

  encoded([kind, text]: [Kind, string]): void {
    this.ensure(5 + text.length * 3);
    const length = text === '' ? 0 : this.buf.write(text, this.at + 5, kind === Kind.Latin1 ? 'latin1' : 'utf8');
    if (length < LONG) {
      this.buf[this.at] = (kind << KIND_SHIFT) | length;
      this.buf.copy(this.buf, this.at + 1, this.at + 5, this.at + 5 + length);
      this.at += 1 + length;
    } else {
      this.buf[this.at] = (kind << KIND_SHIFT) | LONG;
      this.buf.writeUInt32LE(length, this.at + 1);
      this.at += 5 + length;
    }
  }
}

/** A value's kind and text; null, undefined and what JSON cannot hold are Null. */
function encoded(value: unknown): [Kind, string] {
  if (typeof value === 'string') return [LATIN1.test(value) ? Kind.Latin1 : Kind.Utf8, value];
  if (value === null || value === undefined) return [Kind.Null, ''];
  const json = JSON.stringify(value);
  return json === undefined ? [Kind.Null, ''] : [Kind.Json, json];
}

/** The rows of a snapshot, and where each row starts in them (for the tables; not sent). */
export type EncodedRows = Pick<AnswerSnapshot, 'rows' | 'keys' | 'meta'> & { offsets: number[] };

/**
 * The results of rows in one buffer; yields to the event loop every `chunk` rows (heartbeats go on),
 * and gives up (null) at such a point when `wanted()` says a newer version superseded this one.
 */
export async function encodeRows<T>(
  rows: readonly T[],
  toResult: (row: T) => SourceResult,
  chunk = 5_000,
  wanted: () => boolean = () => true,
): Promise<EncodedRows | null> {
  const bytes = new RowBytes();
  const offsets: number[] = [];
  const keys = new Map<string, number>();
  let meta: RowMeta = { source: '', backend: '', is_personal: false, is_deletable: false };
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % chunk === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!wanted()) return null;
    }
    const { fields, relations, ...shared } = toResult(rows[i]);
    if (i === 0) meta = shared;
    else if (!sameMeta(meta, shared)) throw new Error('results of one source differ in source, backend or flags');
    offsets.push(bytes.at);
    const entries = Object.entries(fields).filter(([, value]) => value !== undefined);
    bytes.u16(entries.length);
    for (const [key, value] of entries) {
      let index = keys.get(key);
      if (index === undefined) keys.set(key, (index = keys.size));
      if (index > 0xffff) throw new Error('more than 65,536 field names');
      bytes.u16(index);
      bytes.value(value);
    }
    const values = RELATIONS.map((name) => encoded(relations[name]));
    bytes.u8(values.reduce((mask, [kind], i) => (kind === Kind.Null ? mask : mask | (1 << i)), 0));
    for (const value of values) if (value[0] !== Kind.Null) bytes.encoded(value);
  }
  const buffer = new SharedArrayBuffer(bytes.at);
  bytes.buf.copy(Buffer.from(buffer), 0, 0, bytes.at);
  return { rows: buffer, keys: [...keys.keys()], meta, offsets };
}

function sameMeta(a: RowMeta, b: RowMeta): boolean {
  return a.source === b.source && a.backend === b.backend && a.is_personal === b.is_personal && a.is_deletable === b.is_deletable;
}

/** A table of `key → row` (the row's index in `offsets`, where encodeRows put it), at most half full. */
export function encodeTable(entries: ReadonlyMap<string, number>, offsets: readonly number[]): SharedArrayBuffer {
  let capacity = 8;
  while (capacity < entries.size * 2) capacity *= 2;
  let longUnits = 0;
  for (const key of entries.keys()) if (!inlineKey(key)) longUnits += key.length;
  const slotsBytes = 4 * (TABLE_HEADER + capacity * SLOT);
  const buffer = new SharedArrayBuffer(slotsBytes + 2 * longUnits);
  const slots = new Uint32Array(buffer, 0, TABLE_HEADER + capacity * SLOT);
  const longKeys = new Uint16Array(buffer, slotsBytes, longUnits);
  slots[0] = capacity;
  slots[1] = entries.size;
  let at = 0;
  for (const [key, row] of entries) {
    const h = hash(key);
    let slot = h & (capacity - 1);
    while (slots[TABLE_HEADER + slot * SLOT + 1] !== 0) slot = (slot + 1) & (capacity - 1);
    const base = TABLE_HEADER + slot * SLOT;
    slots[base] = h;
    slots[base + 1] = offsets[row]! + 1;
    slots[base + 2] = key.length;
    if (inlineKey(key)) {
      for (let i = 0; i < key.length; i++) slots[base + 3 + (i >> 2)] |= key.charCodeAt(i) << ((i & 3) << 3);
    } else {
      slots[base + 3] = at;
      for (let i = 0; i < key.length; i++) longKeys[at + i] = key.charCodeAt(i);
      at += key.length;
    }
  }
  return buffer;
}
