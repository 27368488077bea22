// Favorites (spec §3.4): (source, contact id) pairs a user marked, in dird_favorite.
import { sql } from 'kysely';
import { inTransaction, violationOf, type Ctx } from './dialect.js';
import { ensureUser } from './users.js';

export class DuplicateFavoriteError extends Error {}

export interface Favorite {
  source_uuid: string;
  /** The source's effective name (a phonebook source is named after its phonebook). */
  source_name: string;
  contact_id: string;
}

export interface FavoriteStore {
  add(tenant: string, user: string, sourceUuid: string, contactId: string): Promise<void>;
  /** Removes the favorite from any of these sources; the number of rows removed. */
  remove(user: string, sourceUuids: string[], contactId: string): Promise<number>;
  ofUser(user: string): Promise<Favorite[]>;
  /** Removes every favorite of the user (user deletion). */
  deleteUser(user: string): Promise<void>;
}

export function favoriteRepository(ctx: Ctx): FavoriteStore {
  return {
    add(tenant, user, sourceUuid, contactId) {
      return inTransaction(ctx, async (trx) => {
        await ensureUser(trx, tenant, user);
        try {
          await trx.db.insertInto('dird_favorite').values({ source_uuid: sourceUuid, contact_id: contactId, user_uuid: user }).execute();
        } catch (error) {
          if (violationOf(error) === 'unique') throw new DuplicateFavoriteError();
          throw error;
        }
      });
    },

    async remove(user, sourceUuids, contactId) {
      if (sourceUuids.length === 0) return 0;
      const result = await ctx.db.deleteFrom('dird_favorite')
        .where('user_uuid', '=', user).where('contact_id', '=', contactId).where('source_uuid', 'in', sourceUuids)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async ofUser(user) {
      return ctx.db.selectFrom('dird_favorite as f')
        .innerJoin('dird_source as s', 's.uuid', 'f.source_uuid')
        .leftJoin('dird_phonebook as pb', 'pb.uuid', 's.phonebook_uuid')
        .select(['f.source_uuid', sql<string>`coalesce(pb.name, s.name)`.as('source_name'), 'f.contact_id'])
        .where('f.user_uuid', '=', user)
        .execute();
    },

    async deleteUser(user) {
      await ctx.db.deleteFrom('dird_favorite').where('user_uuid', '=', user).execute();
    },
  };
}
