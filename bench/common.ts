// What every bench file needs: free ports, a dird of its own on a throwaway SQLite store, a JSON client.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../src/config/load.js';

export const BENCH_TOKEN = 'bench-token';
export const BENCH_TENANT = '00000000-0000-4000-8000-0000000000be';
export const BENCH_USER = '00000000-0000-4000-8000-0000000000bf';

export interface BenchDird {
  child: ChildProcess;
  base: string;
  token: string;
  user: string;
  tenant: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A dird with one static admin token for `user` of `tenant`; `config` is merged over that. */
export async function startBenchDird(work: string, config: Record<string, unknown> = {}): Promise<BenchDird> {
  const [token, tenant, user] = [BENCH_TOKEN, BENCH_TENANT, BENCH_USER];
  const port = await freePort();
  const file = join(work, 'config.yml');
  writeFileSync(file, JSON.stringify({
    rest_api: { listen: '127.0.0.1', port },
    db_uri: `sqlite:${join(work, 'dird.sqlite')}`,
    log_level: 'warning',
    auth: {
      static_tokens: { [token]: { user_uuid: user, tenant_uuid: tenant, acl: ['dird.#'] } },
      static_tenants: [{ uuid: tenant, name: 'bench', parent_uuid: null }],
    },
    ...config,
  }));
  // Node's flags as `npm start` gives them; BENCH_NODE_ARGS (e.g. `--cpu-prof`) adds more, to profile.
  const nodeArgs = [...startFlags(), ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...nodeArgs, join(packageRoot, 'dist/host/main.js'), '-c', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(`${base}/0.1/status`, { headers: { 'X-Auth-Token': token } }).then((r) => r.ok, () => false)) {
      return { child, base, token, user, tenant };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('dird did not become ready in 30 s');
}

/** The node flags of package.json's `start` script (`node --flag … dist/host/main.js`). */
function startFlags(): string[] {
  const start: string = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).scripts.start;
  return start.split(/\s+/).filter((word) => word.startsWith('--'));
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A JSON (or raw `body` string with its `type`) request that throws on a 4xx/5xx answer. */
export async function api(base: string, token: string, method: string, path: string, body?: unknown, type = 'application/json') {
  const response = await fetch(base + path, {
    method,
    headers: { 'X-Auth-Token': token, 'Content-Type': type },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
