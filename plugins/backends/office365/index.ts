// The office365 back-end (spec §4.8): the calling user's Microsoft contacts from Graph (`endpoint`),
// with the user's Microsoft token fetched by the host (`tokens` capability).
import type { Backend, BackendLoadArgs, CallArgs, Fields, Relations } from '../../../src/contracts.js';
import { hiddenRelations, withHidden } from '../../../src/remote/entries.js';
import { SingleFlight } from '../../../src/single-flight.js';
import { matchingOf, sameNumber } from '../../../src/numbers.js';
import { augmented, DEFAULT_GRAPH_ENDPOINT, graphContacts } from '../../../src/remote/graph.js';

export { configSchema } from './schema.js';

export function relations(fields: Fields): Partial<Relations> {
  return hiddenRelations(fields) as Partial<Relations>;
}

function matchValues(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

export default class Office365Backend implements Backend {
  private endpoint = DEFAULT_GRAPH_ENDPOINT;
  private host!: BackendLoadArgs['host'];
  private searched: string[] = [];
  private matched: string[] = [];
  /** One user's concurrent lookups share one token request and one Graph listing. */
  private readonly listing = new SingleFlight<Fields[]>();

  load({ config, host }: BackendLoadArgs): void {
    this.endpoint = typeof config.endpoint === 'string' && config.endpoint ? config.endpoint : DEFAULT_GRAPH_ENDPOINT;
    this.host = host;
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
    // The result builder reads format_columns after load: every office365 source answers reverse lookups.
    if (!('reverse' in (config.format_columns ?? {}))) config.format_columns = { ...config.format_columns, reverse: '{givenName}' };
  }

  async search(term: string, args: CallArgs): Promise<Fields[]> {
    const needle = term.toLowerCase();
    const found = (await this.contacts(args)).filter((contact) =>
      this.searched.some((column) => contact[column] !== null && contact[column] !== undefined && String(contact[column]).toLowerCase().includes(needle)));
    return found.sort((a, b) => String(a.givenName).localeCompare(String(b.givenName)));
  }

  async firstMatch(exten: string, args: CallArgs): Promise<Fields | null> {
    return (await this.matchAll([exten], args))[exten] ?? null;
  }

  async matchAll(extens: string[], args: CallArgs): Promise<Record<string, Fields>> {
    const contacts = await this.contacts(args);
    const found: Record<string, Fields> = {};
    const matching = matchingOf(args);
    for (const exten of extens) {
      const wanted = exten.toLowerCase();
      const contact = contacts.find((c) => this.matched.some((column) => matchValues(c[column]).some((v) => v.toLowerCase() === wanted)))
        ?? (matching ? contacts.find((c) => this.matched.some((column) => matchValues(c[column]).some((v) => sameNumber(exten, v, matching)))) : undefined);
      if (contact) found[exten] = contact;
    }
    return found;
  }

  async list(uids: string[], args: CallArgs): Promise<Fields[]> {
    const wanted = new Set(uids);
    return (await this.contacts(args)).filter((contact) => wanted.has(String(contact.id)));
  }

  private contacts(args: CallArgs): Promise<Fields[]> {
    return this.listing.run(`${args.user_uuid}\u0000${args.token}`, () => this.fetchContacts(args));
  }

  /**
   * No user or no Microsoft token: no contacts. A failed token request or Graph error rejects: the
   * services take it as nothing from this source (the host counts the error), a reverse cache keeps its answer.
   */
  private async fetchContacts(args: CallArgs): Promise<Fields[]> {
    const token: string | null = await this.host.tokens.external('microsoft', args.user_uuid, args.token);
    if (!token) return [];
    return (await graphContacts(this.endpoint, token)).map((contact) =>
      withHidden(augmented(contact), { source_entry_id: contact.id === undefined || contact.id === null ? null : String(contact.id) }));
  }
}
