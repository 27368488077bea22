// What displays and profiles (tenant-owned, named tables) share: list() — the rows of the visible
// tenants, exact filters on uuid/name, a case-insensitive search on name, ordered by casefolded name then
// name then uuid, one page of them, and the total/filtered counts — and delete() of one visible row.
import { sql } from 'kysely';
import type { ListParams } from '../contracts.js';
import { NotFoundError, type Resource } from '../errors.js';
import { casefold, containsInsensitive, countRows, directionOf, paginate, type Ctx } from './dialect.js';
import type { Database } from './schema.js';

/** The tables whose rows carry a uuid, a tenant and a name. */
type NamedTable = { [K in keyof Database]: Database[K] extends { uuid: string; tenant_uuid: string; name: string } ? K : never }[keyof Database];
/** A column of any of them (`& AnyColumn` below lets Kysely take the fields when selecting from the union). */
type AnyColumn = { [K in NamedTable]: keyof Database[K] & string }[NamedTable];

export interface NamedPage<Row> {
  total: number;
  filtered: number;
  rows: Row[];
}

/** Lists the `fields` of `table`'s rows in `tenants` as `params` say. */
export async function listNamed<T extends NamedTable, F extends keyof Database[T] & AnyColumn>(
  ctx: Ctx, table: T, fields: readonly F[], tenants: string[], params: ListParams,
): Promise<NamedPage<Pick<Database[T], F>>> {
  if (tenants.length === 0) return { total: 0, filtered: 0, rows: [] };
  // Kysely cannot resolve column names against a table that is a type parameter, so the query is
  // built against the union of named tables (uuid, tenant_uuid and name are common to all of them)...
  const from: NamedTable = table;
  const visible = ctx.db.selectFrom(from).where('tenant_uuid', 'in', tenants);
  const { uuid, name } = params.filters ?? {};
  const matching = visible
    .$if(uuid !== undefined, (q) => q.where('uuid', '=', uuid!))
    .$if(name !== undefined, (q) => q.where('name', '=', name!))
    .$if(!!params.search, (q) => q.where(containsInsensitive(ctx.dialect, sql.ref('name'), params.search!)));
  const direction = directionOf(params);
  const page = paginate(ctx.dialect, matching.select(fields)
    .orderBy(casefold(ctx.dialect, sql.ref('name')), direction)
    .orderBy('name', direction)
    .orderBy('uuid'), params);
  const [rows, total, filtered] = await Promise.all([page.execute(), countRows(visible), countRows(matching)]);
  // ...and the rows typed back as the selection the signature promises (F are columns of T).
  return { total, filtered, rows: rows as unknown as Pick<Database[T], F>[] };
}

/** Deletes the row `uuid` of `table` if it is in `tenants`; NotFoundError otherwise. */
export async function deleteVisible(ctx: Ctx, table: NamedTable, resource: Resource, tenants: string[], uuid: string): Promise<void> {
  if (tenants.length === 0) throw new NotFoundError(resource, uuid);
  const result = await ctx.db.deleteFrom(table)
    .where('uuid', '=', uuid).where('tenant_uuid', 'in', tenants).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new NotFoundError(resource, uuid);
}
