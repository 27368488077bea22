// dird_tenant rows: created on demand by every write that introduces a tenant; they also hold the
// tenant's country (the bus `localization_edited` event), used to read caller numbers in national form.
import type { Ctx } from './dialect.js';

export async function ensureTenant(ctx: Ctx, uuid: string): Promise<void> {
  await ctx.db.insertInto('dird_tenant').values({ uuid, country: null })
    .onConflict((oc) => oc.column('uuid').doNothing())
    .execute();
}

/** Upserts the tenant's country (null clears it). */
export async function setTenantCountry(ctx: Ctx, uuid: string, country: string | null): Promise<void> {
  await ctx.db.insertInto('dird_tenant').values({ uuid, country })
    .onConflict((oc) => oc.column('uuid').doUpdateSet({ country }))
    .execute();
}

/** The tenant's country, or null when unknown. */
export async function tenantCountry(ctx: Ctx, uuid: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('dird_tenant').select('country').where('uuid', '=', uuid).executeTakeFirst();
  return row?.country ?? null;
}
