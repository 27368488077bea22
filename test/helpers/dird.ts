// Starts a whole dird in the test process (real store, real sandboxes, real HTTP on 127.0.0.1).
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { createDird, type Dird } from '../../host/app.js';
import { defaults } from '../../src/config/defaults.js';
import { packageRoot } from '../../src/config/load.js';
import { deepMerge } from '../../src/config/merge.js';

export const tenants = {
  master: '00000000-0000-4000-8000-00000000000a',
  sub: '00000000-0000-4000-8000-00000000000b',
  other: '00000000-0000-4000-8000-00000000000c',
};
export const users = {
  admin: '00000000-0000-4000-8000-0000000000a1',
  sub: '00000000-0000-4000-8000-0000000000b1',
  other: '00000000-0000-4000-8000-0000000000c1',
  noacl: '00000000-0000-4000-8000-0000000000d1',
};
export const tokens = { admin: 'admin-token', sub: 'sub-token', other: 'other-token', noacl: 'noacl-token' };

export const fixturePlugins = join(packageRoot, 'test/fixtures/plugins');

export interface TestDird {
  dird: Dird;
  url: string;
  port: number;
  inject: Dird['app']['inject'];
  tokens: typeof tokens;
  tenants: typeof tenants;
  users: typeof users;
  close(): Promise<void>;
}

export async function startDird(options: { dbUri?: string; config?: Record<string, any>; log?: Logger } = {}): Promise<TestDird> {
  const config = deepMerge(defaults, {
    db_uri: options.dbUri ?? 'sqlite::memory:',
    auth: {
      static_tokens: {
        [tokens.admin]: { user_uuid: users.admin, tenant_uuid: tenants.master, acl: ['dird.#'] },
        [tokens.sub]: { user_uuid: users.sub, tenant_uuid: tenants.sub, acl: ['dird.#'] },
        [tokens.other]: { user_uuid: users.other, tenant_uuid: tenants.other, acl: ['dird.#'] },
        [tokens.noacl]: { user_uuid: users.noacl, tenant_uuid: tenants.master, acl: [] },
      },
      static_tenants: [
        { uuid: tenants.master, name: 'master', parent_uuid: null },
        { uuid: tenants.sub, name: 'sub', parent_uuid: tenants.master },
        { uuid: tenants.other, name: 'other', parent_uuid: null },
      ],
      master_tenant_uuid: tenants.master,
    },
    plugin_paths: [fixturePlugins],
  }, options.config ?? {});
  const log = options.log ?? pino({ level: process.env.DIRD_TEST_LOG ?? 'silent' });
  const dird = await createDird(config, log);
  const address = await dird.app.listen({ host: '127.0.0.1', port: 0 });
  const port = Number(new URL(address).port);
  return {
    dird, url: address, port, tokens, tenants, users,
    inject: dird.app.inject.bind(dird.app),
    close: () => dird.close(),
  };
}

/** JSON request over real HTTP with a token (admin by default). */
export async function http(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, {
    method,
    headers: { 'X-Auth-Token': tokens.admin, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, body: json, headers: response.headers };
}
