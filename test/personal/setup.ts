// A dird per database for the personal and favorites tests, with clients for four users:
// `alice` and `bob` (same tenant), `carol` (another tenant), `nouser` (a token without a user).
import type { Test } from 'tap';
import { databases } from '../helpers/databases.js';
import { startDird, tenants } from '../helpers/dird.js';

export type Dird = Awaited<ReturnType<typeof startDird>>;
export const people = {
  alice: { token: 'alice-token', user: '00000000-0000-4000-8000-0000000001a1', tenant: tenants.master },
  bob: { token: 'bob-token', user: '00000000-0000-4000-8000-0000000001b1', tenant: tenants.master },
  carol: { token: 'carol-token', user: '00000000-0000-4000-8000-0000000001c1', tenant: tenants.other },
  nouser: { token: 'nouser-token', user: null, tenant: tenants.master },
  noacl: { token: 'noacl-token', user: '00000000-0000-4000-8000-0000000000d1', tenant: tenants.master },
};
export type Person = keyof typeof people;

export interface Reply {
  status: number;
  body: any;
  text: string;
  headers: Record<string, unknown>;
}

export interface Client {
  get(path: string, query?: Record<string, string | number>, headers?: Record<string, string>): Promise<Reply>;
  post(path: string, body?: unknown): Promise<Reply>;
  put(path: string, body?: unknown): Promise<Reply>;
  delete(path: string): Promise<Reply>;
  /** POST of a raw body (CSV imports). */
  send(path: string, payload: string | Buffer, contentType?: string): Promise<Reply>;
}

export function client(dird: Dird, token: string | null, tenant?: string): Client {
  const base: Record<string, string> = {};
  if (token !== null) base['X-Auth-Token'] = token;
  if (tenant) base['Wazo-Tenant'] = tenant;
  const request = async (method: string, url: string, payload?: string | Buffer, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await dird.inject({ method: method as any, url, headers: { ...base, ...headers }, payload });
    let body: unknown = response.body;
    try {
      body = response.body === '' ? null : JSON.parse(response.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, body, text: response.body, headers: response.headers };
  };
  const json = (body: unknown) => (body === undefined ? undefined : JSON.stringify(body));
  const jsonType = (body: unknown): Record<string, string> => (body === undefined ? {} : { 'content-type': 'application/json' });
  return {
    get: (path, query, headers) =>
      request('GET', query ? `${path}?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}` : path, undefined, headers),
    post: (path, body) => request('POST', path, json(body), jsonType(body)),
    put: (path, body) => request('PUT', path, json(body), jsonType(body)),
    delete: (path) => request('DELETE', path),
    send: (path, payload, contentType = 'text/csv') => request('POST', path, payload, { 'content-type': contentType }),
  };
}

export interface Env {
  dird: Dird;
  as(person: Person | 'admin' | null, tenant?: string): Client;
}

/** Runs `fn` once per database (SQLite and PostgreSQL), each with its own dird and a fresh database. */
export async function onEveryDatabase(t: Test, fn: (t: Test, env: Env) => Promise<void>, config: Record<string, any> = {}): Promise<void> {
  for (const database of databases) {
    await t.test(database.name, async (t) => {
      const { uri, cleanup } = await database.open();
      const staticTokens = Object.fromEntries(Object.values(people).filter((p) => p.token !== 'noacl-token').map((p) => [
        p.token, { user_uuid: p.user, tenant_uuid: p.tenant, acl: ['dird.#'] },
      ]));
      const dird = await startDird({ dbUri: uri, config: { ...config, auth: { static_tokens: staticTokens } } });
      t.teardown(async () => {
        await dird.close();
        await cleanup();
      });
      await fn(t, {
        dird,
        as: (person, tenant) =>
          client(dird, person === null ? null : person === 'admin' ? dird.tokens.admin : people[person].token, tenant),
      });
    });
  }
}
