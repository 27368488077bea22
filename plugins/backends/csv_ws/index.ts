// The csv_ws back-end (spec §4.2): a web service answering CSV; it filters, dird only asks and parses.
import { parse } from 'csv-parse/sync';
import type { AsyncCapabilities, Backend, BackendLoadArgs, CallArgs, Fields, HostCapabilities, LogLevel } from '../../../src/contracts.js';
import { matchingOf, sameNumber } from '../../../src/numbers.js';
import { CsvFetcher } from './fetch.js';

export { configSchema } from './schema.js';

export default class CsvWsBackend implements Backend {
  private lookupUrl = '';
  private listUrl: string | null = null;
  private delimiter = ',';
  private uniqueColumn: string | null = null;
  private searched: string[] = [];
  private matched: string[] = [];
  private fetcher: CsvFetcher | null = null;
  private host: AsyncCapabilities<HostCapabilities> | null = null;
  private lastProblem: string | null = null;
  private name = '';

  load({ config, host }: BackendLoadArgs): void {
    this.host = host;
    this.name = config.name;
    this.lookupUrl = String(config.lookup_url ?? '');
    this.listUrl = typeof config.list_url === 'string' && config.list_url !== '' ? config.list_url : null;
    this.delimiter = typeof config.delimiter === 'string' && config.delimiter !== '' ? config.delimiter : ',';
    this.uniqueColumn = typeof config.unique_column === 'string' && config.unique_column !== '' ? config.unique_column : null;
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
    const timeout = typeof config.timeout === 'number' && config.timeout >= 0 ? config.timeout : 10;
    const verify = typeof config.verify_certificate === 'string' ? verifySetting(config.verify_certificate) : config.verify_certificate !== false;
    this.fetcher = new CsvFetcher({ timeoutMs: timeout * 1000, verify });
  }

  unload(): void {
    this.fetcher?.close();
  }

  /** Every searched column is sent with the term; the service's answer is taken as is. */
  async search(term: string, _args?: CallArgs): Promise<Fields[]> {
    return this.fetchRows(this.lookupUrl, this.searched.map((column) => [column, term]));
  }

  /** The service filters; of its rows, the first whose first-matched column holds the number. */
  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    if (this.matched.length === 0) return null;
    const rows = await this.fetchRows(this.lookupUrl, this.matched.map((column) => [column, exten]));
    const matching = matchingOf(args);
    return rows.find((row) => this.matched.some((column) => row[column] === exten))
      ?? (matching ? rows.find((row) => this.matched.some((column) => typeof row[column] === 'string' && sameNumber(exten, row[column] as string, matching))) : undefined)
      ?? null;
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    const column = this.uniqueColumn;
    if (column === null || this.listUrl === null || uids.length === 0) return [];
    const wanted = new Set<unknown>(uids);
    const rows = await this.fetchRows(this.listUrl, []);
    return rows.filter((row) => Object.hasOwn(row, column) && wanted.has(row[column]));
  }

  /**
   * Rows of one GET. A failure or a non-200 answer rejects (the services take it as nothing from this
   * source, and a reverse cache keeps its answer); it is logged once while it lasts, not per call.
   */
  private async fetchRows(base: string, params: Array<[string, string]>): Promise<Fields[]> {
    if (this.fetcher === null) return [];
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw this.problem('invalid URL');
    }
    for (const [name, value] of params) url.searchParams.append(name, value);
    // Only origin and path are told: the query holds the caller's number, the URL may hold credentials.
    const where = `${url.origin}${url.pathname}`;
    let rows: Fields[];
    try {
      const response = await this.fetcher.get(url);
      if (response.status !== 200) throw new Error(`answered ${response.status}`);
      rows = parseRows(response.text, this.delimiter);
    } catch (err) {
      throw this.problem(`${where}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.lastProblem = null;
    return rows;
  }

  /** Logs a problem once, not on every call while it lasts; the error to reject with. */
  private problem(message: string): Error {
    if (message !== this.lastProblem) {
      this.lastProblem = message;
      this.log('warn', `csv_ws source: ${message}`, { source: this.name });
    }
    return new Error(`csv_ws source: ${message}`);
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    try {
      this.host?.log(level, msg, fields).catch(() => {});
    } catch {
      // Logging must never break a lookup.
    }
  }
}

/** Wazo's string forms of the flag: "true"/"false", else a CA file path. */
function verifySetting(value: string): boolean | string {
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  return value;
}

/** Rows keyed by the header row; empty lines skipped, short rows lack keys, extra cells are dropped. */
export function parseRows(text: string, delimiter: string): Fields[] {
  const records: string[][] = parse(text, {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    bom: true,
  });
  const [headers, ...body] = records;
  if (!headers) return [];
  return body.map((cells) => {
    const entries: [string, string][] = [];
    for (let i = 0; i < Math.min(headers.length, cells.length); i++) entries.push([headers[i], cells[i]]);
    return Object.fromEntries(entries);
  });
}
