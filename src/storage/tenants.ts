// dird_tenant rows: created on demand by every write that introduces a tenant.
import type { Ctx } from './dialect.js';

export async function ensureTenant(ctx: Ctx, uuid: string): Promise<void> {
  await ctx.db.insertInto('dird_tenant').values({ uuid, country: null })
    .onConflict((oc) => oc.column('uuid').doNothing())
    .execute();
}

export async function tenantCountry(ctx: Ctx, uuid: string): Promise<string | null> {
  const row = await ctx.db.selectFrom('dird_tenant').select('country').where('uuid', '=', uuid).executeTakeFirst();
  return row?.country ?? null;
}
