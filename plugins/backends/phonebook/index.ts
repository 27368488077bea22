// The phonebook back-end (spec §3.6): one phonebook's contacts, held in this worker with indexes.
// It reads them through the `phonebook` capability its package's service grants (no database access
// here): page by page at first, then, before each call, only the contacts changed since the version it
// holds (a write through the API bumps the phonebook's version, so the next lookup sees it). The
// version is read from memory the host shares, so an unchanged phonebook costs no message per call.
import type { AnswerPublisher, Backend, BackendLoadArgs, CallArgs, Fields, Relations } from '../../../src/contracts.js';
import { matchingOf, NumberIndex } from '../../../src/numbers.js';

export { configSchema } from './schema.js';

/** Small pages: on SQLite each one is a synchronous read on the host's event loop. */
export const PAGE_SIZE = 500;
/** Loads retried when writes keep landing while a load runs; the last one is kept anyway. */
const LOAD_ATTEMPTS = 5;

interface PhonebookCapability {
  version(): Promise<number>;
  counter(): Promise<SharedArrayBuffer>;
  page(after: string | null, limit: number): Promise<{ version: number; contacts: Fields[] }>;
  changes(since: number): Promise<{ version: number; reload: true } | { version: number; contacts: Fields[]; removed: string[]; reload?: undefined }>;
}

interface Content {
  contacts: Fields[];
  /** Lower-cased values of the searched columns, per contact (search = ILIKE '%term%'). */
  haystacks: string[][];
  /** Lower-cased first-matched value → first contact holding it (first_match = ILIKE 'exten'). */
  byFoldedValue: Map<string, Fields>;
  /** Exact first-matched value → first contact holding it (match_all = IN). */
  byValue: Map<string, Fields>;
  /** First-matched values by E.164 form and last digits (number_matching other than exact), built on use. */
  numbers: NumberIndex<Fields>;
}

const EMPTY: Content = { contacts: [], haystacks: [], byFoldedValue: new Map(), byValue: new Map(), numbers: new NumberIndex(() => []) };

export function relations(fields: Fields): Partial<Relations> {
  return { source_entry_id: typeof fields.id === 'string' ? fields.id : null };
}

export default class PhonebookBackend implements Backend {
  private phonebook: PhonebookCapability | null = null;
  private searched: string[] = [];
  private matched: string[] = [];
  private content = EMPTY;
  /** Every contact by id, in load order (the indexes in `content` are built from it). */
  private byId = new Map<string, Fields>();
  private version: number | null = null;
  /** The host's version of the phonebook, in memory shared with the host. */
  private counter: Int32Array | null = null;
  private loading: Promise<void> | null = null;
  /** Set when the host reads published answers; they hold while the shared version is the one held here. */
  private answers: AnswerPublisher | null = null;

  async load({ config, host, answers }: BackendLoadArgs): Promise<void> {
    this.phonebook = (host.phonebook as PhonebookCapability | undefined) ?? null;
    this.searched = config.searched_columns ?? [];
    this.matched = config.first_matched_columns ?? [];
    if (this.phonebook) this.counter = new Int32Array(await this.phonebook.counter());
    if (this.counter) this.answers = answers ?? null;
    await this.refresh();
  }

  async search(term: string, _args?: CallArgs): Promise<Fields[]> {
    await this.refresh();
    if (this.searched.length === 0) return [];
    const needle = term.toLowerCase();
    const { contacts, haystacks } = this.content;
    return contacts.filter((_, i) => haystacks[i].some((value) => value.includes(needle)));
  }

  async firstMatch(exten: string, args?: CallArgs): Promise<Fields | null> {
    await this.refresh();
    const contact = this.content.byFoldedValue.get(exten.toLowerCase());
    if (contact) return contact;
    const matching = matchingOf(args);
    return matching ? (await this.content.numbers.find(exten, matching)) ?? null : null;
  }

  async matchAll(extens: string[], args?: CallArgs): Promise<Record<string, Fields>> {
    await this.refresh();
    const matching = matchingOf(args);
    const { byValue, numbers } = this.content;
    const found: Record<string, Fields> = {};
    for (const exten of extens) {
      const contact = byValue.get(exten) ?? (matching ? await numbers.find(exten, matching) : undefined);
      if (contact) found[exten] = contact;
    }
    return found;
  }

  async list(uids: string[], _args?: CallArgs): Promise<Fields[]> {
    await this.refresh();
    return uids.map((uid) => this.byId.get(uid)).filter((c): c is Fields => c !== undefined);
  }

  /** Catches up when the host's version differs from the held one; concurrent calls share one update. */
  private async refresh(): Promise<void> {
    if (!this.phonebook) return;
    if (this.loading) return this.loading;
    const current = this.counter ? Atomics.load(this.counter, 0) : await this.phonebook.version();
    if (current === this.version) return;
    this.loading ??= this.update().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async update(): Promise<void> {
    if (this.version !== null) {
      const changes = await this.phonebook!.changes(this.version);
      if (!changes.reload) {
        for (const id of changes.removed) this.byId.delete(id);
        for (const contact of changes.contacts) this.byId.set(String(contact.id), contact);
        this.use(changes.version);
        return;
      }
    }
    await this.reload();
  }

  private async reload(): Promise<void> {
    const phonebook = this.phonebook!;
    for (let attempt = 1; ; attempt++) {
      const byId = new Map<string, Fields>();
      let version: number | null = null;
      let after: string | null = null;
      for (;;) {
        const page = await phonebook.page(after, PAGE_SIZE);
        version ??= page.version;
        for (const contact of page.contacts) byId.set(String(contact.id), contact);
        if (page.contacts.length < PAGE_SIZE) break;
        after = String(page.contacts[page.contacts.length - 1].id);
      }
      // Pages read across a write may mix two states: read again, unless writes never stop (then the
      // next call's changes() catches up from the first page's version).
      if ((await phonebook.version()) === version || attempt === LOAD_ATTEMPTS) {
        this.byId = byId;
        this.use(version!);
        return;
      }
    }
  }

  private use(version: number): void {
    this.content = indexContacts([...this.byId.values()], this.searched, this.matched, this.content.numbers, () => this.publish());
    this.version = version;
    this.publish();
  }

  /** A write bumps the shared version: the host then stops reading these answers and calls this worker. */
  private publish(): void {
    if (!this.answers || !this.counter || this.version === null) return;
    const { contacts, byValue, byFoldedValue, numbers } = this.content;
    const tables = [['exact', byValue], ['folded', byFoldedValue], ...numbers.tables()] as const;
    this.answers.publish(contacts, tables, { counter: this.counter.buffer as SharedArrayBuffer, value: this.version });
  }
}

function indexContacts(contacts: Fields[], searched: string[], matched: string[], previous?: NumberIndex<Fields>, onBuilt?: () => void): Content {
  const haystacks = contacts.map((contact) => {
    const values: string[] = [];
    for (const column of searched) {
      const value = contact[column];
      if (typeof value === 'string') values.push(value.toLowerCase());
    }
    return values;
  });
  const byFoldedValue = new Map<string, Fields>();
  const byValue = new Map<string, Fields>();
  for (const contact of contacts) {
    for (const column of matched) {
      const value = contact[column];
      if (typeof value !== 'string') continue;
      if (!byValue.has(value)) byValue.set(value, contact);
      const folded = value.toLowerCase();
      if (!byFoldedValue.has(folded)) byFoldedValue.set(folded, contact);
    }
  }
  const numbers = new NumberIndex(function* () {
    for (const contact of contacts) {
      for (const column of matched) {
        const value = contact[column];
        if (typeof value === 'string') yield [value, contact] as const;
      }
    }
  }, previous, onBuilt);
  return { contacts, haystacks, byFoldedValue, byValue, numbers };
}
