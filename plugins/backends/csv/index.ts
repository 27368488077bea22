// The csv back-end (spec §4.1): a local CSV file, re-read when it changes.
import { promises as fs } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { AnswerPublisher, AsyncCapabilities, Backend, BackendLoadArgs, CallArgs, Fields, HostCapabilities, LogLevel } from '../../../src/contracts.js';
import { matchingOf, NumberIndex } from '../../../src/numbers.js';

export { configSchema } from './schema.js';

/** How often, at most, the file is stat'ed for changes. */
export const STAT_INTERVAL_MS = 250;

interface Content {
  rows: Fields[];
  /** Lower-cased values of the searched columns, per row. */
  haystacks: string[][];
  /** First row (in file order) holding a value in any first-matched column. */
  byMatchedValue: Map<unknown, Fields>;
  /** The first-matched values by E.164 form and last digits (number_matching other than exact). */
  numbers: NumberIndex<Fields>;
}

const EMPTY: Content = { rows: [], haystacks: [], byMatchedValue: new Map(), numbers: new NumberIndex(() => []) };

export default class CsvBackend implements Backend {
  private file = '';
  private separator = ',';
  private uniqueColumn: string | null = null;
  private searched: string[] = [];
  private matched: string[] = [];
  private host: AsyncCapabilities<HostCapabilities> | null = null;
  private content = EMPTY;
  /** Stat signature of the last file version read; null when none was. */
  private version: string | null = null;
  private checkedAt = -Infinity;
  private checking: Promise<void> | null = null;
  private lastProblem: string | null = null;
  private answers: AnswerPublisher | null = null;
  private poller: NodeJS.Timeout | null = null;

  async load({ config, host, answers }: BackendLoadArgs): Promise<void> {
    this.file = typeof config.file === 'string' ? config.file : '';
    this.separator = typeof config.separator === 'string' && config.separator !== '' ? config.separator : ',';
    this.uniqueColumn = typeof config.unique_column === 'string' && config.unique_column !== '' ? config.unique_column : null;
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
    this.host = host;
    await this.refresh();
    if (answers) {
      this.answers = answers;
      this.publish();
      // The host answers reverse lookups from the published answers, so calls no longer tell this
      // worker to look at the file: it looks on its own.
      this.poller = setInterval(() => void this.refresh(), STAT_INTERVAL_MS);
      this.poller.unref();
    }
  }

  unload(): void {
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  async search(term: string, _args?: CallArgs): Promise<Fields[]> {
    await this.refresh();
    if (this.searched.length === 0) return [];
    const needle = term.toLowerCase();
    const { rows, haystacks } = this.content;
    const found: Fields[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (haystacks[i].some((value) => value.includes(needle))) found.push(rows[i]);
    }
    return found;
  }

  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    await this.refresh();
    const row = this.content.byMatchedValue.get(exten);
    if (row) return row;
    const matching = matchingOf(args);
    return matching ? (await this.content.numbers.find(exten, matching)) ?? null : null;
  }

  async matchAll(extens: string[], args?: CallArgs): Promise<Record<string, Fields>> {
    await this.refresh();
    const matching = matchingOf(args);
    const { byMatchedValue, numbers } = this.content;
    const matches: [string, Fields][] = [];
    for (const exten of extens) {
      const row = byMatchedValue.get(exten) ?? (matching ? await numbers.find(exten, matching) : undefined);
      if (row) matches.push([exten, row]);
    }
    return Object.fromEntries(matches);
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    await this.refresh();
    const column = this.uniqueColumn;
    if (column === null) return [];
    const wanted = new Set<unknown>(uids);
    return this.content.rows.filter((row) => Object.hasOwn(row, column) && wanted.has(row[column]));
  }

  /** Re-reads the file when its stat changed, at most every STAT_INTERVAL_MS; concurrent calls share one check. */
  private refresh(): Promise<void> {
    if (this.checking) return this.checking;
    const now = performance.now();
    if (now - this.checkedAt < STAT_INTERVAL_MS) return Promise.resolve();
    this.checkedAt = now;
    this.checking = this.reloadIfChanged().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async reloadIfChanged(): Promise<void> {
    let version: string;
    try {
      const stat = await fs.stat(this.file);
      // ctime too: a permission fix does not touch mtime.
      version = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}:${stat.ino}`;
    } catch (err) {
      this.problem(`cannot read csv file ${JSON.stringify(this.file)}: ${messageOf(err)}`);
      return;
    }
    if (version === this.version) return;
    this.version = version;
    try {
      const rows = parseCsv(await fs.readFile(this.file), this.separator);
      this.content = indexRows(rows, this.searched, this.matched, this.content.numbers, () => this.publish());
      this.lastProblem = null;
      this.publish();
    } catch (err) {
      this.problem(`cannot load csv file ${JSON.stringify(this.file)}, keeping its previous content: ${messageOf(err)}`);
    }
  }

  private publish(): void {
    const { rows, byMatchedValue, numbers } = this.content;
    this.answers?.publish(rows, [['exact', byMatchedValue as Map<string, Fields>], ...numbers.tables()]);
  }

  /** Logs a problem once, not on every check while it lasts. */
  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.log('error', message, { file: this.file });
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    try {
      this.host?.log(level, msg, fields).catch(() => {});
    } catch {
      // Logging must never break a lookup.
    }
  }
}

/** Rows of a UTF-8 CSV (BOM optional) keyed by the header row; short rows lack keys, extra cells are dropped. */
export function parseCsv(data: Buffer, separator: string): Fields[] {
  let text = data.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = parse(text, {
    delimiter: separator,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
  });
  const [headers, ...body] = records;
  if (!headers) return [];
  return body.map((cells) => {
    const entries: [string, string][] = [];
    for (let i = 0; i < Math.min(headers.length, cells.length); i++) entries.push([headers[i], cells[i]]);
    return Object.fromEntries(entries);
  });
}

function indexRows(rows: Fields[], searched: string[], matched: string[], previous?: NumberIndex<Fields>, onBuilt?: () => void): Content {
  const haystacks = rows.map((row) => {
    const values: string[] = [];
    for (const column of searched) {
      if (Object.hasOwn(row, column)) values.push(String(row[column]).toLowerCase());
    }
    return values;
  });
  const byMatchedValue = new Map<unknown, Fields>();
  for (const row of rows) {
    for (const column of matched) {
      if (Object.hasOwn(row, column) && !byMatchedValue.has(row[column])) byMatchedValue.set(row[column], row);
    }
  }
  const numbers = new NumberIndex(function* () {
    for (const row of rows) {
      for (const column of matched) {
        if (Object.hasOwn(row, column)) yield [String(row[column]), row] as const;
      }
    }
  }, previous, onBuilt);
  return { rows, haystacks, byMatchedValue, numbers };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
