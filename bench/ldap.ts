// LDAP reverse lookups: dird's HTTP reverse route against a real slapd holding 25,000 people, next to
// the raw rate of ldapts asking that slapd the same question, rounds alternating between the two. The raw
// rate stays one search per lookup: the honest baseline for dird, which merges concurrent lookups.
// `node dist/bench/ldap.js` runs it alone; bench/run.ts calls benchLdap().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'ldapts';
import { MAX_BATCH } from '../plugins/backends/ldap/index.js';
import { PEOPLE_DN, person, startSlapd } from '../test/helpers/slapd.js';
import { api as request, fmt, startBenchDird, stopChild, type BenchDird } from './common.js';
import { drive, type LoadFigures } from './load.js';

const ENTRIES = 25_000;
/** Same as dird's ldap pool, so both sides may keep as many requests in flight on as many connections. */
const LDAP_CONNECTIONS = 2;

const number = (i: number) => String(33200000000 + i);

export interface LdapBenchOptions {
  seconds: number;
  /** HTTP connections, and LDAP requests in flight for the raw rate. */
  connections: number;
  rounds: number;
}

export async function benchLdap(options: LdapBenchOptions = { seconds: 5, connections: 32, rounds: 3 }): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-ldap-'));
  const entries = Array.from({ length: ENTRIES }, (_, i) =>
    person(`p${i}`, { cn: `First${i} Last${i}`, givenName: `First${i}`, sn: `Last${i}`, telephoneNumber: number(i), mobile: number(ENTRIES + i) }));
  const slapd = await startSlapd({ entries, sizeLimit: 500 });
  let dird: BenchDird | null = null;
  try {
    dird = await startBenchDird(work);
    const paths = await setUp(dird, slapd.url);
    const extens = paths.map((path) => path.slice(path.indexOf('exten=') + 6));
    const rounds: Array<{ raw: LoadFigures; reverse: LoadFigures }> = [];
    for (let round = 0; round < options.rounds; round++) {
      const raw = await rawRate(slapd.url, extens, options);
      const reverse = await drive(dird.base, { seconds: options.seconds, connections: options.connections, headers: { 'X-Auth-Token': dird.token }, paths });
      rounds.push({ raw, reverse });
    }
    const median = <T>(values: T[], by: (value: T) => number) => [...values].sort((a, b) => by(a) - by(b))[Math.floor(values.length / 2)];
    const raw = median(rounds.map((r) => r.raw), (f) => f.rps);
    const reverse = median(rounds.map((r) => r.reverse), (f) => f.rps);
    const ratios = rounds.map((r) => r.reverse.rps / r.raw.rps);
    console.log(`ldapts → slapd, reverse filter:  ${fmt(raw.rps)} searches/s  p50 ${fmt(raw.p50, 2)} ms  p99 ${fmt(raw.p99, 2)} ms  ` +
      `(${options.connections} in flight on ${LDAP_CONNECTIONS} connections, ${fmt(ENTRIES)} entries)`);
    console.log(`reverse through dird, ldap:      ${fmt(reverse.rps)} req/s  p50 ${reverse.p50} ms  p99 ${reverse.p99} ms  errors ${reverse.errors + reverse.non2xx}`);
    console.log(`  dird / raw ldapts:             ${fmt(median(ratios, (x) => x) * 100, 1)} %  (rounds: ${ratios.map((r) => fmt(r * 100, 0)).join(', ')} %)  target ≥ 70 %`);
    console.log(`  (dird merges the reverse lookups that reach a source together into one search, up to ${MAX_BATCH} numbers ORed;` +
      ' the raw rate is one search per lookup)');
    // The same 1,000 numbers through a twin source with the reverse cache on: the warm-up fills it.
    const cachedPaths = await setUp(dird, slapd.url, 'ldapcached', { reverse_cache: { ttl: 300 } });
    const cached = await drive(dird.base, { seconds: options.seconds, connections: options.connections, headers: { 'X-Auth-Token': dird.token }, paths: cachedPaths });
    console.log(`reverse through dird, ldap, cached: ${fmt(cached.rps)} req/s  p50 ${cached.p50} ms  p99 ${cached.p99} ms  errors ${cached.errors + cached.non2xx}  ` +
      `(${fmt(cached.rps / reverse.rps, 1)} × uncached; 1,000 numbers, all known after the warm-up)`);
  } finally {
    if (dird) await stopChild(dird.child);
    await slapd.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Searches/s of the exact question dird's reverse asks (same filter, attributes, size limit). */
async function rawRate(url: string, extens: string[], options: LdapBenchOptions): Promise<LoadFigures> {
  const clients = Array.from({ length: LDAP_CONNECTIONS }, () => new Client({ url, timeout: 5000 }));
  const search = (client: Client, exten: string) => client.search(PEOPLE_DN, {
    scope: 'sub', filter: `(|(telephoneNumber=${exten})(mobile=${exten}))`, sizeLimit: 1, attributes: ['cn', 'entryUUID'],
  });
  const run = async (seconds: number) => {
    const latencies: number[] = [];
    let next = 0;
    let errors = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(Array.from({ length: options.connections }, async (_, lane) => {
      const client = clients[lane % clients.length];
      while (performance.now() < end) {
        const started = performance.now();
        try {
          const { searchEntries } = await search(client, extens[next++ % extens.length]);
          if (searchEntries.length !== 1) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - started);
      }
    }));
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors, non2xx: 0 };
  };
  // Connect before the lanes start: concurrent first calls would each open a socket.
  await Promise.all(clients.map((client) => client.bind('', '')));
  try {
    await run(2);
    return await run(options.seconds);
  } finally {
    await Promise.all(clients.map((client) => client.unbind().catch(() => {})));
  }
}

async function setUp(dird: BenchDird, ldapUri: string, profile = 'ldap', extra: Record<string, unknown> = {}) {
  const api = (method: string, path: string, body?: unknown) => request(dird.base, dird.token, method, path, body);
  const display = await api('POST', '/0.1/displays', { name: profile, columns: [{ title: 'Name', field: 'name' }] });
  const source = await api('POST', '/0.1/backends/ldap/sources', {
    ...extra,
    name: `people-${profile}`, ldap_uri: ldapUri, ldap_base_dn: PEOPLE_DN, unique_column: 'entryUUID',
    searched_columns: ['cn'], first_matched_columns: ['telephoneNumber', 'mobile'],
    format_columns: { name: '{cn}', reverse: '{cn}' },
    // Generous, so that no answer under load is an empty one after a timeout (a failure would be logged).
    ldap_network_timeout: 5, ldap_timeout: 5,
  });
  await api('POST', '/0.1/profiles', {
    name: profile, display: { uuid: display.uuid },
    services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
  });
  // The first call also starts the source's sandbox.
  let check: any = null;
  for (let attempt = 0; attempt < 5 && check?.display !== 'First4242 Last4242'; attempt++) {
    check = await api('GET', `/0.1/directories/reverse/${profile}/${dird.user}?exten=${number(4242)}`);
  }
  if (check.display !== 'First4242 Last4242') throw new Error(`reverse answered ${JSON.stringify(check)}`);
  return Array.from({ length: 1000 }, (_, i) => `/0.1/directories/reverse/${profile}/${dird.user}?exten=${number((i * 97) % ENTRIES)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchLdap({ seconds: Number(process.env.BENCH_SECONDS ?? 5), connections: 32, rounds: 3 });
}
