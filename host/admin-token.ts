// The embedded default has no shared well-known credential: an admin token is generated on first start,
// printed once, and kept (mode 0600) in the data dir.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface AdminToken {
  token: string;
  tenant_uuid: string;
  user_uuid: string;
}

/** Adds the data dir's admin token to `auth.static_tokens`; returns it when it was just created. */
export function installAdminToken(config: Record<string, any>): { file: string; created: AdminToken | null } {
  const dir = resolve(config.data_dir);
  const file = join(dir, 'admin-token.json');
  let admin: AdminToken;
  let created: AdminToken | null = null;
  if (existsSync(file)) {
    admin = JSON.parse(readFileSync(file, 'utf8'));
  } else {
    mkdirSync(dir, { recursive: true });
    admin = created = { token: randomBytes(24).toString('base64url'), tenant_uuid: randomUUID(), user_uuid: randomUUID() };
    writeFileSync(file, JSON.stringify(admin, null, 1) + '\n', { mode: 0o600 });
  }
  config.auth.static_tokens = {
    ...config.auth.static_tokens,
    [admin.token]: { user_uuid: admin.user_uuid, tenant_uuid: admin.tenant_uuid, acl: ['dird.#'] },
  };
  const tenants: any[] = config.auth.static_tenants ?? [];
  if (!tenants.some((tenant) => tenant.uuid === admin.tenant_uuid)) {
    config.auth.static_tenants = [...tenants, { uuid: admin.tenant_uuid, name: 'master', parent_uuid: null }];
  }
  config.bootstrap.tenant_uuid ??= admin.tenant_uuid;
  return { file, created };
}
