// The conference back-end (spec §4.6): the conferences of a wazo-confd, with their numbers.
import type { Backend, BackendLoadArgs, CallArgs, Fields, Relations } from '../../../src/contracts.js';
import { ConfdClient } from '../../../src/remote/confd.js';
import { matchingOf, sameNumber, type NumberMatching } from '../../../src/numbers.js';
import { fold, hiddenRelations, withHidden } from '../../../src/remote/entries.js';
import { SingleFlight } from '../../../src/single-flight.js';

export { configSchema } from './schema.js';

export function relations(fields: Fields): Partial<Relations> {
  return hiddenRelations(fields) as Partial<Relations>;
}

export default class ConferenceBackend implements Backend {
  private confd!: ConfdClient;
  private searched: string[] = [];
  private matched: string[] = [];
  /** Concurrent lookups share one confd request (see src/single-flight.ts). */
  private readonly fetching = new SingleFlight<Listing>();

  load({ config, host }: BackendLoadArgs): void {
    this.confd = new ConfdClient(config.confd as any, () => host.tokens.service());
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
  }

  async search(term: string, _args?: CallArgs): Promise<Fields[]> {
    const needle = fold(term);
    return (await this.contacts()).all.filter((contact) =>
      this.searched.some((column) => valuesOf(contact[column]).some((value) => fold(value).includes(needle))));
  }

  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    return (await this.matchAll([exten], args))[exten] ?? null;
  }

  async matchAll(extens: string[], args?: CallArgs): Promise<Record<string, Fields>> {
    const { all, byNumber } = await this.contacts();
    const matching = matchingOf(args);
    const found: Record<string, Fields> = {};
    for (const exten of extens) {
      const contact = byNumber.get(fold(exten)) ?? (matching ? all.find((c) => this.matchesNumber(c, exten, matching)) : undefined);
      if (contact) found[exten] = contact;
    }
    return found;
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    const wanted = new Set(uids.map(String));
    return (await this.contacts()).all.filter((contact) => wanted.has(String(contact.id)));
  }

  private matchesNumber(contact: Fields, exten: string, m: NumberMatching): boolean {
    return this.matched.some((column) => valuesOf(contact[column]).some((value) => sameNumber(exten, value, m)));
  }

  /** Every conference, fetched on each call; a confd that refuses or cannot be reached rejects. */
  private contacts(): Promise<Listing> {
    return this.fetching.run('conferences', async () => this.listing(await this.fetchContacts()));
  }

  /** The first conference holding each number (folded) in a first-matched column, for exact matching. */
  private listing(all: Fields[]): Listing {
    const byNumber = new Map<string, Fields>();
    for (const contact of all) {
      for (const column of this.matched) {
        for (const value of valuesOf(contact[column])) {
          const key = fold(value);
          if (!byNumber.has(key)) byNumber.set(key, contact);
        }
      }
    }
    return { all, byNumber };
  }

  private async fetchContacts(): Promise<Fields[]> {
    let answer;
    try {
      answer = await this.confd.conferences();
    } catch (error) {
      throw this.confd.failure(error);
    }
    return (answer.items ?? []).map(contactOf);
  }
}

interface Listing {
  all: Fields[];
  byNumber: Map<string, Fields>;
}

function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

function contactOf(conference: any): Fields {
  const extens = (list: any[] | undefined) => (list ?? []).map((extension) => extension?.exten).filter((e) => typeof e === 'string');
  const incalls = (conference.incalls ?? []).flatMap((incall: any) => extens(incall?.extensions));
  return withHidden({ id: conference.id, name: conference.name, extensions: extens(conference.extensions), incalls }, {
    source_entry_id: conference.id === null || conference.id === undefined ? null : String(conference.id),
  });
}
