// The google back-end (spec §4.7): the calling user's Google contacts, with the user's Google token
// fetched by the host (`tokens` capability). The People API base URL is `google.people_url`.
import type { Backend, BackendLoadArgs, CallArgs, Fields, Relations } from '../../../src/contracts.js';
import { hiddenRelations, withHidden } from '../../../src/remote/entries.js';
import { SingleFlight } from '../../../src/single-flight.js';
import { matchingOf, sameNumber } from '../../../src/numbers.js';
import { DEFAULT_PEOPLE_URL, GoogleClient, googleValues, type GoogleContact } from '../../../src/remote/google.js';

export { configSchema } from './schema.js';

export function relations(fields: Fields): Partial<Relations> {
  return hiddenRelations(fields) as Partial<Relations>;
}

export default class GoogleBackend implements Backend {
  private google!: GoogleClient;
  private host!: BackendLoadArgs['host'];
  private searched: string[] = [];
  private matched: string[] = [];
  /** One user's concurrent lookups share one token request and one People API listing. */
  private readonly listing = new SingleFlight<Fields[]>();

  load({ config, main_config, host }: BackendLoadArgs): void {
    const peopleUrl = (main_config.google as { people_url?: string } | undefined)?.people_url;
    this.google = new GoogleClient(peopleUrl || DEFAULT_PEOPLE_URL);
    this.host = host;
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
    // The result builder reads format_columns after load: every google source answers reverse lookups.
    if (!('reverse' in (config.format_columns ?? {}))) config.format_columns = { ...config.format_columns, reverse: '{name}' };
  }

  async search(term: string, args: CallArgs): Promise<Fields[]> {
    const needle = term.toLowerCase();
    const found = await this.fetch(args, (token) => this.google.search(token, term));
    return found.filter((contact) => this.searched.some((column) => googleValues(contact[column]).some((v) => v.toLowerCase().includes(needle))));
  }

  async firstMatch(exten: string, args: CallArgs): Promise<Fields | null> {
    return (await this.matchAll([exten], args))[exten] ?? null;
  }

  async matchAll(extens: string[], args: CallArgs): Promise<Record<string, Fields>> {
    const contacts = await this.all(args);
    const found: Record<string, Fields> = {};
    const matching = matchingOf(args);
    for (const exten of extens) {
      const wanted = exten.toLowerCase();
      const contact = contacts.find((c) => this.matched.some((column) => googleValues(c[column]).some((v) => v.toLowerCase() === wanted)))
        ?? (matching ? contacts.find((c) => this.matched.some((column) => googleValues(c[column]).some((v) => sameNumber(exten, v, matching)))) : undefined);
      if (contact) found[exten] = contact;
    }
    return found;
  }

  async list(uids: string[], args: CallArgs): Promise<Fields[]> {
    const wanted = new Set(uids);
    return (await this.all(args)).filter((contact) => wanted.has(String(contact.id)));
  }

  private all(args: CallArgs): Promise<Fields[]> {
    return this.listing.run(`${args.user_uuid}\u0000${args.token}`, () => this.fetch(args, (token) => this.google.all(token)));
  }

  /**
   * No user or no Google token: no contacts. A failed token request or Google error rejects: the
   * services take it as nothing from this source (the host counts the error), a reverse cache keeps its answer.
   */
  private async fetch(args: CallArgs, call: (token: string) => Promise<GoogleContact[]>): Promise<Fields[]> {
    const token: string | null = await this.host.tokens.external('google', args.user_uuid, args.token);
    if (!token) return [];
    return (await call(token)).map((contact) => withHidden(contact, { source_entry_id: contact.id === null ? null : String(contact.id) }));
  }
}
