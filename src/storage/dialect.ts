// What differs between SQLite and PostgreSQL, in one place: case folding, substring search,
// constraint-violation codes, pagination quirks.
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { ListParams, ListResult } from '../contracts.js';
import { ConflictError, type Resource } from '../errors.js';
import type { Database } from './schema.js';

export type SqlDialect = 'sqlite' | 'postgres';

/** What every repository works with; `db` may be a transaction. */
export interface Ctx {
  db: Kysely<Database>;
  dialect: SqlDialect;
}

export function inTransaction<T>(ctx: Ctx, fn: (trx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction().execute((db) => fn({ db, dialect: ctx.dialect }));
}

/** SQLite's lower() folds ASCII only; dird registers this function on every SQLite connection. */
export const SQLITE_CASEFOLD = 'dird_casefold';

export function casefold(dialect: SqlDialect, expr: Expression<unknown>): RawBuilder<string> {
  return dialect === 'postgres' ? sql<string>`lower(${expr})` : sql<string>`${sql.raw(SQLITE_CASEFOLD)}(${expr})`;
}

/** Case-insensitive substring test with ILIKE semantics; `%` and `_` in the term are literal. */
export function containsInsensitive(dialect: SqlDialect, expr: Expression<unknown>, term: string): RawBuilder<SqlBool> {
  if (dialect === 'postgres') {
    const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return sql<SqlBool>`${expr} ILIKE ${pattern} ESCAPE '\\'`;
  }
  return sql<SqlBool>`instr(${casefold(dialect, expr)}, ${casefold(dialect, sql.val(term))}) > 0`;
}

export type Violation = 'unique' | 'foreign_key' | 'check';

/** The kind of integrity constraint an error from either driver reports, or null. */
export function violationOf(err: unknown): Violation | null {
  switch ((err as { code?: unknown } | null)?.code) {
    case '23505': case 'SQLITE_CONSTRAINT_UNIQUE': case 'SQLITE_CONSTRAINT_PRIMARYKEY': return 'unique';
    case '23503': case 'SQLITE_CONSTRAINT_FOREIGNKEY': return 'foreign_key';
    case '23514': case 'SQLITE_CONSTRAINT_CHECK': return 'check';
    default: return null;
  }
}

/** Runs a write, turning a uniqueness violation (the name within a tenant) into a 409. */
export async function uniqueAsConflict<T>(resource: Resource, name: string, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (violationOf(err) === 'unique') throw new ConflictError(resource, name);
    throw err;
  }
}

/** Counts rows of a select built without a select list (drivers return counts as string or bigint). */
export async function countRows(query: { select: (...a: any[]) => any }): Promise<number> {
  const row = await query.select(sql<number | string | bigint>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Applies limit/offset (SQLite needs a LIMIT to accept an OFFSET). */
export function paginate<Q extends { limit(n: number): Q; offset(n: number): Q }>(
  dialect: SqlDialect, query: Q, params: ListParams,
): Q {
  let q = query;
  if (params.limit !== undefined && params.limit !== null) q = q.limit(params.limit);
  else if (params.offset && dialect === 'sqlite') q = q.limit(-1);
  if (params.offset) q = q.offset(params.offset);
  return q;
}

export function directionOf(params: ListParams): 'asc' | 'desc' {
  return params.direction === 'desc' ? 'desc' : 'asc';
}

export function emptyList<T>(): ListResult<T> {
  return { total: 0, filtered: 0, items: [] };
}
