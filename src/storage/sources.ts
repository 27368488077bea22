// Sources: configured instances of a back-end (spec §2.5, §3.7). A phonebook source is named after
// its phonebook (`coalesce(phonebook.name, source.name)`).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { ListParams, ListResult, SourceConfig } from '../contracts.js';
import { NotFoundError } from '../errors.js';
import { decodeSource, sourceColumns, type SourceRow } from './codec.js';
import { casefold, containsInsensitive, countRows, directionOf, emptyList, inTransaction, paginate, uniqueAsConflict, type Ctx } from './dialect.js';
import type { SourceInput, Store } from './store.js';
import { ensureTenant } from './tenants.js';

const effectiveName = sql<string>`coalesce(pb.name, s.name)`;

const sourceFields = ['s.uuid', 's.tenant_uuid', 's.name as own_name', 's.backend', 's.searched_columns',
  's.first_matched_columns', 's.format_columns', 's.extra_fields', 's.phonebook_uuid',
  'pb.name as phonebook_name', 'pb.description as phonebook_description'] as const;

function fromSources(ctx: Ctx) {
  return ctx.db.selectFrom('dird_source as s').leftJoin('dird_phonebook as pb', 'pb.uuid', 's.phonebook_uuid');
}

function selectSources(ctx: Ctx) {
  return fromSources(ctx).select(sourceFields);
}

export function sourceRepository(ctx: Ctx): Store['sources'] {
  return {
    async list(tenants: string[], params: ListParams, backend?: string): Promise<ListResult<SourceConfig>> {
      if (tenants.length === 0) return emptyList();
      const visible = fromSources(ctx)
        .where('s.tenant_uuid', 'in', tenants)
        .$if(backend !== undefined, (q) => q.where('s.backend', '=', backend!));
      const filters = params.filters ?? {};
      const matching = visible
        .$if(filters.uuid !== undefined, (q) => q.where('s.uuid', '=', filters.uuid))
        .$if(filters.name !== undefined, (q) => q.where(effectiveName, '=', filters.name))
        .$if(filters.backend !== undefined, (q) => q.where('s.backend', '=', filters.backend))
        .$if(!!params.search, (q) => q.where(containsInsensitive(ctx.dialect, effectiveName, params.search!)));
      const direction = directionOf(params);
      const byName = casefold(ctx.dialect, effectiveName);
      const ordered = params.order === 'backend'
        ? matching.orderBy('s.backend', direction).orderBy(byName).orderBy(effectiveName)
        : matching.orderBy(byName, direction).orderBy(effectiveName, direction);
      const page = paginate(ctx.dialect, ordered.orderBy('s.uuid').select(sourceFields), params);
      const [rows, total, filtered] = await Promise.all([page.execute(), countRows(visible), countRows(matching)]);
      return { total, filtered, items: rows.map(decodeSource) };
    },

    async get(tenants: string[], uuid: string, backend?: string): Promise<SourceConfig> {
      return decodeSource(await findRow(ctx, tenants, uuid, backend));
    },

    async getMany(uuids: string[]): Promise<SourceConfig[]> {
      const wanted = [...new Set(uuids)];
      if (wanted.length === 0) return [];
      const rows = await selectSources(ctx).where('s.uuid', 'in', wanted).execute();
      const byUuid = new Map(rows.map((row) => [row.uuid, row]));
      return wanted.filter((uuid) => byUuid.has(uuid)).map((uuid) => decodeSource(byUuid.get(uuid)!));
    },

    create(tenant: string, backend: string, input: SourceInput): Promise<SourceConfig> {
      return inTransaction(ctx, async (trx) => {
        await ensureTenant(trx, tenant);
        const columns = sourceColumns(backend, input, randomUUID);
        await checkPhonebook(trx, tenant, columns.phonebook_uuid);
        const uuid = randomUUID();
        await uniqueAsConflict('sources', input.name, trx.db.insertInto('dird_source')
          .values({ uuid, tenant_uuid: tenant, backend, ...columns }).execute());
        return decodeSource(await findRow(trx, [tenant], uuid));
      });
    },

    update(tenants: string[], uuid: string, backend: string, input: SourceInput): Promise<SourceConfig> {
      return inTransaction(ctx, async (trx) => {
        const current = await findRow(trx, tenants, uuid, backend);
        const columns = sourceColumns(backend, input, randomUUID);
        await checkPhonebook(trx, current.tenant_uuid, columns.phonebook_uuid);
        await uniqueAsConflict('sources', input.name, trx.db.updateTable('dird_source').set(columns)
          .where('uuid', '=', uuid).execute());
        return decodeSource(await findRow(trx, tenants, uuid));
      });
    },

    async delete(tenants: string[], uuid: string, backend?: string): Promise<void> {
      if (tenants.length === 0) throw new NotFoundError('sources', uuid);
      const result = await ctx.db.deleteFrom('dird_source')
        .where('uuid', '=', uuid).where('tenant_uuid', 'in', tenants)
        .$if(backend !== undefined, (q) => q.where('backend', '=', backend!))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new NotFoundError('sources', uuid);
    },
  };
}

async function findRow(ctx: Ctx, tenants: string[], uuid: string, backend?: string): Promise<SourceRow> {
  const row = tenants.length === 0 ? undefined : await selectSources(ctx)
    .where('s.uuid', '=', uuid).where('s.tenant_uuid', 'in', tenants)
    .$if(backend !== undefined, (q) => q.where('s.backend', '=', backend!))
    .executeTakeFirst();
  if (!row) throw new NotFoundError('sources', uuid);
  return row;
}

/** A phonebook source must point at a phonebook of its own tenant. */
async function checkPhonebook(ctx: Ctx, tenant: string, phonebookUuid: string | null): Promise<void> {
  if (phonebookUuid === null) return;
  const found = await ctx.db.selectFrom('dird_phonebook').select('uuid')
    .where('uuid', '=', phonebookUuid).where('tenant_uuid', '=', tenant)
    .$if(ctx.dialect === 'postgres', (q) => q.forShare())
    .executeTakeFirst();
  if (!found) throw new NotFoundError('phonebooks', phonebookUuid);
}
