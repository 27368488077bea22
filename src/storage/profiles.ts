// Profiles: a display plus, per service name, an ordered list of sources and options (spec §2.4).
// The display and every source must belong to the profile's tenant.
import { randomUUID } from 'node:crypto';
import type { ListParams, ListResult, Profile, ProfileService } from '../contracts.js';
import { InvalidReferenceError, NotFoundError } from '../errors.js';
import { profileServiceConfig, profileServiceOptions } from './codec.js';
import { inTransaction, uniqueAsConflict, type Ctx } from './dialect.js';
import { deleteVisible, listNamed } from './listing.js';
import type { ProfileInput, Store } from './store.js';
import { ensureTenant } from './tenants.js';

type ProfileRow = { uuid: string; tenant_uuid: string; name: string; display_uuid: string | null };
const profileFields = ['uuid', 'tenant_uuid', 'name', 'display_uuid'] as const;

export function profileRepository(ctx: Ctx): Store['profiles'] {
  return {
    async list(tenants: string[], params: ListParams): Promise<ListResult<Profile>> {
      const { total, filtered, rows } = await listNamed(ctx, 'dird_profile', profileFields, tenants, params);
      return { total, filtered, items: await withServices(ctx, rows) };
    },

    async get(tenants: string[], uuid: string): Promise<Profile> {
      return (await withServices(ctx, [await findRow(ctx, tenants, uuid)]))[0];
    },

    async findByName(tenant: string, name: string): Promise<Profile | null> {
      const row = await ctx.db.selectFrom('dird_profile').select(profileFields)
        .where('tenant_uuid', '=', tenant).where('name', '=', name).executeTakeFirst();
      return row ? (await withServices(ctx, [row]))[0] : null;
    },

    create(tenant: string, input: ProfileInput): Promise<Profile> {
      return inTransaction(ctx, async (trx) => {
        await ensureTenant(trx, tenant);
        await checkReferences(trx, tenant, input);
        const row = { uuid: randomUUID(), tenant_uuid: tenant, name: input.name, display_uuid: input.display?.uuid ?? null };
        await uniqueAsConflict('profiles', input.name, trx.db.insertInto('dird_profile')
          .values({ ...row, display_tenant_uuid: row.display_uuid === null ? null : tenant }).execute());
        await insertServices(trx, row, input.services);
        return (await withServices(trx, [row]))[0];
      });
    },

    update(tenants: string[], uuid: string, input: ProfileInput): Promise<void> {
      return inTransaction(ctx, async (trx) => {
        const row = await findRow(trx, tenants, uuid);
        await checkReferences(trx, row.tenant_uuid, input);
        const display_uuid = input.display?.uuid ?? null;
        await uniqueAsConflict('profiles', input.name, trx.db.updateTable('dird_profile')
          .set({ name: input.name, display_uuid, display_tenant_uuid: display_uuid === null ? null : row.tenant_uuid })
          .where('uuid', '=', uuid).execute());
        await trx.db.deleteFrom('dird_profile_service').where('profile_uuid', '=', uuid).execute();
        await insertServices(trx, row, input.services);
      });
    },

    delete(tenants: string[], uuid: string): Promise<void> {
      return deleteVisible(ctx, 'dird_profile', 'profiles', tenants, uuid);
    },
  };
}

async function findRow(ctx: Ctx, tenants: string[], uuid: string): Promise<ProfileRow> {
  const row = tenants.length === 0 ? undefined : await ctx.db.selectFrom('dird_profile').select(profileFields)
    .where('uuid', '=', uuid).where('tenant_uuid', 'in', tenants).executeTakeFirst();
  if (!row) throw new NotFoundError('profiles', uuid);
  return row;
}

function sourceUuidsOf(service: Partial<ProfileService>): string[] {
  return [...new Set((service.sources ?? []).map((source) => source.uuid))];
}

/** The display and sources must exist in the profile's tenant; they stay locked until commit (PostgreSQL). */
async function checkReferences(ctx: Ctx, tenant: string, input: ProfileInput): Promise<void> {
  const lock = ctx.dialect === 'postgres';
  const displayUuid = input.display?.uuid;
  if (displayUuid !== undefined && displayUuid !== null) {
    const display = await ctx.db.selectFrom('dird_display').select('uuid')
      .where('uuid', '=', displayUuid).where('tenant_uuid', '=', tenant)
      .$if(lock, (q) => q.forShare()).executeTakeFirst();
    if (!display) throw new InvalidReferenceError('display', displayUuid);
  }
  const wanted = [...new Set(Object.values(input.services ?? {}).flatMap(sourceUuidsOf))];
  if (wanted.length === 0) return;
  const found = await ctx.db.selectFrom('dird_source').select('uuid')
    .where('uuid', 'in', wanted).where('tenant_uuid', '=', tenant)
    .$if(lock, (q) => q.forShare()).execute();
  const known = new Set(found.map((row) => row.uuid));
  const missing = wanted.find((uuid) => !known.has(uuid));
  if (missing !== undefined) throw new InvalidReferenceError('source', missing);
}

async function serviceUuid(ctx: Ctx, name: string): Promise<string> {
  await ctx.db.insertInto('dird_service').values({ uuid: randomUUID(), name })
    .onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await ctx.db.selectFrom('dird_service').select('uuid').where('name', '=', name).executeTakeFirstOrThrow();
  return row.uuid;
}

async function insertServices(ctx: Ctx, profile: ProfileRow, services: Record<string, ProfileService>): Promise<void> {
  let position = 0;
  for (const [name, service] of Object.entries(services ?? {})) {
    const uuid = randomUUID();
    await ctx.db.insertInto('dird_profile_service').values({
      uuid,
      profile_uuid: profile.uuid,
      profile_tenant_uuid: profile.tenant_uuid,
      service_uuid: await serviceUuid(ctx, name),
      config: profileServiceConfig(service),
      position: position++,
    }).execute();
    const sources = sourceUuidsOf(service);
    if (sources.length === 0) continue;
    await ctx.db.insertInto('dird_profile_service_source').values(sources.map((source_uuid, index) => ({
      profile_service_uuid: uuid,
      source_uuid,
      profile_tenant_uuid: profile.tenant_uuid,
      source_tenant_uuid: profile.tenant_uuid,
      position: index,
    }))).execute();
  }
}

async function withServices(ctx: Ctx, rows: ProfileRow[]): Promise<Profile[]> {
  if (rows.length === 0) return [];
  const profileUuids = rows.map((row) => row.uuid);
  const bindings = await ctx.db.selectFrom('dird_profile_service as ps')
    .innerJoin('dird_service as svc', 'svc.uuid', 'ps.service_uuid')
    .select(['ps.uuid', 'ps.profile_uuid', 'ps.config', 'svc.name'])
    .where('ps.profile_uuid', 'in', profileUuids)
    .orderBy('ps.profile_uuid').orderBy('ps.position').orderBy('svc.name')
    .execute();
  const sources = await ctx.db.selectFrom('dird_profile_service_source as pss')
    .innerJoin('dird_profile_service as ps', 'ps.uuid', 'pss.profile_service_uuid')
    .select(['pss.profile_service_uuid', 'pss.source_uuid'])
    .where('ps.profile_uuid', 'in', profileUuids)
    .orderBy('pss.profile_service_uuid').orderBy('pss.position')
    .execute();
  const sourcesOf = new Map<string, { uuid: string }[]>();
  for (const { profile_service_uuid, source_uuid } of sources) {
    const list = sourcesOf.get(profile_service_uuid) ?? [];
    list.push({ uuid: source_uuid });
    sourcesOf.set(profile_service_uuid, list);
  }
  const servicesOf = new Map(rows.map((row) => [row.uuid, {} as Record<string, ProfileService>]));
  for (const binding of bindings) {
    // defineProperty: a service may be named like an Object.prototype member
    Object.defineProperty(servicesOf.get(binding.profile_uuid)!, binding.name, {
      value: { sources: sourcesOf.get(binding.uuid) ?? [], options: profileServiceOptions(binding.config) },
      enumerable: true, writable: true, configurable: true,
    });
  }
  return rows.map((row) => ({
    uuid: row.uuid,
    tenant_uuid: row.tenant_uuid,
    name: row.name,
    display: row.display_uuid === null ? null : { uuid: row.display_uuid },
    services: servicesOf.get(row.uuid)!,
  }));
}
