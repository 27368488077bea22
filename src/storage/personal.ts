// Personal contacts (spec §3.5): dird_contact rows owned by a user (phonebook_uuid null), their fields
// in dird_contact_fields, an `id` field row included. Every read is keyed by the owner and uses the
// user_uuid / contact_uuid / value indexes: the sandboxed `personal` back-end reads through here.
import { randomUUID } from 'node:crypto';
import { contactHash } from './contact-hash.js';
import { inTransaction, violationOf, type Ctx } from './dialect.js';
import { ensureUser } from './users.js';

export type PersonalContact = Record<string, string | null> & { id: string };

/** A contact with the same fields (same hash) already exists for the user, or its id is taken. */
export class DuplicateContactError extends Error {}

export interface PersonalStore {
  /** Every contact of the user, fields in insertion order. */
  list(user: string): Promise<PersonalContact[]>;
  /** Contacts of the user among `ids`; unknown or foreign ids are left out. */
  byIds(user: string, ids: string[]): Promise<PersonalContact[]>;
  create(tenant: string, user: string, fields: Record<string, string>): Promise<PersonalContact>;
  /** Full replacement keeping the id; null when the user has no such contact. */
  update(user: string, id: string, fields: Record<string, string>): Promise<PersonalContact | null>;
  delete(user: string, id: string): Promise<boolean>;
  purge(user: string): Promise<void>;
  /**
   * Inserts contacts in one transaction; a contact whose hash the user already has (or an earlier one
   * of the batch has) is returned as the existing contact instead of being created.
   */
  importMany(tenant: string, user: string, contacts: Record<string, string>[]): Promise<PersonalContact[]>;
  /** Which of these ids are personal contact ids of any user. */
  existingIds(ids: string[]): Promise<Set<string>>;
  /** (contact id, value) of the user's fields named in `columns`, for the back-end's own matching. */
  searchable(user: string, columns: string[]): Promise<{ id: string; value: string }[]>;
  /** Contact ids of the user whose field in `columns` equals one of `values`, with the value matched. */
  exactMatches(user: string, columns: string[], values: string[]): Promise<{ id: string; value: string }[]>;
  /** Removes every personal contact of the user (user deletion). */
  deleteUser(user: string): Promise<void>;
}

/** A `uuid IN (...)` list is cut into chunks both drivers accept. */
const CHUNK = 500;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function personalRepository(ctx: Ctx): PersonalStore {
  return {
    async list(user) {
      const rows = await ctx.db.selectFrom('dird_contact_fields as f')
        .innerJoin('dird_contact as c', 'c.uuid', 'f.contact_uuid')
        .select(['c.uuid', 'f.name', 'f.value'])
        .where('c.user_uuid', '=', user).where('c.phonebook_uuid', 'is', null)
        .orderBy('f.id').execute();
      return assemble(rows);
    },

    byIds: (user, ids) => byIds(ctx, user, ids),

    create(tenant, user, fields) {
      return inTransaction(ctx, async (trx) => {
        await ensureUser(trx, tenant, user);
        const id = fields.id ?? randomUUID();
        const contact = { ...fields, id } as PersonalContact;
        const hash = contactHash(contact);
        if (await hashOwner(trx, user, hash)) throw new DuplicateContactError();
        await insertContact(trx, user, id, hash, contact);
        return contact;
      });
    },

    update(user, id, fields) {
      return inTransaction(ctx, async (trx) => {
        const found = await trx.db.selectFrom('dird_contact').select('uuid')
          .where('uuid', '=', id).where('user_uuid', '=', user).executeTakeFirst();
        if (!found) return null;
        const contact = { ...fields, id } as PersonalContact;
        const hash = contactHash(contact);
        const owner = await hashOwner(trx, user, hash);
        if (owner && owner !== id) throw new DuplicateContactError();
        await trx.db.deleteFrom('dird_contact_fields').where('contact_uuid', '=', id).execute();
        await trx.db.updateTable('dird_contact').set({ hash }).where('uuid', '=', id).execute();
        await insertFields(trx, id, contact);
        return contact;
      });
    },

    async delete(user, id) {
      const result = await ctx.db.deleteFrom('dird_contact')
        .where('uuid', '=', id).where('user_uuid', '=', user).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async purge(user) {
      await ctx.db.deleteFrom('dird_contact').where('user_uuid', '=', user).execute();
    },

    importMany(tenant, user, contacts) {
      return inTransaction(ctx, async (trx) => {
        await ensureUser(trx, tenant, user);
        const existing = await trx.db.selectFrom('dird_contact').select(['uuid', 'hash'])
          .where('user_uuid', '=', user).execute();
        const idOfHash = new Map(existing.map((row) => [row.hash, row.uuid]));
        const known = new Map<string, PersonalContact>();
        const reuse = new Set<string>();
        const out: PersonalContact[] = [];
        for (const fields of contacts) {
          const { id: wanted, ...rest } = fields;
          const hash = contactHash(rest);
          const already = idOfHash.get(hash);
          if (already !== undefined) {
            if (!known.has(already)) reuse.add(already);
            out.push(known.get(already) ?? ({ id: already } as PersonalContact));
            continue;
          }
          const contact = { ...rest, id: wanted ?? randomUUID() } as PersonalContact;
          await insertContact(trx, user, contact.id, hash, contact);
          idOfHash.set(hash, contact.id);
          known.set(contact.id, contact);
          out.push(contact);
        }
        // Rows equal to contacts the user already had come back as those contacts.
        const stored = new Map((await byIds(trx, user, [...reuse])).map((contact) => [contact.id, contact]));
        return out.map((contact) => stored.get(contact.id) ?? contact);
      });
    },

    async existingIds(ids) {
      const found = new Set<string>();
      for (const part of chunks([...new Set(ids)])) {
        const rows = await ctx.db.selectFrom('dird_contact').select('uuid')
          .where('uuid', 'in', part).where('user_uuid', 'is not', null).execute();
        rows.forEach((row) => found.add(row.uuid));
      }
      return found;
    },

    async searchable(user, columns) {
      if (columns.length === 0) return [];
      const rows = await ctx.db.selectFrom('dird_contact_fields as f')
        .innerJoin('dird_contact as c', 'c.uuid', 'f.contact_uuid')
        .select(['c.uuid as id', 'f.value'])
        .where('c.user_uuid', '=', user).where('f.name', 'in', columns).where('f.value', 'is not', null)
        .execute();
      return rows as { id: string; value: string }[];
    },

    async exactMatches(user, columns, values) {
      if (columns.length === 0 || values.length === 0) return [];
      const out: { id: string; value: string }[] = [];
      for (const part of chunks([...new Set(values)])) {
        const rows = await ctx.db.selectFrom('dird_contact_fields as f')
          .innerJoin('dird_contact as c', 'c.uuid', 'f.contact_uuid')
          .select(['c.uuid as id', 'f.value'])
          .where('f.value', 'in', part).where('f.name', 'in', columns).where('c.user_uuid', '=', user)
          .orderBy('f.id').execute();
        out.push(...(rows as { id: string; value: string }[]));
      }
      return out;
    },

    async deleteUser(user) {
      await ctx.db.deleteFrom('dird_contact').where('user_uuid', '=', user).execute();
    },
  };
}

async function byIds(ctx: Ctx, user: string, ids: string[]): Promise<PersonalContact[]> {
  const wanted = [...new Set(ids)];
  const byId = new Map<string, PersonalContact>();
  for (const part of chunks(wanted)) {
    const rows = await ctx.db.selectFrom('dird_contact_fields as f')
      .innerJoin('dird_contact as c', 'c.uuid', 'f.contact_uuid')
      .select(['c.uuid', 'f.name', 'f.value'])
      .where('f.contact_uuid', 'in', part).where('c.user_uuid', '=', user)
      .orderBy('f.id').execute();
    for (const contact of assemble(rows)) byId.set(contact.id, contact);
  }
  return wanted.filter((id) => byId.has(id)).map((id) => byId.get(id)!);
}

async function hashOwner(ctx: Ctx, user: string, hash: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('dird_contact').select('uuid')
    .where('user_uuid', '=', user).where('hash', '=', hash).executeTakeFirst();
  return row?.uuid ?? null;
}

async function insertContact(ctx: Ctx, user: string, id: string, hash: string, contact: PersonalContact): Promise<void> {
  try {
    await ctx.db.insertInto('dird_contact').values({ uuid: id, user_uuid: user, phonebook_uuid: null, hash }).execute();
  } catch (error) {
    // The id of another contact (of any user).
    if (violationOf(error) === 'unique') throw new DuplicateContactError();
    throw error;
  }
  await insertFields(ctx, id, contact);
}

async function insertFields(ctx: Ctx, id: string, contact: PersonalContact): Promise<void> {
  const rows = Object.entries(contact).map(([name, value]) => ({ name, value, contact_uuid: id }));
  // One statement per few hundred rows: SQLite caps bound parameters.
  for (const part of chunks(rows)) await ctx.db.insertInto('dird_contact_fields').values(part).execute();
}

function assemble(rows: { uuid: string; name: string; value: string | null }[]): PersonalContact[] {
  const byId = new Map<string, PersonalContact>();
  for (const row of rows) {
    let contact = byId.get(row.uuid);
    if (!contact) byId.set(row.uuid, (contact = { id: row.uuid } as PersonalContact));
    if (row.name !== 'id') contact[row.name] = row.value;
  }
  return [...byId.values()];
}
