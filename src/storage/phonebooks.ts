// Phonebooks and their contacts (spec §3.6, §5). A contact is a set of (name, value) rows in
// dird_contact_fields; like wazo-dird, its uuid is also stored as an `id` field row, and its hash
// (contact-hash.ts) makes (phonebook, hash) unique, so a database shared with wazo-dird stays consistent.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { contactHash } from './contact-hash.js';
import { casefold, containsInsensitive, countRows, inTransaction, paginate, violationOf, type Ctx } from './dialect.js';
import { ensureTenant } from './tenants.js';

export interface Phonebook {
  id: number;
  uuid: string;
  name: string;
  description: string | null;
  tenant_uuid: string;
}
export interface PhonebookInput {
  name: string;
  description: string | null;
}
/** The current routes address a phonebook by uuid, the deprecated ones by its integer id. */
export type PhonebookKey = { uuid: string } | { id: number };
export interface PhonebookListParams {
  order?: 'name' | 'description';
  direction?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  search?: string;
}
/** A contact as the API shows it: its fields plus `id` (its uuid). */
export type Contact = Record<string, string | null> & { id: string };
export type ContactFields = Record<string, unknown>;

/** A write that would duplicate a phonebook name in its tenant or a contact in its phonebook. */
export class DuplicateError extends Error {}

export interface PhonebookStore {
  /** `total` counts the phonebooks matching `search` (as wazo-dird does). */
  list(tenants: string[], params: PhonebookListParams): Promise<{ total: number; items: Phonebook[] }>;
  find(tenants: string[], key: PhonebookKey): Promise<Phonebook | null>;
  create(tenant: string, input: PhonebookInput): Promise<Phonebook>;
  update(tenants: string[], key: PhonebookKey, input: PhonebookInput): Promise<Phonebook | null>;
  /** Deletes it with its contacts and its sources; false when not visible. */
  delete(tenants: string[], key: PhonebookKey): Promise<boolean>;
  /** The sources reading this phonebook. */
  sourceUuids(phonebook: string): Promise<string[]>;
  contacts: {
    all(phonebook: string): Promise<Contact[]>;
    /** Up to `limit` contacts with a uuid after `after`, in uuid order. */
    page(phonebook: string, after: string | null, limit: number): Promise<Contact[]>;
    get(phonebook: string, uuid: string): Promise<Contact | null>;
    /** The contacts of this phonebook among `uuids` (unknown ones left out). */
    getMany(phonebook: string, uuids: string[]): Promise<Contact[]>;
    create(phonebook: string, fields: ContactFields): Promise<Contact>;
    update(phonebook: string, uuid: string, fields: ContactFields): Promise<Contact | null>;
    delete(phonebook: string, uuid: string): Promise<boolean>;
    /** Inserts in one transaction; contacts duplicating an existing one or an earlier row are skipped. */
    importMany(phonebook: string, contacts: ContactFields[]): Promise<Contact[]>;
  };
}

const phonebookFields = ['id', 'uuid', 'name', 'description', 'tenant_uuid'] as const;
/** Rows per multi-row insert: far below SQLite's and PostgreSQL's bound-parameter limits. */
const INSERT_CHUNK = 1000;

export function phonebookRepository(ctx: Ctx): PhonebookStore {
  const where = (tenants: string[], key: PhonebookKey) => {
    const q = ctx.db.selectFrom('dird_phonebook').select(phonebookFields).where('tenant_uuid', 'in', tenants);
    return 'uuid' in key ? q.where('uuid', '=', key.uuid) : q.where('id', '=', key.id);
  };
  const find = async (tenants: string[], key: PhonebookKey): Promise<Phonebook | null> => {
    if (tenants.length === 0) return null;
    const row = await where(tenants, key).executeTakeFirst();
    return row ? { ...row, id: Number(row.id) } : null;
  };

  return {
    async list(tenants, params) {
      if (tenants.length === 0) return { total: 0, items: [] };
      const search = params.search;
      const matching = ctx.db.selectFrom('dird_phonebook').where('tenant_uuid', 'in', tenants)
        .$if(!!search, (q) => q.where((eb) => eb.or([
          containsInsensitive(ctx.dialect, sql.ref('name'), search!),
          containsInsensitive(ctx.dialect, sql.ref('description'), search!),
        ])));
      const order = params.order === 'description' ? 'description' : 'name';
      const direction = params.direction === 'desc' ? 'desc' : 'asc';
      // Missing descriptions last in asc, first in desc, on both databases (spec §1.4); names without case.
      const column = sql.ref(order);
      const page = paginate(ctx.dialect, matching.select(phonebookFields)
        .orderBy(sql`case when ${column} is null then 1 else 0 end`, direction)
        .orderBy(casefold(ctx.dialect, column), direction)
        .orderBy(order, direction)
        .orderBy('id'), params);
      const [rows, total] = await Promise.all([page.execute(), countRows(matching)]);
      return { total, items: rows.map((row) => ({ ...row, id: Number(row.id) })) };
    },

    find,

    create(tenant, input) {
      return duplicateAware(inTransaction(ctx, async (trx) => {
        await ensureTenant(trx, tenant);
        const uuid = randomUUID();
        const { id } = await trx.db.insertInto('dird_phonebook')
          .values({ uuid, tenant_uuid: tenant, name: input.name, description: input.description })
          .returning('id').executeTakeFirstOrThrow();
        return { id: Number(id), uuid, name: input.name, description: input.description, tenant_uuid: tenant };
      }));
    },

    async update(tenants, key, input) {
      const current = await find(tenants, key);
      if (!current) return null;
      await duplicateAware(ctx.db.updateTable('dird_phonebook').set({ name: input.name, description: input.description })
        .where('uuid', '=', current.uuid).execute());
      return { ...current, ...input };
    },

    async delete(tenants, key) {
      const current = await find(tenants, key);
      if (!current) return false;
      // Its sources go explicitly, in the same transaction: no reliance on each dialect's composite-FK cascade.
      return inTransaction(ctx, async (trx) => {
        await trx.db.deleteFrom('dird_source').where('phonebook_uuid', '=', current.uuid).execute();
        const result = await trx.db.deleteFrom('dird_phonebook').where('uuid', '=', current.uuid).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },

    async sourceUuids(phonebook) {
      const rows = await ctx.db.selectFrom('dird_source').select('uuid').where('phonebook_uuid', '=', phonebook).execute();
      return rows.map((row) => row.uuid);
    },

    contacts: {
      async all(phonebook) {
        return readContacts(ctx, phonebook, null, null);
      },

      async page(phonebook, after, limit) {
        return readContacts(ctx, phonebook, after, limit);
      },

      async get(phonebook, uuid) {
        return (await readContacts(ctx, phonebook, null, null, [uuid]))[0] ?? null;
      },

      async getMany(phonebook, uuids) {
        const found: Contact[] = [];
        for (let i = 0; i < uuids.length; i += INSERT_CHUNK) {
          found.push(...await readContacts(ctx, phonebook, null, null, uuids.slice(i, i + INSERT_CHUNK)));
        }
        return found;
      },

      create(phonebook, fields) {
        return duplicateAware(inTransaction(ctx, async (trx) => {
          const uuid = randomUUID();
          await trx.db.insertInto('dird_contact').values({ uuid, phonebook_uuid: phonebook, user_uuid: null, hash: contactHash(fields) }).execute();
          await insertFields(trx, [[uuid, fields]]);
          return asContact(uuid, fields);
        }));
      },

      update(phonebook, uuid, fields) {
        return duplicateAware(inTransaction(ctx, async (trx) => {
          const result = await trx.db.updateTable('dird_contact').set({ hash: contactHash(fields) })
            .where('uuid', '=', uuid).where('phonebook_uuid', '=', phonebook).executeTakeFirst();
          if (Number(result.numUpdatedRows) === 0) return null;
          await trx.db.deleteFrom('dird_contact_fields').where('contact_uuid', '=', uuid).execute();
          await insertFields(trx, [[uuid, fields]]);
          return asContact(uuid, fields);
        }));
      },

      async delete(phonebook, uuid) {
        const result = await ctx.db.deleteFrom('dird_contact')
          .where('uuid', '=', uuid).where('phonebook_uuid', '=', phonebook).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      },

      importMany(phonebook, contacts) {
        return inTransaction(ctx, async (trx) => {
          const existing = await trx.db.selectFrom('dird_contact').select('hash').where('phonebook_uuid', '=', phonebook).execute();
          const seen = new Set(existing.map((row) => row.hash));
          const fresh: { uuid: string; hash: string; fields: ContactFields }[] = [];
          for (const fields of contacts) {
            const hash = contactHash(fields);
            if (seen.has(hash)) continue;
            seen.add(hash);
            fresh.push({ uuid: randomUUID(), hash, fields });
          }
          const created: Contact[] = [];
          for (let i = 0; i < fresh.length; i += INSERT_CHUNK) {
            const chunk = fresh.slice(i, i + INSERT_CHUNK);
            // A contact written concurrently with the same hash is skipped, not an error.
            const inserted = await trx.db.insertInto('dird_contact')
              .values(chunk.map(({ uuid, hash }) => ({ uuid, hash, phonebook_uuid: phonebook, user_uuid: null })))
              .onConflict((oc) => oc.columns(['phonebook_uuid', 'hash']).doNothing())
              .returning('uuid').execute();
            const kept = new Set(inserted.map((row) => row.uuid));
            const rows = chunk.filter((c) => kept.has(c.uuid));
            await insertFields(trx, rows.map((c) => [c.uuid, c.fields]));
            for (const c of rows) created.push(asContact(c.uuid, c.fields));
          }
          return created;
        });
      },
    },
  };
}

function storedValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function asContact(uuid: string, fields: ContactFields): Contact {
  const contact: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(fields)) if (name !== 'id') contact[name] = storedValue(value);
  return { ...contact, id: uuid };
}

async function insertFields(ctx: Ctx, contacts: [string, ContactFields][]): Promise<void> {
  const rows: { name: string; value: string | null; contact_uuid: string }[] = [];
  for (const [uuid, fields] of contacts) {
    for (const [name, value] of Object.entries(fields)) if (name !== 'id') rows.push({ name, value: storedValue(value), contact_uuid: uuid });
    rows.push({ name: 'id', value: uuid, contact_uuid: uuid });
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    await ctx.db.insertInto('dird_contact_fields').values(rows.slice(i, i + INSERT_CHUNK)).execute();
  }
}

async function readContacts(ctx: Ctx, phonebook: string, after: string | null, limit: number | null, only?: string[]): Promise<Contact[]> {
  if (only !== undefined && only.length === 0) return [];
  let owners = ctx.db.selectFrom('dird_contact').select('uuid').where('phonebook_uuid', '=', phonebook);
  if (only !== undefined) owners = owners.where('uuid', 'in', only);
  if (after !== null) owners = owners.where('uuid', '>', after);
  if (limit !== null) owners = owners.orderBy('uuid').limit(limit);
  const rows = await ctx.db.selectFrom('dird_contact_fields').select(['contact_uuid', 'name', 'value'])
    .where('contact_uuid', 'in', owners)
    .orderBy('contact_uuid').orderBy('id')
    .execute();
  const contacts = new Map<string, Record<string, string | null>>();
  for (const row of rows) {
    let contact = contacts.get(row.contact_uuid);
    if (!contact) contacts.set(row.contact_uuid, (contact = {}));
    if (row.name !== 'id') contact[row.name] = row.value;
  }
  return [...contacts].map(([uuid, fields]) => ({ ...fields, id: uuid }));
}

async function duplicateAware<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (violationOf(err) === 'unique') throw new DuplicateError('duplicate');
    throw err;
  }
}

