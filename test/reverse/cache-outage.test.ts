// A cached remote source whose server starts failing: its refreshes fail, and the answer it had keeps
// being served (stale) until ttl + stale_ttl, over REST and GraphQL; it never turns into "unknown" for
// a failed refresh. The failures are counted as source errors; a failing source hides no other source.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { startDird } from '../helpers/dird.js';
import { reverseClient } from './helpers.js';

/** A CSV web service on 127.0.0.1 answering Alice for 7000, or 500 while `failing`. */
let failing = false;
let asked = 0;
const server = createServer((request, response) => {
  asked++;
  const number = new URL(request.url ?? '/', 'http://x').searchParams.get('number');
  if (failing) response.writeHead(500).end('down');
  else response.writeHead(200, { 'Content-Type': 'text/csv' }).end(`number,firstname\n${number === '7000' ? '7000,Alice\n' : ''}`);
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const dird = await startDird();
t.teardown(async () => {
  await dird.close();
  server.closeAllConnections();
  server.close();
});
const headers = { 'x-auth-token': dird.tokens.admin };
const client = reverseClient(dird);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const created = await dird.inject({ method: 'POST', url: '/0.1/backends/csv_ws/sources', headers, payload: {
  name: 'remote-crm', lookup_url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/lookup`,
  searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: { reverse: '{firstname}' },
  reverse_cache: { ttl: 0.3, stale_ttl: 2, negative_ttl: 600, refresh_timeout: 2 },
} });
if (created.statusCode !== 200) throw new Error(created.body);
const remote = created.json();
const other = await client.source('other', { number: '7001', delay_ms: 0 });
await client.profile('outage', [remote, other], { timeout: 5 });

const errors = async () => {
  const text = (await dird.inject({ url: '/0.1/metrics', headers })).body;
  return text.split('\n').filter((l) => l.startsWith('dird_source_call_errors_total{') && l.includes(`uuid="${remote.uuid}"`) && l.includes('kind="backend"'))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
};

t.test('the stale answer is served through an outage until ttl + stale_ttl, then the source gives nothing', async (t) => {
  t.equal(await client.reverse('outage', '7000'), 'Alice', 'cached while the server works');
  const stored = Date.now();
  failing = true;
  const errorsBefore = await errors();
  await sleep(400);
  const askedBefore = asked;
  t.equal(await client.reverse('outage', '7000'), 'Alice', 'past ttl: stale, a refresh starts and fails');
  for (let attempt = 0; attempt < 50 && asked === askedBefore; attempt++) await sleep(20);
  t.ok(asked > askedBefore, 'the failing server was asked');
  await sleep(100);
  t.equal(await client.reverse('outage', '7000'), 'Alice', 'after the failed refresh: still the stale answer');
  t.same(await client.reverseMany('outage', ['7000', '7001']), ['Alice', 'other'], 'GraphQL too, beside the other source');
  t.equal(await client.reverse('outage', '7001'), 'other', 'a number only the other source knows: answered');
  t.ok((await errors()) > errorsBefore, 'the failed calls are counted as source errors');
  await sleep(Math.max(0, stored + 2400 - Date.now()));
  t.equal(await client.reverse('outage', '7000'), null, 'past ttl + stale_ttl: the failing source gives nothing');
  failing = false;
  t.equal(await client.reverse('outage', '7000'), 'Alice', 'the server is back: answered (no miss was cached)');
});
