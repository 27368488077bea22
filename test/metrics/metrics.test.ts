// GET /0.1/metrics: after lookups against a healthy csv source and misbehaving chaos sources, the
// Prometheus text counts their calls, errors, timeouts, latencies and restarts, and times HTTP routes
// by pattern. The route needs a token with `dird.metrics.read`, and is absent when metrics are disabled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { http, startDird, tokens } from '../helpers/dird.js';

const work = mkdtempSync(join(tmpdir(), 'dird-metrics-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const dird = await startDird({
  config: { sandbox: { restart_backoff_initial: 0.1, restart_backoff_max: 0.2, crash_limit: 50, failed_retry: 1 } },
});
t.teardown(() => dird.close());
const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => http(dird.url, method, path, body, headers);

async function createSource(backend: string, body: Record<string, unknown>) {
  const created = await api('POST', `/0.1/backends/${backend}/sources`, {
    searched_columns: ['firstname', 'lastname'],
    first_matched_columns: ['number'],
    format_columns: { reverse: '{firstname} {lastname}' },
    ...body,
  });
  if (created.status !== 200) throw new Error(`source ${body.name} not created: ${JSON.stringify(created.body)}`);
  return { uuid: created.body.uuid as string };
}
async function createProfile(name: string, sources: Array<{ uuid: string }>, timeout: number) {
  const profile = await api('POST', '/0.1/profiles', {
    name,
    display: { uuid: display.body.uuid },
    services: { lookup: { sources, options: { timeout } }, reverse: { sources, options: { timeout } } },
  });
  if (profile.status !== 201) throw new Error(`profile not created: ${JSON.stringify(profile.body)}`);
}
const sick = (name: string) => {
  writeFileSync(join(work, name), 'sick');
  return join(work, name);
};

const display = await api('POST', '/0.1/displays', { name: 'metrics', columns: [{ field: 'firstname' }, { field: 'lastname' }] });
const people = await createSource('csv', { name: 'people', file: join(packageRoot, 'test/fixtures/csv-core/people.csv') });
const thrower = await createSource('chaos', { name: 'thrower', behaviour: 'throw', switch_file: sick('throw') });
const sleeper = await createSource('chaos', { name: 'sleeper', behaviour: 'slow', switch_file: sick('slow') });
const exiter = await createSource('chaos', { name: 'exiter', behaviour: 'exit', switch_file: sick('exit') });
// Every sandbox starts (and its first call completes) before the short-timeout rounds.
await createProfile('warm', [people, thrower, exiter], 30);
await createProfile('metrics', [people, thrower, sleeper, exiter], 0.5);

/** Samples of the exposition text as `name{labels} value` lines, the labels parsed into an object. */
async function scrape() {
  const response = await fetch(`${dird.url}/0.1/metrics`, { headers: { 'X-Auth-Token': tokens.admin } });
  const text = await response.text();
  const samples = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return { status: response.status, type: response.headers.get('content-type'), text, samples };
}
type Samples = Awaited<ReturnType<typeof scrape>>['samples'];
const sum = (samples: Samples, name: string, labels: Record<string, string>) =>
  samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((total, sample) => total + sample.value, 0);

await api('GET', '/0.1/directories/lookup/warm?term=al');
const LOOKUPS = 3;
for (let i = 0; i < LOOKUPS; i++) {
  const lookup = await api('GET', '/0.1/directories/lookup/metrics?term=al');
  if (lookup.status !== 200) throw new Error(`lookup failed: ${JSON.stringify(lookup.body)}`);
}
await api('GET', `/0.1/directories/reverse/metrics/${dird.users.admin}?exten=5551000002`);

t.test('counts calls, errors, timeouts and latencies per source', async (t) => {
  const { status, type, samples } = await scrape();
  t.equal(status, 200);
  t.match(type, /^text\/plain; version=0\.0\.4/);
  const calls = (source: string, method: string) => sum(samples, 'dird_source_calls_total', { source, method });
  t.ok(calls('people', 'search') >= LOOKUPS + 1, 'every search of the csv source is counted');
  t.ok(calls('people', 'firstMatch') >= 1, 'the reverse lookup is counted as firstMatch');
  t.equal(sum(samples, 'dird_source_calls_total', { source: 'people', uuid: people.uuid, backend: 'csv', method: 'search' }), calls('people', 'search'), 'labelled by name, uuid and back-end');
  t.equal(sum(samples, 'dird_source_call_errors_total', { source: 'people' }), 0, 'no errors from the healthy source');
  t.equal(sum(samples, 'dird_source_call_timeouts_total', { source: 'people' }), 0, 'no timeouts from the healthy source');

  t.ok(sum(samples, 'dird_source_call_errors_total', { source: 'thrower', method: 'search', kind: 'backend' }) >= LOOKUPS, 'a throwing back-end counts backend errors');
  t.ok(sum(samples, 'dird_source_call_timeouts_total', { source: 'sleeper', method: 'search' }) >= LOOKUPS, 'a slow back-end counts timeouts');
  t.equal(sum(samples, 'dird_source_call_errors_total', { source: 'sleeper' }), 0, 'timeouts are not counted as errors');
  t.ok(sum(samples, 'dird_source_call_errors_total', { source: 'exiter', kind: 'crashed' }) >= 1, 'a crashing worker counts crashed calls');

  const histogram = { source: 'people', method: 'search' };
  const count = sum(samples, 'dird_source_call_duration_seconds_count', histogram);
  t.equal(count, calls('people', 'search'), 'one latency observation per answered call');
  const seconds = sum(samples, 'dird_source_call_duration_seconds_sum', histogram);
  t.ok(seconds > 0 && seconds < count * 30, 'plausible latency sum');
  t.equal(sum(samples, 'dird_source_call_duration_seconds_bucket', { ...histogram, le: '+Inf' }), count);
});

t.test('counts worker restarts', async (t) => {
  let restarts = 0;
  // The restart follows the crash on the same exit event; a few scrapes are enough on a busy machine.
  for (let attempt = 0; attempt < 50 && restarts === 0; attempt++) {
    restarts = sum((await scrape()).samples, 'dird_source_worker_restarts_total', { source: 'exiter', uuid: exiter.uuid, backend: 'chaos' });
    if (restarts === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.ok(restarts >= 1, 'the exiting sandbox was restarted');
  t.equal(sum((await scrape()).samples, 'dird_source_worker_restarts_total', { source: 'people' }), 0);
});

t.test('times HTTP requests by route pattern, method and status', async (t) => {
  await api('GET', '/0.1/directories/lookup/nope?term=al');
  const unmatched = await api('GET', '/0.1/no/such/route');
  t.same(unmatched, { status: 404, body: { message: 'Route GET:/0.1/no/such/route not found', error: 'Not Found', statusCode: 404 }, headers: unmatched.headers });
  const { samples } = await scrape();
  const route = (labels: Record<string, string>) => sum(samples, 'dird_http_request_duration_seconds_count', labels);
  t.ok(route({ route: '/0.1/directories/lookup/:profile', method: 'GET', status_code: '200' }) >= LOOKUPS + 1);
  t.ok(route({ route: '/0.1/directories/lookup/:profile', method: 'GET', status_code: '404' }) >= 1, 'an unknown profile is its own status');
  t.ok(route({ route: '/0.1/backends/chaos/sources', method: 'POST', status_code: '200' }) >= 3, 'one route per back-end');
  t.ok(route({ route: 'unmatched', method: 'GET', status_code: '404' }) >= 1, 'a URL matching no route is not a label');
  const lookupSeconds = sum(samples, 'dird_http_request_duration_seconds_sum', { route: '/0.1/directories/lookup/:profile', method: 'GET', status_code: '200' });
  const lookupCount = route({ route: '/0.1/directories/lookup/:profile', method: 'GET', status_code: '200' });
  t.ok(lookupSeconds > 0 && lookupSeconds / lookupCount < 1, 'with their time');
  const unmatchedSeconds = sum(samples, 'dird_http_request_duration_seconds_sum', { route: 'unmatched', method: 'GET', status_code: '404' });
  // Timed from the request's arrival, not from the clock's origin (the process started seconds ago).
  const unmatchedCount = route({ route: 'unmatched', method: 'GET', status_code: '404' });
  t.ok(unmatchedSeconds > 0 && unmatchedSeconds / unmatchedCount < 1, 'a 404 is timed from its arrival too');
  t.notOk(samples.some((sample) => sample.labels.route?.includes('/lookup/metrics')), 'no raw URL as a label');
});

t.test('defines cache counters for the result cache to bump', async (t) => {
  dird.dird.services.metrics.cacheHit({ name: 'people', uuid: people.uuid }, 'reverse');
  dird.dird.services.metrics.cacheHit({ name: 'people', uuid: people.uuid }, 'reverse');
  dird.dird.services.metrics.cacheMiss({ name: 'people', uuid: people.uuid }, 'reverse');
  const { samples, text } = await scrape();
  t.equal(sum(samples, 'dird_cache_hits_total', { source: 'people', uuid: people.uuid, kind: 'reverse' }), 2);
  t.equal(sum(samples, 'dird_cache_misses_total', { source: 'people', kind: 'reverse' }), 1);
  t.match(text, /^dird_process_cpu_user_seconds_total \d/m, 'process metrics too');
});

t.test('needs a token with dird.metrics.read', async (t) => {
  const anonymous = await fetch(`${dird.url}/0.1/metrics`);
  t.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  const noAcl = await api('GET', '/0.1/metrics', undefined, { 'X-Auth-Token': tokens.noacl });
  t.equal(noAcl.status, 401);
  t.match(noAcl.body, { error_id: 'unauthorized', details: { required_access: 'dird.metrics.read' } });
});

t.test("the master tenant's tokens only: the labels name every tenant's sources", async (t) => {
  for (const token of [tokens.sub, tokens.other]) {
    const refused = await api('GET', '/0.1/metrics', undefined, { 'X-Auth-Token': token });
    t.equal(refused.status, 401, `${token}: refused`);
    t.notMatch(JSON.stringify(refused.body), /dird_source/);
  }
  const master = await api('GET', '/0.1/metrics', undefined, { 'X-Auth-Token': tokens.admin });
  t.equal(master.status, 200);
});

t.test('is absent when metrics are disabled', async (t) => {
  const off = await startDird({ config: { metrics: { enabled: false } } });
  t.teardown(() => off.close());
  const response = await http(off.url, 'GET', '/0.1/metrics');
  t.equal(response.status, 404);
});

t.test('a separate metrics listener is not implemented: asking for one is a warning, and the REST address serves them', async (t) => {
  const lines: string[] = [];
  const log = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const separate = await startDird({ log, config: { metrics: { listen: '127.0.0.1', port: 9999 } } });
  t.teardown(() => separate.close());
  t.match(lines.join(''), /metrics\.listen and metrics\.port are not implemented yet/);
  const response = await http(separate.url, 'GET', '/0.1/metrics', undefined, { 'X-Auth-Token': tokens.admin });
  t.equal(response.status, 200);
});

t.test("a renamed source's series go on under its new name only; a deleted source's series go", async (t) => {
  const file = join(packageRoot, 'test/fixtures/csv-core/people.csv');
  const passing = await createSource('csv', { name: 'passing', file });
  await createProfile('passing', [passing], 30);
  const namesOf = async (metric: string) => new Set((await scrape()).samples.filter((sample) => sample.name === metric && sample.labels.uuid === passing.uuid).map((sample) => sample.labels.source));
  const lookup = async () => t.equal((await api('GET', '/0.1/directories/lookup/passing?term=a')).status, 200);
  await lookup();
  t.same([...(await namesOf('dird_source_calls_total'))], ['passing']);
  const renamed = await api('PUT', `/0.1/backends/csv/sources/${passing.uuid}`, {
    name: 'renamed', file, searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'], format_columns: { reverse: '{firstname} {lastname}' },
  });
  t.equal(renamed.status, 204, JSON.stringify(renamed.body));
  await lookup();
  await until(async () => !(await namesOf('dird_source_calls_total')).has('passing'));
  t.same([...(await namesOf('dird_source_calls_total'))], ['renamed'], 'calls: the new name only');
  t.same([...(await namesOf('dird_source_call_duration_seconds_count'))], ['renamed'], 'latencies: the new name only');
  t.equal((await api('DELETE', `/0.1/backends/csv/sources/${passing.uuid}`)).status, 204);
  await until(async () => (await namesOf('dird_source_calls_total')).size === 0);
  t.same([...(await namesOf('dird_source_calls_total'))], [], 'no calls of the deleted source');
  t.same([...(await namesOf('dird_source_call_duration_seconds_count'))], [], 'no latencies of the deleted source');
});

async function until(check: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
