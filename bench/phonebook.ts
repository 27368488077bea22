// Phonebook figures: (1) reverse lookups through dird against a 25,000-contact phonebook source,
// (2) the time to import those 25,000 contacts from CSV through the HTTP route.
// Called by run.ts against its dird; `node dist/bench/phonebook.js` runs it alone on its own dird.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, startBenchDird, stopChild } from './common.js';
import { drive } from './load.js';

const CONTACTS = 25_000;
const number = (i: number) => String(44200000000 + i);

export interface PhonebookBenchOptions {
  token: string;
  user: string;
  seconds: number;
  connections: number;
}

export async function benchPhonebook(base: string, options: PhonebookBenchOptions): Promise<void> {
  const headers = { 'X-Auth-Token': options.token };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(base + path, { method, headers: { ...headers, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  };

  const book = await api('POST', '/0.1/phonebooks', { name: 'bench phonebook' });
  const rows = ['firstname,lastname,number,email'];
  for (let i = 0; i < CONTACTS; i++) rows.push(`First${i},Last${i},${number(i)},first${i}@example.com`);
  const csv = rows.join('\n') + '\n';
  const started = performance.now();
  const response = await fetch(`${base}/0.1/phonebooks/${book.uuid}/contacts/import`, {
    method: 'POST', headers: { ...headers, 'Content-Type': 'text/csv; charset=utf-8' }, body: csv,
  });
  const importMs = performance.now() - started;
  const imported = await response.json() as { created?: unknown[] };
  if (response.status !== 201 || imported.created?.length !== CONTACTS) throw new Error(`import answered ${response.status}`);

  const source = await api('POST', '/0.1/backends/phonebook/sources', {
    phonebook_uuid: book.uuid, searched_columns: ['lastname'], first_matched_columns: ['number'],
    format_columns: { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
  });
  const display = await api('POST', '/0.1/displays', { name: 'bench phonebook', columns: [{ title: 'Name', field: 'name' }] });
  await api('POST', '/0.1/profiles', {
    name: 'bench_pb', display: { uuid: display.uuid },
    services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 1 } } },
  });
  // The source's sandbox starts and loads the phonebook on first use: wait for it (bounded).
  let check: { display?: unknown } = {};
  for (let attempt = 0; attempt < 30 && check.display !== 'First4242 Last4242'; attempt++) {
    check = await api('GET', `/0.1/directories/reverse/bench_pb/${options.user}?exten=${number(4242)}`);
  }
  if (check.display !== 'First4242 Last4242') throw new Error(`phonebook reverse answered ${JSON.stringify(check)}`);
  const paths = Array.from({ length: 1000 }, (_, i) => `/0.1/directories/reverse/bench_pb/${options.user}?exten=${number((i * 97) % CONTACTS)}`);
  const reverse = await drive(base, { seconds: options.seconds, connections: options.connections, headers, paths });

  console.log(`reverse, 25k-contact phonebook: ${fmt(reverse.rps)} req/s  p50 ${reverse.p50} ms  p99 ${reverse.p99} ms  errors ${reverse.errors + reverse.non2xx}`);
  console.log(`phonebook CSV import, 25k rows: ${fmt(importMs / 1000, 2)} s  (${fmt(Buffer.byteLength(csv) / 1e6, 1)} MB over HTTP, SQLite)`);
}

/** Standalone: its own dird on a throwaway SQLite database. */
async function alone(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-pb-'));
  const dird = await startBenchDird(work);
  try {
    await benchPhonebook(dird.base, { token: dird.token, user: dird.user, seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32 });
  } finally {
    await stopChild(dird.child);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await alone();
