// Wazo's own published load profile for wazo-dird: one profile with a 25,000-contact phonebook, the
// caller's 1,000 personal contacts, wazo users and conferences from a wazo-confd, and two sources that
// find nothing fast (google and office365 for a user with no such account linked); 50 concurrent clients doing
// GraphQL reverse lookups (the Wazo SDK's query) of 1, 5 and 20 numbers. wazo-auth and wazo-confd are
// the tests' stand-ins on 127.0.0.1. `node dist/bench/wazo-profile.js` runs it alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { packageRoot } from '../src/config/load.js';
import { api, fmt, startBenchDird, stopChild, type BenchDird } from './common.js';

const PHONEBOOK = 25_000;
const PERSONAL = 1_000;
const CONFD_USERS = 200;
const CONFERENCES = 20;
const CLIENTS = 50;
/** Numbers per query; BENCH_WAZO_SIZES=20 runs one size alone (for profiling). */
const SIZES = (process.env.BENCH_WAZO_SIZES ?? '1,5,20').split(',').map(Number);
const QUERY = `query GetMultipleContacts($profile: String!, $numbers: [String!]!) {
  me { contacts(profile: $profile, extens: $numbers) { edges { node { firstname lastname wazoReverse wazoSourceName wazoSourceEntryId } } } }
}`;

// Stand-ins' data (bench/wazo-stand-ins.ts): user i has exten 1000 + i, conference i 4000 + i.
const phonebookNumber = (i: number) => String(44300000000 + i);
const personalNumber = (i: number) => String(33300000000 + i);
const userExten = (i: number) => String(1000 + i);
const conferenceExten = (i: number) => String(4000 + i);

/** A caller's number as a PBX sees them: mostly the phonebook, then personal contacts, colleagues, unknowns. */
function callerNumber(k: number): string {
  const pick = k % 10;
  const spread = (k * 7919) >>> 0;
  if (pick < 5) return phonebookNumber(spread % PHONEBOOK);
  if (pick < 7) return personalNumber(spread % PERSONAL);
  if (pick === 7) return userExten(spread % CONFD_USERS);
  if (pick === 8) return conferenceExten(spread % CONFERENCES);
  return String(33900000000 + (spread % 100_000));
}

/** `cached`: dird's reverse cache on for the remote sources (wazo, conference, google, office365). */
export async function benchWazoProfile(seconds = 5, cached = false): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-wazo-'));
  const standIns = spawn(process.execPath, [join(packageRoot, 'dist/bench/wazo-stand-ins.js'), String(CONFD_USERS), String(CONFERENCES), 'dird-service', 'bench-pw', '00000000-0000-4000-8000-0000000000be'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ports: { auth: number; confd: number } = await new Promise((resolve, reject) => {
    standIns.stdout!.once('data', (line) => resolve(JSON.parse(String(line))));
    standIns.once('exit', (code) => reject(new Error(`the stand-ins exited with ${code}`)));
  });
  let dird: BenchDird | null = null;
  try {
    dird = await startBenchDird(work, cached ? { reverse_cache: { enabled: true } } : {});
    await setUp(dird, ports.auth, ports.confd);
    console.log(`wazo load profile: ${fmt(PHONEBOOK)} phonebook + ${fmt(PERSONAL)} personal contacts, ${CONFD_USERS} wazo users, ` +
      `${CONFERENCES} conferences, 2 fail-fast sources; GraphQL reverse, ${CLIENTS} clients; ` +
      (cached ? 'reverse cache on for the remote sources:' : 'no cache (as upstream):'));
    for (const size of SIZES) {
      const figures = await drive(dird, size, seconds);
      console.log(`  ${String(size).padStart(2)} number${size === 1 ? ' ' : 's'} per query:            ${fmt(figures.rps)} req/s  ` +
        `p50 ${figures.p50} ms  p99 ${figures.p99} ms  errors ${figures.errors}  (target p50 ≤ 20 ms, p99 ≤ 50 ms)`);
    }
  } finally {
    if (dird) await stopChild(dird.child);
    await stopChild(standIns);
    rmSync(work, { recursive: true, force: true });
  }
}

export async function setUp(dird: BenchDird, authPort: number, confdPort: number): Promise<void> {
  const call = (method: string, path: string, body?: unknown, type?: string) => api(dird.base, dird.token, method, path, body, type);
  const book = await call('POST', '/0.1/phonebooks', { name: 'company' });
  const bookRows = Array.from({ length: PHONEBOOK }, (_, i) => `First${i},Book${i},${phonebookNumber(i)}`);
  await call('POST', `/0.1/phonebooks/${book.uuid}/contacts/import`, ['firstname,lastname,number', ...bookRows].join('\n'), 'text/csv; charset=utf-8');
  const personalRows = Array.from({ length: PERSONAL }, (_, i) => `Friend${i},Personal${i},${personalNumber(i)}`);
  await call('POST', '/0.1/personal/import', ['firstname,lastname,number', ...personalRows].join('\n'), 'text/csv');

  const reverse = { reverse: '{firstname} {lastname}' };
  const wazoAuth = { host: '127.0.0.1', port: authPort, https: false, prefix: null };
  const serviceAuth = { ...wazoAuth, username: 'dird-service', password: 'bench-pw' };
  const confd = { host: '127.0.0.1', port: confdPort, https: false, prefix: null };
  const sources = await Promise.all([
    call('POST', '/0.1/backends/phonebook/sources', { phonebook_uuid: book.uuid, first_matched_columns: ['number'], format_columns: reverse }),
    call('POST', '/0.1/backends/personal/sources', { name: 'personal', first_matched_columns: ['number'], format_columns: reverse }),
    call('POST', '/0.1/backends/wazo/sources', { name: 'wazo', auth: serviceAuth, confd, first_matched_columns: ['exten'], format_columns: reverse }),
    call('POST', '/0.1/backends/conference/sources', { name: 'conferences', auth: serviceAuth, confd, first_matched_columns: ['extensions', 'incalls'], format_columns: { reverse: '{name}' } }),
    call('POST', '/0.1/backends/google/sources', { name: 'google', auth: wazoAuth, first_matched_columns: ['numbers'], format_columns: reverse }),
    call('POST', '/0.1/backends/office365/sources', { name: 'office365', auth: wazoAuth, first_matched_columns: ['numbers'], format_columns: reverse }),
  ]);
  // As Wazo provisions a tenant's default profile: every source, reverse timeout 0.5 s.
  await call('POST', '/0.1/profiles', {
    name: 'wazo', services: { reverse: { sources: sources.map(({ uuid }) => ({ uuid })), options: { timeout: 0.5 } } },
  });
  // Sandboxes start and fetch their first service token on first use: wait (bounded) until every kind answers.
  const probe = [phonebookNumber(42), personalNumber(42), userExten(42), conferenceExten(4)];
  const complete = (answer: any) => (answer?.data?.me?.contacts?.edges ?? []).filter((edge: any) => edge.node).length === probe.length;
  let answer: any = null;
  for (let attempt = 0; attempt < 50 && !complete(answer); attempt++) {
    answer = await call('POST', '/0.1/graphql', { query: QUERY, variables: { profile: 'wazo', numbers: probe } });
    if (!complete(answer)) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!complete(answer)) throw new Error(`graphql answered ${JSON.stringify(answer).slice(0, 400)}`);
}

async function drive(dird: BenchDird, size: number, seconds: number) {
  const bodies = Array.from({ length: 500 }, (_, q) =>
    JSON.stringify({ query: QUERY, variables: { profile: 'wazo', numbers: Array.from({ length: size }, (_, n) => callerNumber(q * size + n)) } }));
  const run = (duration: number) => {
    let next = 0;
    return autocannon({
      url: `${dird.base}/0.1/graphql`, connections: CLIENTS, duration, method: 'POST',
      headers: { 'X-Auth-Token': dird.token, 'Content-Type': 'application/json' },
      requests: [{ setupRequest: (request: any) => ({ ...request, method: 'POST', body: bodies[next++ % bodies.length] }) }],
    });
  };
  await run(2);
  const result = await run(seconds);
  return {
    rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchWazoProfile(Number(process.env.BENCH_SECONDS ?? 5), false);
  await benchWazoProfile(Number(process.env.BENCH_SECONDS ?? 5), true);
}
