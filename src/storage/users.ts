// dird_user rows: the owner of personal contacts and favorites, created on a user's first write.
import type { Ctx } from './dialect.js';
import { ensureTenant } from './tenants.js';

export async function ensureUser(ctx: Ctx, tenant: string, user: string): Promise<void> {
  await ensureTenant(ctx, tenant);
  await ctx.db.insertInto('dird_user').values({ user_uuid: user, tenant_uuid: tenant })
    .onConflict((oc) => oc.column('user_uuid').doNothing())
    .execute();
}
