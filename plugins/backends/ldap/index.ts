// The ldap back-end (spec §4.3): one small connection pool per source, RFC 4515 filters, paged searches
// (so an Active Directory with more matches than its size limit still answers), first value of each attribute.
import type { Entry, Filter, SearchOptions } from 'ldapts';
import type { AsyncCapabilities, Backend, BackendLoadArgs, CallArgs, Fields, HostCapabilities, LogLevel } from '../../../src/contracts.js';
import { pickExact, pickNumber, pickNumbers, matchedValues, type Pick } from './attribution.js';
import { Coalescer } from '../../../src/coalescer.js';
import { ConnectionPool } from './connection.js';
import {
  binaryListFilter, bytesToUuid, firstMatchFilter, listFilter, matchAllFilter, numberFilter, requestedAttributes, searchFilter, type FilterSource,
} from './filter.js';
import { matchingOf, type NumberMatching } from '../../../src/numbers.js';

export { configSchema } from './schema.js';

/** Connections per source: a dropped or slow one does not hold up the others' calls. */
export const POOL_SIZE = 2;
/** Entries per page; below Active Directory's MaxPageSize (1,000) and OpenLDAP's default limit (500). */
export const PAGE_SIZE = 200;
/** Most reverse lookups merged into one search: the OR filter stays small for the server. */
export const MAX_BATCH = 50;
const DEFAULT_NETWORK_TIMEOUT = 0.3;
const DEFAULT_TIMEOUT = 1.0;

type UniqueFormat = 'string' | 'binary_uuid';

export default class LdapBackend implements Backend {
  private pool: ConnectionPool | null = null;
  private filters: FilterSource = { customFilter: null, searched: [], matched: [] };
  private attributes: string[] = [];
  private uniqueColumn: string | null = null;
  private uniqueFormat: UniqueFormat = 'string';
  private timeLimit = 0;
  private host: AsyncCapabilities<HostCapabilities> | null = null;
  private lastProblem: string | null = null;
  private name = '';
  /** Searches sent to the server (tests count them). */
  searches = 0;
  /** Concurrent reverse lookups of one matching merged into one search (see src/coalescer.ts); a failed search answers its error. */
  private readonly reverse = new Coalescer<NumberMatching | null, Fields | null | Error>(MAX_BATCH, null, (m, extens, answer) =>
    this.firstMatchBatch(extens, m, answer).catch((error) => extens.forEach((exten) => answer(exten, error))));

  async load({ config, host }: BackendLoadArgs): Promise<void> {
    this.host = host;
    this.name = config.name;
    const customFilter = typeof config.ldap_custom_filter === 'string' && config.ldap_custom_filter !== '' ? config.ldap_custom_filter : null;
    this.filters = { customFilter, searched: config.searched_columns ?? [], matched: config.first_matched_columns ?? [] };
    if (customFilter === null && this.filters.searched.length === 0) {
      throw new Error('an ldap source needs ldap_custom_filter or searched_columns');
    }
    this.uniqueColumn = typeof config.unique_column === 'string' && config.unique_column !== '' ? config.unique_column : null;
    this.uniqueFormat = config.unique_column_format === 'binary_uuid' ? 'binary_uuid' : 'string';
    this.attributes = requestedAttributes(config.format_columns ?? {}, this.uniqueColumn);
    const seconds = (value: unknown, fallback: number) => (typeof value === 'number' && value >= 0 ? value : fallback);
    const timeout = seconds(config.ldap_timeout, DEFAULT_TIMEOUT);
    this.timeLimit = Math.ceil(timeout);
    this.pool = new ConnectionPool({
      url: String(config.ldap_uri),
      baseDn: String(config.ldap_base_dn),
      username: typeof config.ldap_username === 'string' ? config.ldap_username : null,
      password: typeof config.ldap_password === 'string' ? config.ldap_password : null,
      startTls: config.ldap_starttls === true,
      caFile: typeof config.ldap_tls_ca_file === 'string' ? config.ldap_tls_ca_file : null,
      networkTimeoutMs: seconds(config.ldap_network_timeout, DEFAULT_NETWORK_TIMEOUT) * 1000,
      operationTimeoutMs: timeout * 1000,
    }, POOL_SIZE);
    // Connect in the background: a slow or dead server must not hold up the load, and a server that
    // is down now may be up later (connections are opened again on demand).
    this.pool.warm().then(() => this.recovered(), (err) => this.problem(messageOf(err)));
  }

  async unload(): Promise<void> {
    await this.pool?.close();
  }

  async search(term: string, _args?: CallArgs): Promise<Fields[]> {
    return this.query(searchFilter(this.filters, term), {});
  }

  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    const matching = matchingOf(args);
    if (!this.coalesces()) return this.firstMatchAlone(exten, matching);
    const key = matching ? `${matching.mode}/${matching.region}/${matching.suffix_digits}` : 'exact';
    const found = await this.reverse.ask(key, matching, exten);
    if (found instanceof Error) throw found;
    return found;
  }

  private async firstMatchAlone(exten: string, matching: NumberMatching | null): Promise<Fields | null> {
    if (matching) return (await this.matchNumbers([exten], matching))[exten] ?? null;
    const [first] = await this.query(firstMatchFilter(this.filters, exten), { sizeLimit: 1 });
    return first ?? null;
  }

  /**
   * A custom filter with `%Q` differs per number: which entry its search would return is unknowable
   * from a merged answer. Without `%Q` it is the same for all, so every entry returned satisfies it.
   */
  private coalesces(): boolean {
    const { customFilter, matched } = this.filters;
    return matched.length > 0 && (customFilter === null || !customFilter.includes('%Q'));
  }

  /** One search for the batch; a number whose answer the merged entries cannot tell gets its own search. */
  private async firstMatchBatch(extens: string[], m: NumberMatching | null, answer: (exten: string, found: Fields | null) => void): Promise<void> {
    if (extens.length === 1) {
      answer(extens[0], await this.firstMatchAlone(extens[0], m));
      return;
    }
    const entries = await this.entries(matchAllFilter(this.filters, extens, m), {}, this.matchAttributes());
    const values = entries.map((entry) => matchedValues(entry, this.filters.matched));
    const fields = entries.map((entry) => this.toFields(entry));
    const picks: Pick[] = m ? pickNumbers(values, extens, m) : pickExact(values, extens);
    const unsure: Array<Promise<void>> = [];
    extens.forEach((exten, x) => {
      const pick = picks[x];
      if (pick === 'unsure') unsure.push(this.firstMatchAlone(exten, m).then((found) => answer(exten, found)));
      else answer(exten, pick === null ? null : m ? fields[pick] : this.withoutMatchAttributes(fields[pick]));
    });
    await Promise.all(unsure);
  }

  /** A lone exact search asks for the format columns' attributes only: the same fields, batched or not. */
  private withoutMatchAttributes(fields: Fields): Fields {
    if (this.attributes.length === 0) return fields;
    const asked = new Set(this.attributes.map((name) => name.toLowerCase()));
    return Object.fromEntries(Object.entries(fields).filter(([name]) => asked.has(name.toLowerCase())));
  }

  async matchAll(extens: string[], args?: CallArgs): Promise<Record<string, Fields>> {
    if (extens.length === 0) return {};
    const matching = matchingOf(args);
    if (matching) return this.matchNumbers(extens, matching);
    const wanted = new Set(extens);
    const entries = await this.query(matchAllFilter(this.filters, extens), {}, this.matchAttributes());
    const found: Record<string, Fields> = {};
    for (const column of this.filters.matched) {
      for (const fields of entries) {
        const value = fields[column];
        if (typeof value === 'string' && wanted.has(value)) found[value] = fields;
      }
    }
    return found;
  }

  /** The candidates the server finds for the numbers, kept when they match (an exact value first). */
  private async matchNumbers(extens: string[], m: NumberMatching): Promise<Record<string, Fields>> {
    const filter = extens.length === 1 ? numberFilter(this.filters, extens[0], m) : matchAllFilter(this.filters, extens, m);
    const entries = await this.entries(filter, {}, this.matchAttributes());
    const values = entries.map((entry) => matchedValues(entry, this.filters.matched));
    const found: Record<string, Fields> = {};
    for (const exten of extens) {
      const at = pickNumber(exten, values, m);
      if (at !== null) found[exten] = this.toFields(entries[at]);
    }
    return found;
  }

  /** The format columns' attributes plus the first-matched ones (to tell which entry matched). */
  private matchAttributes(): string[] {
    return this.attributes.length === 0 ? [] : [...new Set([...this.attributes, ...this.filters.matched])];
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    if (this.uniqueColumn === null) return [];
    const filter = this.uniqueFormat === 'binary_uuid'
      ? binaryListFilter(this.uniqueColumn, uids)
      : listFilter(this.uniqueColumn, uids);
    return this.query(filter, {});
  }

  private async query(filter: string | Filter | null, options: SearchOptions, attributes = this.attributes): Promise<Fields[]> {
    return (await this.entries(filter, options, attributes)).map((entry) => this.toFields(entry));
  }

  /**
   * The entries found. An LDAP or network error rejects (the caller's services take it as nothing from
   * this source, and a reverse cache keeps its answer): it is logged once while it lasts, not per call.
   */
  private async entries(filter: string | Filter | null, options: SearchOptions, attributes: string[]): Promise<Entry[]> {
    if (filter === null || this.pool === null) return [];
    this.searches++;
    const binary = this.uniqueFormat === 'binary_uuid' && this.uniqueColumn ? [this.uniqueColumn] : [];
    let entries: Entry[];
    try {
      entries = await this.pool.search({
        filter,
        attributes,
        explicitBufferAttributes: binary,
        timeLimit: this.timeLimit,
        ...(options.sizeLimit === 1 ? options : { ...options, paged: { pageSize: PAGE_SIZE } }),
      });
    } catch (err) {
      const message = messageOf(err);
      this.problem(message);
      throw new Error(`ldap source unavailable: ${message}`);
    }
    this.recovered();
    return entries.filter((entry) => entry.dn);
  }

  /** First value of each attribute, as text; the binary_uuid unique column as a UUID string. */
  private toFields(entry: Entry): Fields {
    const fields: Fields = {};
    const unique = this.uniqueFormat === 'binary_uuid' ? this.uniqueColumn?.toLowerCase() : undefined;
    for (const [name, raw] of Object.entries(entry)) {
      if (name === 'dn') continue;
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined) continue;
      if (Buffer.isBuffer(value)) {
        fields[name] = name.toLowerCase() === unique ? bytesToUuid(value) : value.toString('utf8');
      } else {
        fields[name] = value;
      }
    }
    return fields;
  }

  private recovered(): void {
    if (this.lastProblem === null) return;
    this.lastProblem = null;
    this.log('info', 'ldap source answers again', { source: this.name });
  }

  /** Logs a problem once, not on every call while it lasts. */
  private problem(message: string): void {
    if (message === this.lastProblem) return;
    this.lastProblem = message;
    this.log('warn', `ldap source unavailable: ${message}`, { source: this.name });
  }

  private log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    try {
      this.host?.log(level, msg, fields).catch(() => {});
    } catch {
      // Logging must never break a lookup.
    }
  }
}

/** ldapts' result-code errors carry little text: name the error and its LDAP code too. */
function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'number') return err.message;
  const text = err.message.trim();
  return `${err.constructor.name} (LDAP result code ${code})${text ? `: ${text}` : ''}`;
}
