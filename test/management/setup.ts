// Runs a management test against a real dird on every database, with a small JSON client.
import type { Test } from 'tap';
import { databases } from '../helpers/databases.js';
import { startDird } from '../helpers/dird.js';

export type Dird = Awaited<ReturnType<typeof startDird>>;
export type TokenName = 'admin' | 'sub' | 'other' | 'noacl';

export interface Reply {
  status: number;
  body: any;
}

export interface Client {
  get(path: string, query?: Record<string, string | number | boolean>): Promise<Reply>;
  post(path: string, body: unknown): Promise<Reply>;
  put(path: string, body: unknown): Promise<Reply>;
  delete(path: string): Promise<Reply>;
}

export interface Env {
  dird: Dird;
  /** A client with a token's identity; `tenant` sets the Wazo-Tenant header. */
  as(token: TokenName | null, tenant?: string): Client;
}

function client(dird: Dird, token: string | null, tenant?: string): Client {
  const headers: Record<string, string> = {};
  if (token !== null) headers['X-Auth-Token'] = token;
  if (tenant) headers['Wazo-Tenant'] = tenant;
  const send = async (method: string, url: string, body?: unknown, query?: Record<string, string | number | boolean>): Promise<Reply> => {
    const qs = query ? '?' + new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString() : '';
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const response = await dird.inject({
      method,
      url: url + qs,
      headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      payload,
    });
    let parsed: unknown = response.body;
    try {
      parsed = response.body === '' ? null : JSON.parse(response.body);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, body: parsed };
  };
  return {
    get: (path, query) => send('GET', path, undefined, query),
    post: (path, body) => send('POST', path, body),
    put: (path, body) => send('PUT', path, body),
    delete: (path) => send('DELETE', path),
  };
}

/** Runs `fn` once per database, each with its own dird and a fresh database. */
export async function onEveryDatabase(t: Test, fn: (t: Test, env: Env) => Promise<void>): Promise<void> {
  for (const [index, database] of databases.entries()) {
    const name = (database as { name?: string }).name ?? `database ${index}`;
    await t.test(name, async (t) => {
      const { uri, cleanup } = await database.open();
      const dird = await startDird({ dbUri: uri });
      t.teardown(async () => {
        await dird.close();
        await cleanup();
      });
      await fn(t, {
        dird,
        as: (token, tenant) => client(dird, token === null ? null : dird.tokens[token], tenant),
      });
    });
  }
}

export const UNKNOWN_UUID = '00000000-0000-4000-8000-000000000000';
