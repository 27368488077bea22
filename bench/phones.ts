// Phone directory bench: lookups per second through a desk-phone view (Yealink, on the phone API
// listener) against the JSON lookup, on the same dird, the same csv and the same terms, in alternating
// rounds. `node dist/bench/phones.js` runs it alone; `npm run bench` runs it after the rest.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { api as request, fmt, freePort, startBenchDird, stopChild, type BenchDird } from './common.js';
import { drive, type LoadFigures } from './load.js';

export interface PhoneBenchOptions {
  seconds: number;
  connections: number;
  rounds: number;
  contacts: number;
}

async function waitFor(url: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer in 30 s`);
}

export async function benchPhones(options: PhoneBenchOptions): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-phones-'));
  let dird: BenchDird | null = null;
  try {
    const file = join(work, 'contacts.csv');
    const rows = ['id,firstname,lastname,number,mobile'];
    for (let i = 0; i < options.contacts; i++) rows.push(`${i},First${i},Last${i},${33100000000 + i},+33(0)6${String(i).padStart(8, '0')}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const phonePort = await freePort();
    dird = await startBenchDird(work, { phone_api: { listen: '127.0.0.1', port: phonePort, authorized_subnets: ['127.0.0.1/32'] } });
    const { base, token, user } = dird;
    const api = (method: string, path: string, body?: unknown) => request(base, token, method, path, body);
    const phones = `http://127.0.0.1:${phonePort}`;

    const display = await api('POST', '/0.1/displays', {
      name: 'phones', columns: [
        { title: 'Name', field: 'name', type: 'name' },
        { title: 'Number', field: 'number', type: 'number' },
        { title: 'Mobile', field: 'mobile', type: 'number' },
      ],
    });
    const csv = await api('POST', '/0.1/backends/csv/sources', {
      name: 'contacts', file, unique_column: 'id', searched_columns: ['lastname'], format_columns: { name: '{firstname} {lastname}' },
    });
    await api('POST', '/0.1/profiles', {
      name: 'bench', display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: csv.uuid }], options: { timeout: 2 } } },
    });
    // `Last<n>` matches one to a few hundred contacts (Last42, Last420…), as an as-you-type search does.
    const terms = Array.from({ length: 1000 }, (_, i) => `Last${(i * 97) % options.contacts}`);
    const jsonPaths = terms.map((term) => `/0.1/directories/lookup/bench/${user}?term=${term}`);
    const phonePaths = terms.map((term) => `/0.1/yealink/directories/lookup/bench?xivo_user_uuid=${user}&term=${term}`);
    await waitFor(phones + phonePaths[0]);
    const check = await (await fetch(phones + phonePaths[1])).text();
    if (!check.includes('<DirectoryEntry>')) throw new Error(`the phone view answered ${check.slice(0, 300)}`);

    // Same headers on both sides (the phone API ignores the token): the load generator costs both alike.
    const load = { seconds: options.seconds, connections: options.connections, headers: { 'X-Auth-Token': token } };
    const runs: [LoadFigures, LoadFigures][] = [];
    for (let round = 0; round < options.rounds; round++) {
      runs.push([await drive(base, { ...load, paths: jsonPaths }), await drive(phones, { ...load, paths: phonePaths })]);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const pick = (side: 0 | 1) => runs.map((run) => run[side]).sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)];
    const [json, phone] = [pick(0), pick(1)];
    const ratio = median(runs.map(([j, p]) => p.rps / j.rps));
    console.log(`JSON lookup, ${fmt(options.contacts)}-contact csv:   ${fmt(json.rps)} req/s  p50 ${json.p50} ms  p99 ${json.p99} ms  errors ${json.errors + json.non2xx}`);
    console.log(`yealink phone view, same lookups: ${fmt(phone.rps)} req/s  p50 ${phone.p50} ms  p99 ${phone.p99} ms  errors ${phone.errors + phone.non2xx}`);
    console.log(`  phone view / JSON lookup:       ${fmt(ratio * 100, 1)} %  (rounds: ${runs.map(([j, p]) => fmt((p.rps / j.rps) * 100, 0)).join(', ')} %)`);
  } finally {
    if (dird) await stopChild(dird.child);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchPhones({ seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32, rounds: 3, contacts: 5_000 });
}
