// The reverse cache inside dird: configured on a source, serving stale answers while refreshing, over
// REST and GraphQL, and forgotten when the source changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startDird } from '../helpers/dird.js';
import { reverseClient } from './helpers.js';

const work = mkdtempSync(join(tmpdir(), 'dird-revcache-'));
const nameFile = join(work, 'name');
const dird = await startDird();
t.teardown(async () => {
  await dird.close();
  rmSync(work, { recursive: true, force: true });
});
const client = reverseClient(dird);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const fields = { number: '7000', delay_ms: 0, name_file: nameFile, reverse_cache: { ttl: 0.3, stale_ttl: 600, negative_ttl: 600 } };
const cached = await client.source('cached', fields);
await client.profile('cache', [cached], { timeout: 10 });

writeFileSync(nameFile, 'Alice');
for (let attempt = 0; attempt < 50 && (await client.reverse('cache', '7000')) !== 'Alice'; attempt++);

t.test('known numbers answer from the cache, stale ones while a refresh runs', async (t) => {
  writeFileSync(nameFile, 'Bob');
  t.equal(await client.reverse('cache', '7000'), 'Alice', 'within ttl: the cached answer');
  t.same(await client.reverseMany('cache', ['7000']), ['Alice'], 'GraphQL shares the cache');
  await sleep(400);
  t.equal(await client.reverse('cache', '7000'), 'Alice', 'past ttl: the stale answer, refresh started');
  let seen: string | null = null;
  for (let attempt = 0; attempt < 50 && seen !== 'Bob'; attempt++) {
    seen = await client.reverse('cache', '7000');
    if (seen !== 'Bob') await sleep(50);
  }
  t.equal(seen, 'Bob', 'the refreshed answer');
});

t.test('a miss answers null beside a cached match (negative caching: see cache.test)', async (t) => {
  t.equal(await client.reverse('cache', '7001'), null);
  t.same(await client.reverseMany('cache', ['7001', '7000']), [null, 'Bob']);
});

t.test('changing the source forgets its cache', async (t) => {
  writeFileSync(nameFile, 'Carol');
  const headers = { 'x-auth-token': dird.tokens.admin };
  const reply = await dird.inject({ method: 'PUT', url: `/0.1/backends/latency/sources/${cached.uuid}`, headers,
    payload: { name: 'cached', first_matched_columns: ['number'], format_columns: { reverse: '{firstname}' }, ...fields } });
  t.equal(reply.statusCode, 204, reply.body);
  t.equal(await client.reverse('cache', '7000'), 'Carol', 'the back-end was asked again');
});

t.test('cache outcomes are counted in /0.1/metrics', async (t) => {
  const count = async (name: string) => {
    const text = (await dird.inject({ url: '/0.1/metrics', headers: { 'x-auth-token': dird.tokens.admin } })).body;
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(`uuid="${cached.uuid}"`) && l.includes('kind="reverse"'));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const [hits, misses] = [await count('dird_cache_hits_total'), await count('dird_cache_misses_total')];
  t.equal(await client.reverse('cache', '7000'), 'Carol', 'answered from the cache');
  t.equal(await count('dird_cache_hits_total'), hits + 1, 'one more hit');
  t.equal(await client.reverse('cache', '7002'), null, 'an unknown number goes to the source');
  t.equal(await count('dird_cache_misses_total'), misses + 1, 'one more miss');
});

t.test('a back-end with its own schema (csv) keeps and validates the source reverse_cache field', async (t) => {
  const headers = { 'x-auth-token': dird.tokens.admin };
  const file = join(work, 'cached.csv');
  writeFileSync(file, 'id,name,number\n1,Dana,7100\n');
  const body = { name: 'cached-csv', file, unique_column: 'id', first_matched_columns: ['number'], format_columns: { reverse: '{name}' } };
  const bad = await dird.inject({ method: 'POST', url: '/0.1/backends/csv/sources', headers, payload: { ...body, reverse_cache: { ttl: -1 } } });
  t.equal(bad.statusCode, 400, 'a negative ttl is refused');
  const created = await dird.inject({ method: 'POST', url: '/0.1/backends/csv/sources', headers, payload: { ...body, reverse_cache: { ttl: 600 } } });
  t.equal(created.statusCode, 200, created.body);
  t.same(created.json().reverse_cache, { ttl: 600 }, 'kept on the source');
  await client.profile('csvcache', [{ uuid: created.json().uuid }], { timeout: 10 });
  t.equal(await client.reverse('csvcache', '7100'), 'Dana');
  writeFileSync(file, 'id,name,number\n1,Eve,7100\n');
  await sleep(400);
  t.equal(await client.reverse('csvcache', '7100'), 'Dana', 'answered from the cache, not from the changed file');
});

t.test('max_entries above 1,000,000 is refused with a 400 naming the bound (lru-cache allocates it up front)', async (t) => {
  const headers = { 'x-auth-token': dird.tokens.admin };
  const body = { name: 'huge-cache', first_matched_columns: ['number'], format_columns: { reverse: '{firstname}' }, number: '7200' };
  for (const max_entries of [1e8, 5e9]) {
    const bad = await dird.inject({ method: 'POST', url: '/0.1/backends/latency/sources', headers, payload: { ...body, reverse_cache: { max_entries } } });
    t.equal(bad.statusCode, 400, `max_entries ${max_entries}`);
    t.match(bad.body, /max_entries/);
    t.match(bad.body, /1000000/);
  }
  const ok = await dird.inject({ method: 'POST', url: '/0.1/backends/latency/sources', headers, payload: { ...body, reverse_cache: { max_entries: 1_000_000 } } });
  t.equal(ok.statusCode, 200, ok.body);
});
