// The personal back-end (spec §3.5): the calling user's own contacts. It has no database access: the
// `personal` service grants it a `personal` capability (host.personal.*) answering only for the user
// of the call and only on this source's columns.
import type { AsyncCapabilities, Backend, BackendLoadArgs, CallArgs, Fields } from '../../../src/contracts.js';

type Contact = Record<string, string | null>;
interface PersonalCapability {
  searchable(user: string): { id: string; value: string }[];
  /** The first contact matching each value, by value. */
  matches(user: string, values: string[]): Record<string, Contact>;
  contacts(user: string, ids: string[]): Contact[];
}

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

  load({ host }: BackendLoadArgs): void {
    if (!host.personal) throw new Error('the personal back-end needs the `personal` service');
    this.store = host.personal;
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
    if (!user || extens.length === 0) return {};
    const found = await this.store.matches(user, extens);
    return Object.fromEntries(Object.entries(found).map(([exten, contact]) => [exten, clean(contact)]));
  }

  async list(ids: string[], args: CallArgs): Promise<Fields[]> {
    const user = userOf(args);
    if (!user || ids.length === 0) return [];
    return (await this.store.contacts(user, ids)).map(clean);
  }
}
