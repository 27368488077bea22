// The `phonebook` service (spec §2.7–2.9, §3.6): phonebooks and their contacts, CSV import, and the
// `phonebook` capability through which the sandboxed `phonebook` back-end reads a phonebook's contacts
// without database credentials. Every write bumps the phonebook's version and logs which contacts it
// touched (changes.ts); back-ends compare versions before each call and fetch only what changed.
// Writes go through the change feed (kind `phonebook`), so writes made through other dird instances on
// the same PostgreSQL database bump the version here too.
import type { ChangeFeed, ListParams, ServiceLoadArgs, ServicePlugin, SourceConfig } from '../../../src/contracts.js';
import { DirdError, LegacyError } from '../../../src/errors.js';
import {
  DuplicateError,
  type Contact,
  type Phonebook,
  type PhonebookKey,
  type PhonebookListParams,
  type PhonebookStore,
} from '../../../src/storage/phonebooks.js';
import type { Store } from '../../../src/storage/store.js';
import { listInMemory } from '../../views/common/in-memory.js';
import { ChangeLog } from './changes.js';
import { checkRows, readCsv } from './csv-import.js';
import { parseContact, parsePhonebook } from './validation.js';

/** Bounds one capability page, so a single synchronous SQLite read stays short. */
export const MAX_PAGE = 5000;
/** Beyond this many changed contacts, a back-end reloads its phonebook rather than fetch them. */
export const MAX_CHANGED = 2000;

/** Python's repr of a list of strings, as wazo-dird's messages show tenants. */
const pyList = (items: string[]) => `[${items.map((item) => `'${item}'`).join(', ')}]`;

function noSuchPhonebook(tenants: string[], key: PhonebookKey): LegacyError {
  const shown = 'uuid' in key ? `{'uuid': '${key.uuid}'}` : `{'id': ${key.id}}`;
  return new LegacyError(404, `No such phonebook in tenants ${pyList(tenants)}: ${shown}`);
}

async function duplicateAs<T>(message: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (err instanceof DuplicateError) throw new LegacyError(409, message);
    throw err;
  }
}

/** Any field value contains the term, without case (ILIKE '%term%'). */
export function contactMatches(contact: Contact, search: string): boolean {
  const needle = search.toLowerCase();
  return Object.values(contact).some((value) => typeof value === 'string' && value.toLowerCase().includes(needle));
}

export interface ContactListParams {
  order?: string;
  direction?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  search?: string;
}

export class PhonebookService {
  private readonly log = new ChangeLog();
  private readonly phonebooks: PhonebookStore;

  private readonly unsubscribe: () => void;

  constructor(store: Store, private readonly changes: ChangeFeed) {
    this.phonebooks = store.phonebooks;
    this.unsubscribe = changes.subscribe((kind, uuid, detail) => {
      if (kind === 'phonebook') this.log.record(uuid, detail);
      if (kind === 'all') this.log.recordEverywhere();
    });
  }

  close(): void {
    this.unsubscribe();
  }

  /** Contacts of a phonebook were written (null: any of them): every instance's back-ends catch up. */
  private touched(phonebook: string, contacts: string[] | null): void {
    this.changes.publish('phonebook', phonebook, contacts);
  }

  list(tenants: string[], params: PhonebookListParams) {
    return this.phonebooks.list(tenants, params);
  }

  async get(tenants: string[], key: PhonebookKey): Promise<Phonebook> {
    const phonebook = await this.phonebooks.find(tenants, key);
    if (!phonebook) throw noSuchPhonebook(tenants, key);
    return phonebook;
  }

  create(tenant: string, body: unknown): Promise<Phonebook> {
    return duplicateAs('Duplicating phonebook', this.phonebooks.create(tenant, parsePhonebook(body)));
  }

  async update(tenants: string[], key: PhonebookKey, body: unknown): Promise<Phonebook> {
    const input = parsePhonebook(body);
    const updated = await duplicateAs('Duplicating phonebook', this.phonebooks.update(tenants, key, input));
    if (!updated) throw noSuchPhonebook(tenants, key);
    // Its sources are named after it: their sandboxes restart with the new name.
    await this.refreshSources(updated.uuid);
    return updated;
  }

  async delete(tenants: string[], key: PhonebookKey): Promise<void> {
    const phonebook = await this.get(tenants, key);
    const sources = await this.phonebooks.sourceUuids(phonebook.uuid);
    if (!(await this.phonebooks.delete(tenants, key))) throw noSuchPhonebook(tenants, key);
    this.touched(phonebook.uuid, null);
    for (const uuid of sources) this.changes.publish('source', uuid);
  }

  async listContacts(tenants: string[], key: PhonebookKey, params: ContactListParams) {
    const phonebook = await this.get(tenants, key);
    const all = await this.phonebooks.contacts.all(phonebook.uuid);
    const order = params.order ?? 'name';
    const result = listInMemory(all, { ...params, order }, { matches: contactMatches, insensitive: [order] });
    return { items: result.items, total: result.filtered };
  }

  async getContact(tenants: string[], key: PhonebookKey, contact: string): Promise<Contact> {
    const phonebook = await this.get(tenants, key);
    const found = await this.phonebooks.contacts.get(phonebook.uuid, contact);
    if (!found) throw new LegacyError(404, `No such contact: ${contact}`);
    return found;
  }

  async createContact(tenants: string[], key: PhonebookKey, body: unknown): Promise<Contact> {
    const phonebook = await this.get(tenants, key);
    const created = await duplicateAs('Duplicate contact', this.phonebooks.contacts.create(phonebook.uuid, parseContact(body)));
    this.touched(phonebook.uuid, [created.id]);
    return created;
  }

  async updateContact(tenants: string[], key: PhonebookKey, contact: string, body: unknown): Promise<Contact> {
    const phonebook = await this.get(tenants, key);
    const fields = parseContact(body);
    const updated = await duplicateAs('Duplicate contact', this.phonebooks.contacts.update(phonebook.uuid, contact, fields));
    if (!updated) throw new LegacyError(404, `No such contact: ${contact}`);
    this.touched(phonebook.uuid, [contact]);
    return updated;
  }

  async deleteContact(tenants: string[], key: PhonebookKey, contact: string): Promise<void> {
    const phonebook = await this.get(tenants, key);
    if (!(await this.phonebooks.contacts.delete(phonebook.uuid, contact))) throw new LegacyError(404, `No such contact: ${contact}`);
    this.touched(phonebook.uuid, [contact]);
  }

  /** POST …/contacts/import: every row valid or nothing written; duplicates skipped (spec §5.5). */
  async importCsv(tenants: string[], key: PhonebookKey, body: Buffer, contentType: string | undefined) {
    const phonebook = await this.get(tenants, key);
    const contacts = checkRows(readCsv(body, contentType));
    const created = await this.phonebooks.contacts.importMany(phonebook.uuid, contacts);
    if (created.length) this.touched(phonebook.uuid, created.map((c) => c.id));
    return { created, failed: [] as unknown[] };
  }

  /** The deprecated import (spec §2.8): refusals are answered 200 with `failed`, not 400. */
  async importCsvDeprecated(tenants: string[], key: PhonebookKey, body: Buffer, contentType: string | undefined) {
    try {
      return await this.importCsv(tenants, key, body, contentType);
    } catch (err) {
      if (err instanceof DirdError && err.errorId === 'phonebook-contact-import-bad-contacts') {
        return { created: [], failed: (err.details.errors as unknown[]) };
      }
      throw err;
    }
  }

  /** GET /backends/phonebook/sources/{uuid}/contacts (spec §2.9): the request tenant only. */
  async sourceContacts(tenant: string, source: SourceConfig, params: ListParams) {
    const key = String(source.phonebook_uuid ?? '');
    const phonebook = key ? await this.phonebooks.find([tenant], { uuid: key }) : null;
    if (!phonebook) {
      throw new DirdError(404, 'unknown-phonebook', `No such phonebook: "${key}"`,
        { phonebook_key: { uuid: key }, visible_tenants: [tenant] }, 'phonebook-source-contacts');
    }
    const all = await this.phonebooks.contacts.all(phonebook.uuid);
    const order = params.order;
    const result = listInMemory(all, { ...params, filters: undefined }, { matches: contactMatches, insensitive: order ? [order] : [] });
    return { total: all.length, filtered: result.filtered, items: result.items };
  }

  /** The version of a phonebook's contacts; it changes with every write through this service. */
  version(phonebook: string): number {
    return this.log.version(phonebook);
  }

  private async refreshSources(phonebook: string): Promise<void> {
    for (const uuid of await this.phonebooks.sourceUuids(phonebook)) this.changes.publish('source', uuid);
  }

  /** What the `phonebook` back-end of a source may do: read its own phonebook, nothing else. */
  capability(source: SourceConfig) {
    const phonebook = typeof source.phonebook_uuid === 'string' ? source.phonebook_uuid : '';
    return {
      version: () => this.log.version(phonebook),
      /** Shared memory whose Int32 [0] is the version: read on every call, no message needed. */
      counter: () => this.log.counter(phonebook),
      /** One page of the whole phonebook, in contact uuid order, after `after`. */
      page: async (after: string | null, limit: number) => {
        const version = this.log.version(phonebook);
        const size = Math.max(1, Math.min(MAX_PAGE, Math.floor(Number(limit)) || 1));
        const contacts = phonebook ? await this.phonebooks.contacts.page(phonebook, typeof after === 'string' ? after : null, size) : [];
        return { version, contacts };
      },
      /**
       * What changed since `since`: the current state of the touched contacts (absent = deleted), or
       * `reload` when the log no longer covers it or too much changed.
       */
      changes: async (since: number) => {
        const version = this.log.version(phonebook);
        const touched = this.log.since(phonebook, Number(since), MAX_CHANGED);
        if (touched === null) return { version, reload: true as const };
        const contacts = await this.phonebooks.contacts.getMany(phonebook, touched);
        const present = new Set(contacts.map((c) => c.id));
        return { version, contacts, removed: touched.filter((id) => !present.has(id)) };
      },
    };
  }
}

export default class PhonebookServicePlugin implements ServicePlugin {
  private service: PhonebookService | null = null;

  load({ store, changes, grants }: ServiceLoadArgs): PhonebookService {
    const service = (this.service = new PhonebookService(store, changes));
    grants.grant('phonebook', ['phonebook'], (source) => service.capability(source));
    return service;
  }

  unload(): void {
    this.service?.close();
  }
}
