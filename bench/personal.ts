// Reverse lookup through a personal source: req/s and p99 of GET /directories/reverse/<profile>/<user>
// against the caller's 1,000 personal contacts (the back-end reads them through the host's `personal`
// capability, one indexed query per call). Run alone with `node dist/bench/personal.js`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../src/config/load.js';
import { drive } from './load.js';

const CONTACTS = 1000;
const TOKEN = 'bench-personal-token';
const TENANT = '00000000-0000-4000-8000-0000000000ce';
const USER = '00000000-0000-4000-8000-0000000000cf';
const number = (i: number) => String(33200000000 + i);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function call(base: string, method: string, path: string, body?: string, type = 'application/json') {
  const response = await fetch(base + path, { method, headers: { 'X-Auth-Token': TOKEN, 'Content-Type': type }, body });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function startDird(work: string): Promise<{ child: ChildProcess; base: string }> {
  const port = await freePort();
  const config = join(work, 'config.yml');
  writeFileSync(config, JSON.stringify({
    rest_api: { listen: '127.0.0.1', port },
    db_uri: `sqlite:${join(work, 'dird.sqlite')}`,
    log_level: 'warning',
    auth: {
      static_tokens: { [TOKEN]: { user_uuid: USER, tenant_uuid: TENANT, acl: ['dird.#'] } },
      static_tenants: [{ uuid: TENANT, name: 'bench', parent_uuid: null }],
    },
  }));
  const child = spawn(process.execPath, [join(packageRoot, 'dist/host/main.js'), '-c', config], { stdio: 'inherit' });
  const base = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(`${base}/0.1/status`, { headers: { 'X-Auth-Token': TOKEN } }).then((r) => r.ok, () => false)) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error('dird did not become ready in 30 s');
}

async function setUp(base: string): Promise<string[]> {
  const rows = Array.from({ length: CONTACTS }, (_, i) => `First${i},Last${i},${number(i)}`);
  const imported = await call(base, 'POST', '/0.1/personal/import', ['firstname,lastname,number', ...rows].join('\n'), 'text/csv');
  if (imported.created.length !== CONTACTS) throw new Error(`imported ${imported.created.length} contacts`);
  const source = await call(base, 'POST', '/0.1/backends/personal/sources', JSON.stringify({
    name: 'personal', searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
    format_columns: { reverse: '{firstname} {lastname}' },
  }));
  const display = await call(base, 'POST', '/0.1/displays', JSON.stringify({ name: 'bench', columns: [{ title: 'Name', field: 'reverse' }] }));
  await call(base, 'POST', '/0.1/profiles', JSON.stringify({
    name: 'personal', display: { uuid: display.uuid },
    services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 1 } } },
  }));
  const check = await call(base, 'GET', `/0.1/directories/reverse/personal/${USER}?exten=${number(421)}`);
  if (check.display !== 'First421 Last421') throw new Error(`reverse answered ${JSON.stringify(check)}`);
  return Array.from({ length: 1000 }, (_, i) => `/0.1/directories/reverse/personal/${USER}?exten=${number((i * 97) % CONTACTS)}`);
}

/** Prints the personal-source reverse figures; `seconds`/`connections` as the main bench uses. */
export async function benchPersonal(seconds = Number(process.env.BENCH_SECONDS ?? 5), connections = 32): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-personal-'));
  let child: ChildProcess | null = null;
  try {
    const dird = await startDird(work);
    child = dird.child;
    const paths = await setUp(dird.base);
    const figures = await drive(dird.base, { seconds, connections, headers: { 'X-Auth-Token': TOKEN }, paths });
    const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
    console.log(`reverse, 1k-contact personal:   ${fmt(figures.rps)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  ` +
      `errors ${figures.errors + figures.non2xx}  (SQLite)`);
  } finally {
    if (child) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchPersonal();
