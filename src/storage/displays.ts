// Displays: a named, ordered list of columns (spec §2.3).
import { randomUUID } from 'node:crypto';
import type { Display, ListParams, ListResult } from '../contracts.js';
import { NotFoundError } from '../errors.js';
import { normalizeColumn } from './codec.js';
import { inTransaction, type Ctx } from './dialect.js';
import { deleteVisible, listNamed } from './listing.js';
import type { DisplayInput, Store } from './store.js';
import { ensureTenant } from './tenants.js';

type DisplayRow = { uuid: string; tenant_uuid: string; name: string };
const displayFields = ['uuid', 'tenant_uuid', 'name'] as const;

export function displayRepository(ctx: Ctx): Store['displays'] {
  return {
    async list(tenants: string[], params: ListParams): Promise<ListResult<Display>> {
      const { total, filtered, rows } = await listNamed(ctx, 'dird_display', displayFields, tenants, params);
      return { total, filtered, items: await withColumns(ctx, rows) };
    },

    async get(tenants: string[], uuid: string): Promise<Display> {
      return (await withColumns(ctx, [await findRow(ctx, tenants, uuid)]))[0];
    },

    create(tenant: string, input: DisplayInput): Promise<Display> {
      return inTransaction(ctx, async (trx) => {
        await ensureTenant(trx, tenant);
        const row = { uuid: randomUUID(), tenant_uuid: tenant, name: input.name };
        await trx.db.insertInto('dird_display').values(row).execute();
        await insertColumns(trx, row.uuid, input);
        return (await withColumns(trx, [row]))[0];
      });
    },

    update(tenants: string[], uuid: string, input: DisplayInput): Promise<void> {
      return inTransaction(ctx, async (trx) => {
        await findRow(trx, tenants, uuid);
        await trx.db.updateTable('dird_display').set({ name: input.name }).where('uuid', '=', uuid).execute();
        await trx.db.deleteFrom('dird_display_column').where('display_uuid', '=', uuid).execute();
        await insertColumns(trx, uuid, input);
      });
    },

    delete(tenants: string[], uuid: string): Promise<void> {
      return deleteVisible(ctx, 'dird_display', 'displays', tenants, uuid);
    },
  };
}

async function findRow(ctx: Ctx, tenants: string[], uuid: string): Promise<DisplayRow> {
  const row = tenants.length === 0 ? undefined : await ctx.db.selectFrom('dird_display')
    .select(displayFields)
    .where('uuid', '=', uuid).where('tenant_uuid', 'in', tenants)
    .executeTakeFirst();
  if (!row) throw new NotFoundError('displays', uuid);
  return row;
}

async function insertColumns(ctx: Ctx, displayUuid: string, input: DisplayInput): Promise<void> {
  if (input.columns.length === 0) return;
  await ctx.db.insertInto('dird_display_column').values(input.columns.map((column, position) => ({
    uuid: randomUUID(), display_uuid: displayUuid, position, ...normalizeColumn(column),
  }))).execute();
}

async function withColumns(ctx: Ctx, rows: DisplayRow[]): Promise<Display[]> {
  if (rows.length === 0) return [];
  const columns = await ctx.db.selectFrom('dird_display_column')
    .select(['display_uuid', 'field', 'title', 'type', 'default', 'number_display'])
    .where('display_uuid', 'in', rows.map((r) => r.uuid))
    .orderBy('display_uuid').orderBy('position')
    .execute();
  const byDisplay = new Map(rows.map((r) => [r.uuid, [] as Display['columns']]));
  for (const { display_uuid, ...column } of columns) byDisplay.get(display_uuid)?.push(normalizeColumn(column));
  return rows.map((r) => ({ uuid: r.uuid, tenant_uuid: r.tenant_uuid, name: r.name, columns: byDisplay.get(r.uuid)! }));
}
