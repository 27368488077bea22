// The worker's side of shared answers (src/shared-answers.ts): what a back-end's `answers.publish`
// does. Rows are encoded once per data version (the `rows` array's identity), each table once.
import type { AnswerPublisher, Fields, SourceResult } from '../src/contracts.js';
import { encodeRows, encodeTable, type AnswerSnapshot } from '../src/shared-answers.js';

export class WorkerAnswers implements AnswerPublisher {
  private version: { rows: readonly Fields[]; index: Map<Fields, number>; buffer: ReturnType<typeof encodeRows> } | null = null;
  private readonly tableBuffers = new WeakMap<ReadonlyMap<string, Fields>, SharedArrayBuffer>();
  private sequence = 0;

  constructor(
    /** The source's result builder, known once the back-end's load is done. */
    private readonly builder: Promise<(raw: Fields) => SourceResult>,
    /** Sends a snapshot to the host; null withdraws the last one. */
    private readonly send: (snapshot: AnswerSnapshot | null) => void,
    private readonly warn: (message: string) => void,
  ) {}

  publish(
    rows: readonly Fields[],
    tables: Iterable<readonly [string, ReadonlyMap<string, Fields>]>,
    validWhile?: { counter: SharedArrayBuffer; value: number },
  ): void {
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
    version.buffer.then((encodedRows) => {
      if (sequence !== this.sequence || encodedRows === null) return; // a later publish supersedes this one
      const encoded: Record<string, SharedArrayBuffer> = {};
      for (const [name, table] of named) encoded[name] = this.tableBuffer(table, version.index);
      this.send({ ...encodedRows, tables: encoded, ...(validWhile ? { guard: { counter: validWhile.counter, value: validWhile.value } } : {}) });
    }).catch((error) => {
      this.warn(`answers not published, the host asks the worker instead: ${error?.message ?? error}`);
    });
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
