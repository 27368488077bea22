// The wazo back-end (spec §4.5): the users of a wazo-confd, with their ids as relations. The service
// token comes from the host's `tokens` capability; the credentials behind it never reach this worker.
import type { Backend, BackendLoadArgs, CallArgs, Fields, Relations } from '../../../src/contracts.js';
import { ConfdClient } from '../../../src/remote/confd.js';
import { matchingOf, sameNumber } from '../../../src/numbers.js';
import { fold, hiddenRelations, withHidden } from '../../../src/remote/entries.js';

export { configSchema } from './schema.js';

const FIELDS = ['id', 'exten', 'firstname', 'lastname', 'userfield', 'email', 'description', 'mobile_phone_number', 'voicemail_number'];
/** Columns confd filters on exactly, many values at once (`exten=1,2,3`). */
const MULTI_VALUE_COLUMNS = new Set(['exten', 'mobile_phone_number']);

export function relations(fields: Fields): Partial<Relations> {
  return hiddenRelations(fields) as Partial<Relations>;
}

export default class WazoBackend implements Backend {
  private confd!: ConfdClient;
  private searched: string[] = [];
  private matched: string[] = [];
  private extraParams: Record<string, string> = {};
  private xivoId: string | null = null;

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

  /** confd searches; of the users it finds, the first whose first-matched column holds the number. */
  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    const users = await this.users({ search: exten });
    const valueOf = (user: Fields, column: string) => (user[column] === null || user[column] === undefined ? null : String(user[column]));
    const matching = matchingOf(args);
    return users.find((user) => this.matched.some((column) => valueOf(user, column) === exten))
      ?? (matching ? users.find((user) => this.matched.some((column) => { const v = valueOf(user, column); return v !== null && sameNumber(exten, v, matching); })) : undefined)
      ?? null;
  }

  async matchAll(extens: string[], args: CallArgs): Promise<Record<string, Fields>> {
    const columns = this.matched;
    const found: Record<string, Fields> = {};
    // confd filters those columns on exact values: with number matching, each number is searched instead.
    if (!matchingOf(args) && columns.length > 0 && columns.every((c) => MULTI_VALUE_COLUMNS.has(c)) && extens.length >= columns.length) {
      const wanted = new Set(extens);
      const perColumn = await Promise.all(columns.map((column) => this.users({ [column]: extens.join(',') })));
      columns.forEach((column, i) => {
        for (const user of perColumn[i]) {
          const value = user[column] === null || user[column] === undefined ? null : String(user[column]);
          if (value !== null && wanted.has(value)) found[value] = user;
        }
      });
      return found;
    }
    const each = await Promise.all(extens.map((exten) => this.firstMatch(exten, args)));
    extens.forEach((exten, i) => {
      if (each[i]) found[exten] = each[i]!;
    });
    return found;
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    const wanted = new Set(uids.map(String));
    return (await this.users({})).filter((user) => wanted.has(String(user.id)));
  }

  /** Users as entries; a confd that cannot be reached, refuses, or has no infos gives none. */
  private async users(params: Record<string, string>): Promise<Fields[]> {
    try {
      const xivoId = await this.infosUuid();
      const answer = await this.confd.users({ view: 'directory', recurse: 'True', ...params, ...this.extraParams });
      return (answer.items ?? []).map((user) => entryOf(user, xivoId));
    } catch {
      return [];
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
