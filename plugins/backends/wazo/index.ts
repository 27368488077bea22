// The wazo back-end (spec §4.5): the users of a wazo-confd, with their ids as relations. The service
// token comes from the host's `tokens` capability; the credentials behind it never reach this worker.
import type { Backend, BackendLoadArgs, CallArgs, Fields, Relations } from '../../../src/contracts.js';
import { ConfdClient } from '../../../src/remote/confd.js';
import { candidateDigits, matchingOf, sameNumber, type NumberMatching } from '../../../src/numbers.js';
import { fold, hiddenRelations, withHidden } from '../../../src/remote/entries.js';
import { Coalescer } from '../../../src/coalescer.js';

export { configSchema } from './schema.js';

const FIELDS = ['id', 'exten', 'firstname', 'lastname', 'userfield', 'email', 'description', 'mobile_phone_number', 'voicemail_number'];
/** Columns confd filters on exactly, many values at once (`exten=1,2,3`). */
const MULTI_VALUE_COLUMNS = new Set(['exten', 'mobile_phone_number']);
/** Values per merged confd request: keeps its URL well under common limits. */
const MAX_MERGED = 100;

const valueOf = (user: Fields, column: string) => (user[column] === null || user[column] === undefined ? null : String(user[column]));

export function relations(fields: Fields): Partial<Relations> {
  return hiddenRelations(fields) as Partial<Relations>;
}

export default class WazoBackend implements Backend {
  private confd!: ConfdClient;
  private searched: string[] = [];
  private matched: string[] = [];
  private extraParams: Record<string, string> = {};
  private xivoId: string | null = null;
  /**
   * Exact lookups by a multi-value column, from concurrent calls, merged into one confd request
   * (`exten=1001,1002,…`); of the users it finds, the first holding a value answers it. A failed
   * request answers its error to every value.
   */
  private readonly byColumn = new Coalescer<string, Fields | null | Error>(MAX_MERGED, null, async (column, values, answer) => {
    const open = new Set(values);
    let users: Fields[];
    try {
      users = await this.users({ [column]: values.join(',') });
    } catch (error) {
      values.forEach((value) => answer(value, error as Error));
      return;
    }
    for (const user of users) {
      const value = valueOf(user, column);
      if (value !== null && open.delete(value)) answer(value, user);
    }
  });

  load({ config, host }: BackendLoadArgs): void {
    this.confd = new ConfdClient(config.confd as any, () => host.tokens.service());
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
    const extra = config.extra_search_params;
    if (extra && typeof extra === 'object') {
      this.extraParams = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)]));
    }
  }

  async search(term: string, _args?: CallArgs): Promise<Fields[]> {
    const needle = fold(term);
    const users = await this.users({ search: term });
    return users.filter((user) => this.searched.some((column) => user[column] !== null && user[column] !== undefined && fold(user[column]).includes(needle)));
  }

  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    return this.filtersExactly(args) ? this.exactMatch(exten) : this.searchMatch(exten, args);
  }

  async matchAll(extens: string[], args: CallArgs): Promise<Record<string, Fields>> {
    if (this.filtersExactly(args)) return this.exactMatchAll(extens);
    const each = await Promise.all(extens.map((exten) => this.searchMatch(exten, args)));
    const found: Record<string, Fields> = {};
    extens.forEach((exten, i) => {
      if (each[i]) found[exten] = each[i]!;
    });
    return found;
  }

  /** Exact matching on columns confd filters by value: asked with filters, merged across calls. */
  private filtersExactly(args?: CallArgs): boolean {
    return !matchingOf(args) && this.matched.length > 0 && this.matched.every((column) => MULTI_VALUE_COLUMNS.has(column));
  }

  /** The user holding `exten` in the first column that has it (first_matched_columns order). */
  private async exactMatch(exten: string): Promise<Fields | null> {
    return (await this.exactMatchAll([exten]))[exten] ?? null;
  }

  /** exactMatch of every number, asked together: one merged question per column. */
  private async exactMatchAll(extens: string[]): Promise<Record<string, Fields>> {
    // confd's filters take comma-separated values: such a number cannot be asked (nor be an extension).
    const askable = extens.filter((exten) => exten !== '' && !exten.includes(','));
    const byColumn = await Promise.all(this.matched.map((column) => this.byColumn.askAll(column, column, askable)));
    const failed = byColumn.flat().find((answer) => answer instanceof Error);
    if (failed) throw failed;
    const found: Record<string, Fields> = {};
    askable.forEach((exten, i) => {
      const user = byColumn.find((answers) => answers[i] !== null)?.[i] as Fields | undefined;
      if (user) found[exten] = user;
    });
    return found;
  }

  /**
   * confd searches; of the users it finds, the first whose first-matched column holds the number, else
   * one holding the same number. Under number matching it searches for the number's last digits, so
   * that other forms of it are found, and, when the caller ID has punctuation, also for it as written
   * (a value stored just so holds no run of seven digits, and its holder must win).
   */
  private async searchMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    const matching = matchingOf(args);
    const digits = matching && candidateDigits(exten, matching);
    const searches = !digits ? [exten] : /^\+?\d+$/.test(exten) ? [digits] : [exten, digits];
    const found = await Promise.all(searches.map((search) => this.users({ search })));
    return this.holding(found.flat(), exten, matching);
  }

  private holding(users: Fields[], exten: string, matching: NumberMatching | null): Fields | null {
    return users.find((user) => this.matched.some((column) => valueOf(user, column) === exten))
      ?? (matching ? users.find((user) => this.matched.some((column) => { const v = valueOf(user, column); return v !== null && sameNumber(exten, v, matching); })) : undefined)
      ?? null;
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    const wanted = new Set(uids.map(String));
    return (await this.users({})).filter((user) => wanted.has(String(user.id)));
  }

  /**
   * Users as entries. A confd that cannot be reached, refuses, or has no infos rejects: the services
   * take it as nothing from this source (the host counts the error), a reverse cache keeps its answer.
   */
  private async users(params: Record<string, string>): Promise<Fields[]> {
    try {
      const xivoId = await this.infosUuid();
      const answer = await this.confd.users({ view: 'directory', recurse: 'True', ...params, ...this.extraParams });
      return (answer.items ?? []).map((user) => entryOf(user, xivoId));
    } catch (error) {
      throw this.confd.failure(error);
    }
  }

  private async infosUuid(): Promise<string> {
    this.xivoId ??= (await this.confd.infos()).uuid;
    return this.xivoId;
  }
}

function entryOf(user: Record<string, unknown>, xivoId: string): Fields {
  const fields: Fields = {};
  for (const name of FIELDS) fields[name] = user[name] ?? null;
  fields.full_name = [user.firstname, user.lastname].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return withHidden(fields, {
    xivo_id: xivoId,
    agent_id: user.agent_id ?? null,
    user_id: user.id ?? null,
    user_uuid: user.uuid ?? null,
    endpoint_id: user.line_id ?? null,
    source_entry_id: user.id === null || user.id === undefined ? null : String(user.id),
  });
}
