// Two dird instances (A and B) in this process on ONE throwaway PostgreSQL database, as two processes
// behind a load balancer would be: each has its own store pool, caches, sandboxes and change relay.
import type { Test } from 'tap';
import { postgresAdminUri, postgresDatabase, useDatabase } from '../helpers/databases.js';
import { http, startDird, type TestDird } from '../helpers/dird.js';

export type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

export interface Pair {
  uri: string;
  a: TestDird;
  b: TestDird;
  /** Requests to A / B over HTTP with the admin token. */
  onA: Call;
  onB: Call;
}

export async function twoInstances(t: Test, config: Record<string, any> = {}): Promise<Pair> {
  const uri = await useDatabase(t, postgresDatabase(postgresAdminUri));
  const a = await startDird({ dbUri: uri, config });
  t.teardown(() => a.close());
  const b = await startDird({ dbUri: uri, config });
  t.teardown(() => b.close());
  return {
    uri, a, b,
    onA: (method, path, body) => http(a.url, method, path, body),
    onB: (method, path, body) => http(b.url, method, path, body),
  };
}

/** Attempts of `eventually`, 50 ms apart: a change must be visible within about 2.5 s. */
const ATTEMPTS = 50;

/**
 * Asks `read` until `seen` holds for its answer or the attempts run out; returns the last answer, so
 * the caller asserts on it (a visibility check, not a timing one).
 */
export async function eventually<T>(read: () => Promise<T>, seen: (value: T) => boolean, attempts = ATTEMPTS): Promise<T> {
  let value = await read();
  for (let attempt = 1; attempt < attempts && !seen(value); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await read();
  }
  return value;
}
