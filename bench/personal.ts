// Reverse lookup through a personal source: req/s and p99 of GET /directories/reverse/<profile>/<user>
// against the caller's 1,000 personal contacts. Run alone with `node dist/bench/personal.js`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { api, fmt, startBenchDird, stopChild, type BenchDird } from './common.js';
import { drive } from './load.js';

const CONTACTS = 1000;
const number = (i: number) => String(33200000000 + i);

async function setUp({ base, token, user }: BenchDird): Promise<string[]> {
  const call = (method: string, path: string, body?: unknown, type?: string) => api(base, token, method, path, body, type);
  const rows = Array.from({ length: CONTACTS }, (_, i) => `First${i},Last${i},${number(i)}`);
  const imported = await call('POST', '/0.1/personal/import', ['firstname,lastname,number', ...rows].join('\n'), 'text/csv');
  if (imported.created.length !== CONTACTS) throw new Error(`imported ${imported.created.length} contacts`);
  const source = await call('POST', '/0.1/backends/personal/sources', {
    name: 'personal', searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
    format_columns: { reverse: '{firstname} {lastname}' },
  });
  const display = await call('POST', '/0.1/displays', { name: 'bench', columns: [{ title: 'Name', field: 'reverse' }] });
  await call('POST', '/0.1/profiles', {
    name: 'personal', display: { uuid: display.uuid },
    services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 1 } } },
  });
  const check = await call('GET', `/0.1/directories/reverse/personal/${user}?exten=${number(421)}`);
  if (check.display !== 'First421 Last421') throw new Error(`reverse answered ${JSON.stringify(check)}`);
  return Array.from({ length: 1000 }, (_, i) => `/0.1/directories/reverse/personal/${user}?exten=${number((i * 97) % CONTACTS)}`);
}

/** Prints the personal-source reverse figures; `seconds`/`connections` as the main bench uses. */
export async function benchPersonal(seconds = Number(process.env.BENCH_SECONDS ?? 5), connections = 32): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-personal-'));
  let dird: BenchDird | null = null;
  try {
    dird = await startBenchDird(work);
    const paths = await setUp(dird);
    const figures = await drive(dird.base, { seconds, connections, headers: { 'X-Auth-Token': dird.token }, paths });
    console.log(`reverse, 1k-contact personal:   ${fmt(figures.rps)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  ` +
      `errors ${figures.errors + figures.non2xx}  (SQLite)`);
  } finally {
    if (dird) await stopChild(dird.child);
    rmSync(work, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchPersonal();
