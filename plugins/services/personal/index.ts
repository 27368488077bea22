// The `personal` service (spec §3.5): a user's own contacts, their CSV import/export, the listing by
// profile, and the `personal` capability it grants to the `personal` back-end.
//
// The back-end runs in a sandbox like any other and has no database access: it calls this capability
// over its message channel. Each call is one small indexed query keyed by the owner (user_uuid,
// contact_uuid, or field value), PostgreSQL queries are async; the matching (accent folding) is done
// in the worker, not on the host's event loop.
import type { Capability, ChangeFeed, ServiceLoadArgs, ServicePlugin, SourceConfig, SourceResult } from '../../../src/contracts.js';
import { makeResultBuilder } from '../../../src/result.js';
import { DuplicateContactError, type PersonalContact } from '../../../src/storage/personal.js';
import type { Store } from '../../../src/storage/store.js';
import { PersonalChanges } from './changes.js';
import { parseImport } from './csv.js';

/** A personal-route error: `reason` is a string or a list, rendered in wazo-dird's legacy shape. */
export class PersonalError extends Error {
  constructor(readonly status: number, readonly reason: unknown) {
    super(typeof reason === 'string' ? reason : JSON.stringify(reason));
  }
}

const MAX_ID_LENGTH = 38;

/** Validates a contact body (spec §2.6); returns its fields. */
export function checkContact(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new PersonalError(400, ['the contact must be a JSON object']);
  }
  const errors: string[] = [];
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.some(([, value]) => typeof value !== 'string')) errors.push('all values must be strings');
  if (entries.some(([key]) => key === '')) errors.push('"" is a forbidden in keys');
  const id = (body as Record<string, unknown>).id;
  if (typeof id === 'string' && (id.length === 0 || id.length > MAX_ID_LENGTH)) {
    errors.push(`id must be 1 to ${MAX_ID_LENGTH} characters long`);
  }
  if (errors.length > 0) throw new PersonalError(400, errors);
  return body as Record<string, string>;
}

export interface ImportResult {
  created: PersonalContact[];
  failed: { line: number; errors: string[] }[];
}

export class PersonalService {
  /** Bumped by every write of a user's contacts; the personal back-end's workers read it. */
  readonly changes = new PersonalChanges();
  private readonly unsubscribe: () => void;

  /** `feed`: writes are published there, so every instance's workers hear of them (and this one's too). */
  constructor(private readonly store: Store, private readonly feed: ChangeFeed) {
    this.unsubscribe = feed.subscribe((kind, uuid) => {
      if (kind === 'personal') this.changes.bump(uuid);
      if (kind === 'all') this.changes.bumpAll();
    });
  }

  close(): void {
    this.unsubscribe();
  }

  list(user: string): Promise<PersonalContact[]> {
    return this.store.personal.list(user);
  }

  /** Runs a write of the user's contacts, then tells the back-ends' workers (also when it failed half-way). */
  private async written<T>(user: string, write: Promise<T>): Promise<T> {
    try {
      return await write;
    } finally {
      this.feed.publish('personal', user);
    }
  }

  async get(user: string, id: string): Promise<PersonalContact> {
    const [contact] = await this.store.personal.byIds(user, [id]);
    if (!contact) throw new PersonalError(404, [`No such contact: ${id}`]);
    return contact;
  }

  async create(tenant: string, user: string, body: unknown): Promise<PersonalContact> {
    const fields = checkContact(body);
    try {
      return await this.written(user, this.store.personal.create(tenant, user, fields));
    } catch (error) {
      if (error instanceof DuplicateContactError) throw new PersonalError(409, ['Addind this contact would create a duplicate']);
      throw error;
    }
  }

  async update(user: string, id: string, body: unknown): Promise<PersonalContact> {
    const { id: _ignored, ...fields } = checkContact(body);
    let updated: PersonalContact | null;
    try {
      updated = await this.written(user, this.store.personal.update(user, id, fields));
    } catch (error) {
      if (error instanceof DuplicateContactError) throw new PersonalError(409, ['Modifying this contact would create a duplicate']);
      throw error;
    }
    if (!updated) throw new PersonalError(404, [`No such contact: ${id}`]);
    return updated;
  }

  async delete(user: string, id: string): Promise<void> {
    if (!(await this.written(user, this.store.personal.delete(user, id)))) throw new PersonalError(404, [`No such contact: ${id}`]);
  }

  purge(user: string): Promise<void> {
    return this.written(user, this.store.personal.purge(user));
  }

  /** Imports decoded CSV text (spec §5.4); nothing created → 400 with the failures. */
  async importCsv(tenant: string, user: string, text: string): Promise<ImportResult> {
    const rows = parseImport(text);
    const failed: ImportResult['failed'] = [];
    const good = rows.filter((row) => {
      if (row.errors) failed.push({ line: row.line, errors: row.errors });
      // An empty id cell (a file mixing exported and new rows) asks for a new id.
      else if (row.fields!.id === '') delete row.fields!.id;
      return !row.errors;
    });
    // A row naming an existing contact id (of any user) or one an earlier row of the file named fails.
    const claimed = (row: (typeof good)[number]) => row.fields!.id ?? row.fields!.uuid;
    const taken = await this.store.personal.existingIds(good.map(claimed).filter((id): id is string => !!id));
    const namedInFile = new Set<string>();
    const valid = good.filter((row) => {
      const id = claimed(row);
      const tooLong = (row.fields!.id?.length ?? 0) > MAX_ID_LENGTH;
      if (id && (taken.has(id) || namedInFile.has(id))) failed.push({ line: row.line, errors: [`contact "${id}" already exist`] });
      else if (tooLong) failed.push({ line: row.line, errors: [`id must be 1 to ${MAX_ID_LENGTH} characters long`] });
      else {
        if (id) namedInFile.add(id);
        return true;
      }
      return false;
    });
    failed.sort((a, b) => a.line - b.line);
    if (valid.length === 0) throw new PersonalError(400, rows.length === 0 ? ['No contact found'] : failed);
    const created = await this.written(user, this.store.personal.importMany(tenant, user, valid.map((row) => row.fields!)));
    const unique = [...new Map(created.map((contact) => [contact.id, contact])).values()];
    return { created: unique, failed };
  }

  /** The user's contacts formatted by the first personal source of the tenant (spec §3.5). */
  async forProfile(tenant: string, user: string): Promise<SourceResult[]> {
    const { items } = await this.store.sources.list([tenant], { limit: 1 }, 'personal');
    if (items.length === 0) return [];
    const build = makeResultBuilder({ source: items[0], flags: personalFlags, relations: personalRelations });
    return (await this.store.personal.list(user)).map((contact) => build(withoutEmpty(contact)));
  }

  /** Removes every personal contact of a user (user deletion; the bus handler calls this). */
  deleteUser(user: string): Promise<void> {
    return this.written(user, this.store.personal.deleteUser(user));
  }

  /** What one `personal` source's sandbox may ask: only the user's data, only its own columns. */
  capability(source: SourceConfig): Capability {
    const personal = this.store.personal;
    const searched = source.searched_columns ?? [];
    const matched = source.first_matched_columns ?? [];
    return {
      searchable: (user: unknown) => (isId(user) ? personal.searchable(user, searched) : []),
      /** The first contact whose first-matched column equals each value, in one round trip. */
      matches: async (user: unknown, values: unknown) => {
        if (!isId(user) || !isStrings(values)) return {};
        const idOf = new Map<string, string>();
        for (const { id, value } of await personal.exactMatches(user, matched, values)) if (!idOf.has(value)) idOf.set(value, id);
        const contacts = new Map((await personal.byIds(user, [...new Set(idOf.values())])).map((c) => [c.id, c]));
        const out: Record<string, PersonalContact> = {};
        for (const [value, id] of idOf) if (contacts.has(id)) out[value] = contacts.get(id)!;
        return out;
      },
      contacts: (user: unknown, ids: unknown) => (isId(user) && isStrings(ids) ? personal.byIds(user, ids) : []),
      /** Every contact of the user, for the worker's reverse index (see changes.ts). */
      all: (user: unknown) => (isId(user) ? personal.list(user) : []),
      /** Per-user versions of the contacts, in shared memory. */
      counter: () => this.changes.counter(),
    };
  }
}

export const personalFlags = { is_personal: true, is_deletable: true };
export const personalRelations = (fields: Record<string, unknown>) => ({
  source_entry_id: typeof fields.id === 'string' ? fields.id : null,
});

/** Empty-string values are dropped before a contact becomes a result (wazo-dird does the same). */
export function withoutEmpty(contact: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(contact).filter(([, value]) => value !== ''));
}

const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 64;
const isStrings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= 10_000 && value.every((item) => typeof item === 'string');

export default class PersonalServicePlugin implements ServicePlugin {
  private service: PersonalService | null = null;

  load({ store, grants, changes }: ServiceLoadArgs): PersonalService {
    const service = (this.service = new PersonalService(store, changes));
    grants.grant('personal', ['personal'], (source) => service.capability(source));
    return service;
  }

  unload(): void {
    this.service?.close();
  }
}
