// `npm run bench`: the figures of the README's performance section, measured in one run on 127.0.0.1.
// The load generator shares the machine's cores with the server: compare ratios, not absolute rates.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { packageRoot } from '../src/config/load.js';
import type { SourceConfig } from '../src/contracts.js';
import { makeResultBuilder } from '../src/result.js';
import { SandboxedSource } from '../host/sources/sandboxed-source.js';
import { defaults } from '../src/config/defaults.js';
import { api as request, BENCH_TENANT, BENCH_TOKEN, BENCH_USER, fmt, freePort, startBenchDird, stopChild } from './common.js';
import { drive, percentiles, type LoadFigures } from './load.js';
import { benchPersonal } from './personal.js';
import { benchPhonebook } from './phonebook.js';
import { benchGraphql } from './graphql.js';
import { benchLdap } from './ldap.js';
import { benchPhones } from './phones.js';
import { benchWazoProfile } from './wazo-profile.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
/** BENCH_REVERSE_ONLY=1 stops after the reverse figures (hello, exact, e164): for profiling them. */
const REVERSE_ONLY = process.env.BENCH_REVERSE_ONLY === '1';
const ROUNDS = 3;
const CONNECTIONS = 32;
const CONTACTS = 100_000;
const [TOKEN, TENANT, USER] = [BENCH_TOKEN, BENCH_TENANT, BENCH_USER];

const work = mkdtempSync(join(tmpdir(), 'dird-bench-'));
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

const number = (i: number) => String(33100000000 + i);

function writeContacts(): string {
  const file = join(work, 'contacts.csv');
  const rows = ['id,firstname,lastname,number'];
  for (let i = 0; i < CONTACTS; i++) rows.push(`${i},First${i},Last${i},${number(i)}`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

/** The e164 figure's contacts: French numbers stored in national form, `01 00 00 42 42`. */
const nationalDigits = (i: number) => String(100_000_000 + i);
function writeNationalContacts(): string {
  const file = join(work, 'national.csv');
  const rows = ['id,firstname,lastname,number'];
  for (let i = 0; i < CONTACTS; i++) rows.push(`${i},First${i},Last${i},${`0${nationalDigits(i)}`.replace(/(\d\d)(?=\d)/g, '$1 ')}`);
  writeFileSync(file, rows.join('\n') + '\n');
  return file;
}

function start(args: string[], readyLine: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stdout!.on('data', (chunk) => {
      seen += chunk;
      if (readyLine.test(seen)) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${seen.slice(-500)}`)));
  });
}

async function startHello() {
  const port = await freePort();
  const child = await start([join(packageRoot, 'dist/bench/hello-server.js'), String(port)], /http:/);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** Rounds alternate between the servers, so a machine whose speed drifts affects them alike. */
async function alternate(rounds: number, loads: Array<() => Promise<LoadFigures>>) {
  const results: LoadFigures[][] = [];
  for (let round = 0; round < rounds; round++) {
    const row: LoadFigures[] = [];
    for (const load of loads) row.push(await load());
    results.push(row);
  }
  const middle = <T>(values: T[], by: (value: T) => number) => [...values].sort((x, y) => by(x) - by(y))[Math.floor(values.length / 2)];
  const medians = loads.map((_, i) => middle(results.map((row) => row[i]), (figures) => figures.rps));
  /** Median over rounds of load i's rate over load j's, and each round's. */
  const ratio = (i: number, j: number) => {
    const each = results.map((row) => row[i].rps / row[j].rps);
    return { median: middle(each, (x) => x), each };
  };
  return { medians, ratio };
}

async function setUpReverse(base: string, file: string) {
  const display = await request(base, TOKEN, 'POST', '/0.1/displays', { name: 'bench', columns: [{ title: 'Name', field: 'name' }] });
  const csv = await request(base, TOKEN, 'POST', '/0.1/backends/csv/sources', {
    name: 'contacts', file, unique_column: 'id', searched_columns: ['lastname'], first_matched_columns: ['number'],
    format_columns: { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
  });
  await request(base, TOKEN, 'POST', '/0.1/profiles', {
    name: 'bench', display: { uuid: display.uuid },
    services: { reverse: { sources: [{ uuid: csv.uuid }], options: { timeout: 1 } } },
  });
  // The first call starts the source's sandbox, which reads 100,000 rows: wait for it (bounded).
  let check: any = null;
  for (let attempt = 0; attempt < 30 && check?.display !== 'First4242 Last4242'; attempt++) {
    check = await request(base, TOKEN, 'GET', `/0.1/directories/reverse/bench/${USER}?exten=${number(4242)}`);
  }
  if (check.display !== 'First4242 Last4242') throw new Error(`reverse answered ${JSON.stringify(check)}`);
  return Array.from({ length: 1000 }, (_, i) => `/0.1/directories/reverse/bench/${USER}?exten=${number((i * 97) % CONTACTS)}`);
}

/** The same reverse with e164 matching: numbers asked as `+33100004242` find `01 00 00 42 42`. */
async function setUpE164Reverse(base: string, file: string) {
  const csv = await request(base, TOKEN, 'POST', '/0.1/backends/csv/sources', {
    name: 'national', file, unique_column: 'id', first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' },
  });
  const profile = (timeout: number) => ({
    name: 'bench_e164', services: { reverse: { sources: [{ uuid: csv.uuid }], options: { timeout, number_matching: 'e164', default_region: 'FR' } } },
  });
  // The first e164 lookup builds the source's number index: let it take its time once, then the bench timeout.
  const created = await request(base, TOKEN, 'POST', '/0.1/profiles', profile(30));
  const check = await request(base, TOKEN, 'GET', `/0.1/directories/reverse/bench_e164/${USER}?exten=%2B33${nationalDigits(4242)}`);
  if (check.display !== 'First4242 Last4242') throw new Error(`e164 reverse answered ${JSON.stringify(check)}`);
  await request(base, TOKEN, 'PUT', `/0.1/profiles/${created.uuid}`, profile(1));
  return Array.from({ length: 1000 }, (_, i) => `/0.1/directories/reverse/bench_e164/${USER}?exten=%2B33${nationalDigits((i * 97) % CONTACTS)}`);
}

async function fanOut(base: string) {
  const sources = [];
  for (let i = 0; i < 5; i++) {
    const source = await request(base, TOKEN, 'POST', '/0.1/backends/bench_slow/sources', { name: `slow${i}`, delay_ms: 50, searched_columns: ['name'] });
    sources.push({ uuid: source.uuid });
  }
  const display = await request(base, TOKEN, 'POST', '/0.1/displays', { name: 'fanout', columns: [{ title: 'Name', field: 'name' }] });
  await request(base, TOKEN, 'POST', '/0.1/profiles', {
    name: 'fanout', display: { uuid: display.uuid }, services: { lookup: { sources, options: { timeout: 2 } } },
  });
  const samples: number[] = [];
  for (let i = 0; i < 105; i++) {
    const started = performance.now();
    const body = await request(base, TOKEN, 'GET', '/0.1/directories/lookup/fanout?term=x');
    if (body.results.length !== 5) throw new Error(`fan-out answered ${body.results.length} results`);
    if (i >= 5) samples.push(performance.now() - started);
  }
  return percentiles(samples);
}

/** The same firstMatch on the same csv: in process, from the answers it publishes, and through its worker. */
async function workerHop(file: string) {
  const source: SourceConfig = {
    uuid: 'hop', tenant_uuid: TENANT, name: 'hop', backend: 'csv', file, separator: ',', unique_column: 'id',
    searched_columns: [], first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' },
  };
  const modulePath = join(packageRoot, 'dist/plugins/backends/csv/index.js');
  const Csv = (await import(pathToFileURL(modulePath).href)).default;
  const direct = new Csv();
  await direct.load({ config: source, main_config: {}, host: { log: async () => {} } });
  const build = makeResultBuilder({ source });
  const args = { token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null };
  const sandboxed = (shared_answers: boolean) =>
    new SandboxedSource(source, modulePath, { ...defaults.sandbox, shared_answers }, {}, pino({ level: 'silent' }));
  const [published, worker] = [sandboxed(true), sandboxed(false)];
  const far = () => Date.now() + 5000;
  await Promise.all([worker.firstMatch(number(1), args, far()), published.firstMatch(number(1), args, far()), direct.firstMatch(number(1), args)]);
  // The published answers of 100,000 rows are encoded in the background: well under this.
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const time = async (call: (exten: string) => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const started = performance.now();
      await call(number(i));
      samples.push((performance.now() - started) * 1000);
    }
    return percentiles(samples);
  };
  const inProcess = await time(async (exten) => build((await direct.firstMatch(exten, args))!));
  const fromAnswers = await time((exten) => published.firstMatch(exten, args, far()));
  const throughWorker = await time((exten) => worker.firstMatch(exten, args, far()));
  await Promise.all([published.close(), worker.close()]);
  return { inProcess, fromAnswers, throughWorker };
}

async function main() {
  console.log(`dird bench — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; ` +
    `${ROUNDS} alternating rounds of ${SECONDS} s per server, ${CONNECTIONS} connections, medians shown`);
  const file = writeContacts();
  const hello = await startHello();
  const dird = await startBenchDird(work, { plugin_paths: [join(packageRoot, 'bench/plugins')] });
  children.push(dird.child);
  const paths = await setUpReverse(dird.base, file);
  const e164Paths = await setUpE164Reverse(dird.base, writeNationalContacts());
  const load = { seconds: SECONDS, connections: CONNECTIONS };
  // Same requests everywhere (the load generator's own cost must not favour one side).
  const headers = { 'X-Auth-Token': TOKEN };
  const { medians, ratio } = await alternate(ROUNDS, [
    () => drive(hello.url, { ...load, headers, paths: paths.map((path) => `/hello${path.slice(path.indexOf('?'))}`) }),
    () => drive(hello.url, { ...load, headers, paths }),
    () => drive(dird.base, { ...load, headers, paths }),
    () => drive(dird.base, { ...load, headers, paths: e164Paths }),
  ]);
  await stopChild(hello.child);
  const [bare, shaped, reverse, e164] = medians;
  const percent = ({ median, each }: { median: number; each: number[] }) =>
    `${fmt(median * 100, 1)} %  (rounds: ${each.map((r) => fmt(r * 100, 0)).join(', ')} %)`;
  console.log(`bare fastify hello:             ${fmt(bare.rps)} req/s  p50 ${bare.p50} ms  p99 ${bare.p99} ms`);
  console.log(`fastify, reverse-shaped route:  ${fmt(shaped.rps)} req/s  p50 ${shaped.p50} ms  p99 ${shaped.p99} ms  (nothing behind it)`);
  console.log(`reverse, 100k-contact csv:      ${fmt(reverse.rps)} req/s  p50 ${reverse.p50} ms  p99 ${reverse.p99} ms  errors ${reverse.errors + reverse.non2xx}`);
  console.log(`  reverse / bare fastify:       ${percent(ratio(2, 0))}  target ≥ 80 %`);
  console.log(`reverse, same csv, e164 (FR):   ${fmt(e164.rps)} req/s  p50 ${e164.p50} ms  p99 ${e164.p99} ms  errors ${e164.errors + e164.non2xx}  ` +
    `(asked +33…, stored 01 00 …)`);
  console.log(`  e164 reverse / bare fastify:  ${percent(ratio(3, 0))}  target ≥ 80 %;  e164 / exact: ${percent(ratio(3, 2))}`);
  console.log(`  shaped route / bare fastify:  ${percent(ratio(1, 0))}  (the framework's share of the gap)`);
  console.log(`  reverse / shaped route:       ${percent(ratio(2, 1))}  (dird's own share: auth, profiles, sandbox)`);
  if (REVERSE_ONLY) return stopChild(dird.child);
  const fan = await fanOut(dird.base);
  console.log(`lookup over 5 × 50 ms sources:  p50 ${fmt(fan.p50, 1)} ms  p99 ${fmt(fan.p99, 1)} ms  (target p50 ≤ 70 ms; sequential would be 250 ms)`);
  await benchPhonebook(dird.base, { token: TOKEN, user: USER, seconds: SECONDS, connections: CONNECTIONS });
  await benchGraphql(dird.base, TOKEN, work, SECONDS);
  await stopChild(dird.child);
  const hop = await workerHop(file);
  console.log(`csv firstMatch in process:      p50 ${fmt(hop.inProcess.p50, 1)} µs  p99 ${fmt(hop.inProcess.p99, 1)} µs`);
  console.log(`csv firstMatch, published:     p50 ${fmt(hop.fromAnswers.p50, 1)} µs  p99 ${fmt(hop.fromAnswers.p99, 1)} µs  (read by the host)`);
  console.log(`csv firstMatch through worker: p50 ${fmt(hop.throughWorker.p50, 1)} µs  p99 ${fmt(hop.throughWorker.p99, 1)} µs  (shared_answers: false)`);
  console.log(`  worker hop adds:              p50 ${fmt(hop.throughWorker.p50 - hop.inProcess.p50, 1)} µs`);
  await benchPersonal(SECONDS, CONNECTIONS);
  await benchLdap({ seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS });
  await benchWazoProfile(SECONDS, false);
  await benchWazoProfile(SECONDS, true);
  await benchPhones({ seconds: SECONDS, connections: CONNECTIONS, rounds: ROUNDS, contacts: 5_000 });
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
