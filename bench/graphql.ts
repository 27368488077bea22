// GraphQL reverse of 20 numbers across 4 csv sources (the Wazo SDK's findMultipleContactsByNumber),
// p50/p99 at 50 concurrent clients. Called by run.ts against its dird; `node dist/bench/graphql.js`
// runs it alone against a dird of its own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { api, startBenchDird, stopChild } from './common.js';

const SOURCES = 4;
const CONTACTS_PER_SOURCE = 10_000;
const NUMBERS_PER_QUERY = 20;
const CONNECTIONS = 50;
const QUERY = `query GetMultipleContacts($profile: String!, $numbers: [String!]!) {
  me { contacts(profile: $profile, extens: $numbers) { edges { node { firstname lastname wazoReverse wazoSourceName wazoSourceEntryId } } } }
}`;

const number = (source: number, i: number) => String(33200000000 + source * 1_000_000 + i);

/** Query bodies: 5 numbers of each source per query, spread over the files. */
function bodies(): string[] {
  return Array.from({ length: 200 }, (_, q) => {
    const numbers = Array.from({ length: NUMBERS_PER_QUERY }, (_, n) => number(n % SOURCES, (q * 131 + n * 977) % CONTACTS_PER_SOURCE));
    return JSON.stringify({ query: QUERY, variables: { profile: 'graphql-bench', numbers } });
  });
}

export async function benchGraphql(base: string, token: string, work: string, seconds: number): Promise<void> {
  const sources = [];
  for (let s = 0; s < SOURCES; s++) {
    const file = join(work, `graphql-${s}.csv`);
    const rows = ['id,firstname,lastname,number'];
    for (let i = 0; i < CONTACTS_PER_SOURCE; i++) rows.push(`${i},First${i},Source${s},${number(s, i)}`);
    writeFileSync(file, rows.join('\n') + '\n');
    const source = await api(base, token, 'POST', '/0.1/backends/csv/sources', {
      name: `graphql-${s}`, file, unique_column: 'id', first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' },
    });
    sources.push({ uuid: source.uuid });
  }
  await api(base, token, 'POST', '/0.1/profiles', { name: 'graphql-bench', services: { reverse: { sources, options: { timeout: 1 } } } });
  const all = bodies();
  // The sources' sandboxes start on first use: wait (bounded) until every number is found.
  let check: any = null;
  const complete = (answer: any) => {
    const edges = answer?.data?.me?.contacts?.edges ?? [];
    return edges.length === NUMBERS_PER_QUERY && edges.every((edge: any) => edge.node);
  };
  for (let attempt = 0; attempt < 30 && !complete(check); attempt++) {
    check = await api(base, token, 'POST', '/0.1/graphql', JSON.parse(all[1]));
    if (!complete(check)) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (!complete(check)) throw new Error(`graphql answered ${JSON.stringify(check).slice(0, 300)}`);

  const run = async (duration: number) => {
    let next = 0;
    return autocannon({
      url: `${base}/0.1/graphql`, connections: CONNECTIONS, duration, method: 'POST',
      headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
      requests: [{ setupRequest: (request: any) => ({ ...request, method: 'POST', body: all[next++ % all.length] }) }],
    });
  };
  await run(2);
  const result = await run(seconds);
  console.log(`graphql reverse, ${NUMBERS_PER_QUERY} numbers × ${SOURCES} csv sources, ${CONNECTIONS} clients: ` +
    `${Math.round(result.requests.average)} req/s  p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  ` +
    `errors ${result.errors + result.timeouts + result.non2xx}`);
}

/** Alone: a dird of its own with a static token and a throwaway sqlite store. */
async function standalone(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dird-bench-graphql-'));
  const dird = await startBenchDird(work);
  try {
    await benchGraphql(dird.base, dird.token, work, Number(process.env.BENCH_SECONDS ?? 5));
  } finally {
    await stopChild(dird.child);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await standalone();
