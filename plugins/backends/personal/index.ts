// The personal back-end (spec §3.5): the calling user's own contacts. It has no database access: the
// `personal` service grants it a `personal` capability (host.personal.*) answering only for the user
// of the call. Reverse lookups answer from a per-user index kept in this worker (exact values, E.164
// forms and last digits), revalidated before each call against the user's version in memory shared
// with the host (plugins/services/personal/changes.ts): an unchanged user costs no message. Each
// index is also published as that user's answers, which the host reads without calling this worker
// while the user's version holds.
import type { AnswerPublisher, AsyncCapabilities, Backend, BackendLoadArgs, CallArgs, Fields } from '../../../src/contracts.js';
import { matchingOf, NumberIndex } from '../../../src/numbers.js';
import { slotOf } from '../../../src/user-slots.js';

type Contact = Record<string, string | null>;
interface PersonalCapability {
  searchable(user: string): { id: string; value: string }[];
  /** The first contact matching each value, by value. */
  matches(user: string, values: string[]): Record<string, Contact>;
  contacts(user: string, ids: string[]): Contact[];
  all(user: string): Contact[];
  counter(): SharedArrayBuffer;
}

/** One user's contacts indexed on the first-matched columns, as of `stamp` (the user's shared version). */
interface UserIndex {
  stamp: number;
  byValue: Map<string, Fields>;
  numbers: NumberIndex<Fields>;
  size: number;
}

/** Contacts kept indexed per worker, least recently used users dropped first. */
const MAX_INDEXED_CONTACTS = 200_000;

/** No fields besides the common ones. */
export const configSchema: Record<string, unknown> = { type: 'object', properties: {} };
export const resultFlags = { is_personal: true, is_deletable: true };
export function relations(fields: Fields) {
  return { source_entry_id: typeof fields.id === 'string' ? fields.id : null };
}

/** Lower-case, accents dropped: `unaccent(value) ILIKE ascii(term)` both ways. */
function fold(value: string): string {
  return value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/** Empty-string values are removed before a contact becomes a result. */
function clean(contact: Contact): Fields {
  return Object.fromEntries(Object.entries(contact).filter(([, value]) => value !== ''));
}

function userOf(args: CallArgs | undefined): string | null {
  return args?.xivo_user_uuid ?? args?.user_uuid ?? null;
}

export default class PersonalBackend implements Backend {
  private store!: AsyncCapabilities<PersonalCapability>;
  private matched: string[] = [];
  private versions: Int32Array | null = null;
  /** Per user, least recently used first. */
  private readonly indexes = new Map<string, UserIndex>();
  private readonly loading = new Map<string, { stamp: number; index: Promise<UserIndex> }>();
  private indexed = 0;
  private answers: AnswerPublisher | null = null;

  async load({ host, config, answers }: BackendLoadArgs): Promise<void> {
    if (!host.personal) throw new Error('the personal back-end needs the `personal` service');
    this.store = host.personal;
    this.answers = answers ?? null;
    this.matched = config.first_matched_columns ?? [];
    this.versions = new Int32Array(await this.store.counter());
  }

  async search(term: string, args: CallArgs): Promise<Fields[]> {
    const user = userOf(args);
    if (!user) return [];
    const needle = fold(term);
    const ids = new Set<string>();
    for (const { id, value } of await this.store.searchable(user)) if (fold(value).includes(needle)) ids.add(id);
    if (ids.size === 0) return [];
    return (await this.store.contacts(user, [...ids])).map(clean);
  }

  async firstMatch(exten: string, args: CallArgs): Promise<Fields | null> {
    const found = await this.matchAll([exten], args);
    return found[exten] ?? null;
  }

  async matchAll(extens: string[], args: CallArgs): Promise<Record<string, Fields>> {
    const user = userOf(args);
    if (!user || extens.length === 0 || this.matched.length === 0) return {};
    const index = await this.indexOf(user);
    const matching = matchingOf(args);
    const found: Record<string, Fields> = {};
    for (const exten of extens) {
      const contact = index.byValue.get(exten) ?? (matching ? await index.numbers.find(exten, matching) : undefined);
      if (contact) found[exten] = contact;
    }
    return found;
  }

  /** The user's index, loaded again when the user's shared version moved since it was built. */
  private indexOf(user: string): Promise<UserIndex> {
    const stamp = Atomics.load(this.versions!, slotOf(user));
    const held = this.indexes.get(user);
    if (held && held.stamp === stamp) {
      this.indexes.delete(user);
      this.indexes.set(user, held);
      return Promise.resolve(held);
    }
    const pending = this.loading.get(user);
    if (pending && pending.stamp === stamp) return pending.index;
    const index = this.build(user, stamp).finally(() => {
      if (this.loading.get(user)?.index === index) this.loading.delete(user);
    });
    this.loading.set(user, { stamp, index });
    return index;
  }

  private async build(user: string, stamp: number): Promise<UserIndex> {
    const contacts = (await this.store.all(user)).map(clean);
    const byValue = new Map<string, Fields>();
    for (const contact of contacts) {
      for (const column of this.matched) {
        const value = contact[column];
        if (typeof value === 'string' && !byValue.has(value)) byValue.set(value, contact);
      }
    }
    const matched = this.matched;
    const numbers = new NumberIndex<Fields>(function* () {
      for (const contact of contacts) {
        for (const column of matched) {
          const value = contact[column];
          if (typeof value === 'string') yield [value, contact] as const;
        }
      }
    }, this.indexes.get(user)?.numbers, () => this.publish(user, index, contacts));
    const index: UserIndex = { stamp, byValue, numbers, size: contacts.length };
    this.keep(user, index);
    this.publish(user, index, contacts);
    return index;
  }

  /** The user's answers, valid while the user's slot holds the index's version. */
  private publish(user: string, index: UserIndex, contacts: Fields[]): void {
    if (!this.answers || this.indexes.get(user) !== index) return;
    const counter = this.versions!.buffer as SharedArrayBuffer;
    this.answers.publishForUser(user, contacts, [['exact', index.byValue], ...index.numbers.tables()], { counter, index: slotOf(user), value: index.stamp });
  }

  private keep(user: string, index: UserIndex): void {
    const old = this.indexes.get(user);
    if (old && old.stamp > index.stamp) return; // a load started later finished first (versions only grow)
    if (old) this.indexed -= old.size;
    this.indexes.delete(user);
    this.indexes.set(user, index);
    this.indexed += index.size;
    for (const [oldest, dropped] of this.indexes) {
      if (this.indexed <= MAX_INDEXED_CONTACTS || oldest === user) break;
      this.indexes.delete(oldest);
      this.indexed -= dropped.size;
      this.answers?.publishForUser(oldest, null);
    }
  }

  async list(ids: string[], args: CallArgs): Promise<Fields[]> {
    const user = userOf(args);
    if (!user || ids.length === 0) return [];
    return (await this.store.contacts(user, ids)).map(clean);
  }
}
