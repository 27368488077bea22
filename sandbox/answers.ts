// The worker's side of shared answers (the format is in src/shared-answers.ts): what a back-end's
// `answers.publish` does, and the encoders. Rows are encoded once per data version (the `rows` array's
// identity), each table once.
import type { AnswerPublisher, Fields, SourceResult } from '../src/contracts.js';
import { hash, Kind, RELATIONS, SLOT, TABLE_HEADER, type AnswerGuard, type AnswerSnapshot, type RowMeta } from '../src/shared-answers.js';

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
      for (const [name, table] of named) encoded[name] = this.tableBuffer(table, version.index);
      this.send({ ...encodedRows, tables: encoded, ...guard });
    }).catch((error) => {
      this.warn(`answers not published, the host asks the worker instead: ${error?.message ?? error}`);
    });
  }

  /** Publishes still being encoded are not sent. */
  cancel(): void {
    this.sequence++;
    this.version = null;
  }

  private tableBuffer(table: ReadonlyMap<string, Fields>, index: Map<Fields, number>): SharedArrayBuffer {
    let buffer = this.tableBuffers.get(table);
    if (buffer) return buffer;
    const rows = new Map<string, number>();
    for (const [key, row] of table) {
      const at = index.get(row);
      if (typeof key === 'string' && at !== undefined) rows.set(key, at);
    }
    buffer = encodeTable(rows);
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

  value(value: unknown): void {
    let kind: Kind = Kind.Null;
    let text = '';
    if (typeof value === 'string') {
      kind = LATIN1.test(value) ? Kind.Latin1 : Kind.Utf8;
      text = value;
    } else if (value !== null && value !== undefined) {
      const json = JSON.stringify(value);
      if (json !== undefined) [kind, text] = [Kind.Json, json];
    }
    this.ensure(5 + text.length * 3);
    const length = text === '' ? 0 : this.buf.write(text, this.at + 5, kind === Kind.Latin1 ? 'latin1' : 'utf8');
    this.buf[this.at] = kind;
    this.buf.writeUInt32LE(length, this.at + 1);
    this.at += 5 + length;
  }
}

/**
 * The results of rows in one buffer; yields to the event loop every `chunk` rows (heartbeats go on),
 * and gives up (null) at such a point when `wanted()` says a newer version superseded this one.
 */
export async function encodeRows<T>(
  rows: readonly T[],
  toResult: (row: T) => SourceResult,
  chunk = 5_000,
  wanted: () => boolean = () => true,
): Promise<Pick<AnswerSnapshot, 'rows' | 'keys' | 'meta'> | null> {
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
    for (const name of RELATIONS) bytes.value(relations[name]);
  }
  offsets.push(bytes.at);
  const head = 4 * (rows.length + 2);
  const buffer = new SharedArrayBuffer(head + bytes.at);
  const header = new Uint32Array(buffer, 0, rows.length + 2);
  header[0] = rows.length;
  header.set(offsets, 1);
  bytes.buf.copy(Buffer.from(buffer, head), 0, 0, bytes.at);
  return { rows: buffer, keys: [...keys.keys()], meta };
}

function sameMeta(a: RowMeta, b: RowMeta): boolean {
  return a.source === b.source && a.backend === b.backend && a.is_personal === b.is_personal && a.is_deletable === b.is_deletable;
}

/** A table of `key → row index`, at most half full. */
export function encodeTable(entries: ReadonlyMap<string, number>): SharedArrayBuffer {
  let capacity = 8;
  while (capacity < entries.size * 2) capacity *= 2;
  let keyUnits = 0;
  for (const key of entries.keys()) keyUnits += key.length;
  const slotsBytes = 4 * (TABLE_HEADER + capacity * SLOT);
  const buffer = new SharedArrayBuffer(slotsBytes + 2 * keyUnits);
  const slots = new Uint32Array(buffer, 0, TABLE_HEADER + capacity * SLOT);
  const keys = new Uint16Array(buffer, slotsBytes, keyUnits);
  slots[0] = capacity;
  slots[1] = entries.size;
  let at = 0;
  for (const [key, row] of entries) {
    const h = hash(key);
    let slot = h & (capacity - 1);
    while (slots[TABLE_HEADER + slot * SLOT + 3] !== 0) slot = (slot + 1) & (capacity - 1);
    const base = TABLE_HEADER + slot * SLOT;
    slots[base] = h;
    slots[base + 1] = at;
    slots[base + 2] = key.length;
    slots[base + 3] = row + 1;
    for (let i = 0; i < key.length; i++) keys[at + i] = key.charCodeAt(i);
    at += key.length;
  }
  return buffer;
}
