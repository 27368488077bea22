// Back-ends that throw, exit, spin, exhaust their heap or are slow, beside healthy csv sources:
// every lookup answers in time with the healthy results, dird stays up, chaos sources recover.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { http, startDird } from '../helpers/dird.js';

const behaviours = ['throw', 'exit', 'spin', 'heap', 'slow'] as const;
const LOOKUP_TIMEOUT_S = 1.5;

process.env.DIRD_TEST_HOST_SECRET = 'hunter2-host-secret';

const work = mkdtempSync(join(tmpdir(), 'dird-chaos-'));
const sick = (name: string) => join(work, `${name}.sick`);
t.teardown(() => rmSync(work, { recursive: true, force: true }));

const dird = await startDird({
  config: {
    sandbox: {
      stall_timeout: 1,
      restart_backoff_initial: 0.1,
      restart_backoff_max: 0.5,
      crash_limit: 50,
      failed_retry: 1,
      sources: { heap: { heap_mb: 32 } },
    },
  },
});
t.teardown(() => dird.close());
const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);

async function createSource(backend: string, body: Record<string, unknown>) {
  const created = await api('POST', `/0.1/backends/${backend}/sources`, {
    searched_columns: ['firstname', 'lastname'],
    first_matched_columns: ['number'],
    format_columns: { reverse: '{firstname} {lastname}' },
    ...body,
  });
  // Setup asserts nothing at top level: a tap root test that has asserted ends as soon as it is idle.
  if (created.status !== 200) throw new Error(`source ${body.name} not created: ${JSON.stringify(created.body)}`);
  return { uuid: created.body.uuid as string };
}

const display = await api('POST', '/0.1/displays', { name: 'chaos', columns: [{ field: 'firstname' }, { field: 'lastname' }, { field: 'env' }, { field: 'main_config' }] });
const healthy = [
  await createSource('csv', { name: 'people', file: join(packageRoot, 'test/fixtures/csv-core/people.csv') }),
  await createSource('csv', { name: 'more', file: join(packageRoot, 'test/fixtures/csv-core/more-people.csv'), separator: '|' }),
];
const chaos = [];
for (const behaviour of behaviours) {
  writeFileSync(sick(behaviour), 'sick');
  chaos.push(await createSource('chaos', { name: behaviour, behaviour, switch_file: sick(behaviour) }));
}
const spy = await createSource('chaos', { name: 'spy', behaviour: 'spy', switch_file: join(work, 'never') });
const all = [...healthy, ...chaos, spy];
const profile = await api('POST', '/0.1/profiles', {
  name: 'chaos',
  display: { uuid: display.body.uuid },
  services: {
    lookup: { sources: all, options: { timeout: LOOKUP_TIMEOUT_S } },
    reverse: { sources: all, options: { timeout: LOOKUP_TIMEOUT_S } },
  },
});
if (profile.status !== 201) throw new Error(`profile not created: ${JSON.stringify(profile.body)}`);

const names = (body: any) => (body.results as any[]).map((result) => result.column_values.slice(0, 2).join(' '));

// The healthy sandboxes start before the rounds (through a profile of their own): a cold start on a busy
// machine can outlast the timeout, and this test is about misbehaving neighbours, not start-up time.
const warm = await api('POST', '/0.1/profiles', {
  name: 'warm',
  display: { uuid: display.body.uuid },
  services: { lookup: { sources: healthy, options: { timeout: 10 } } },
});
if (warm.status !== 201) throw new Error(`profile not created: ${JSON.stringify(warm.body)}`);
for (let attempt = 0; ; attempt++) {
  const found = names((await api('GET', '/0.1/directories/lookup/warm?term=al')).body);
  if (found.includes('Alice Ardent') && found.includes('Alicia Keys')) break;
  if (attempt === 20) throw new Error('the healthy csv sources never answered');
}

t.test('lookups answer within the timeout with the healthy sources while the others misbehave', async (t) => {
  for (let round = 0; round < 6; round++) {
    const started = Date.now();
    const response = await api('GET', '/0.1/directories/lookup/chaos?term=al');
    const elapsed = (Date.now() - started) / 1000;
    t.equal(response.status, 200, `round ${round}: 200`);
    t.ok(elapsed < LOOKUP_TIMEOUT_S + 1, `round ${round}: answered in ${elapsed.toFixed(2)} s`);
    t.ok(names(response.body).includes('Alice Ardent'), `round ${round}: csv result present`);
    t.ok(names(response.body).includes('Alicia Keys'), `round ${round}: pipe-separated csv result present`);
    const reverse = await api('GET', `/0.1/directories/reverse/chaos/${dird.users.admin}?exten=5551000002`);
    t.equal(reverse.body.display, 'Bob Bernier', `round ${round}: reverse answered by csv`);
  }
  const status = await api('GET', '/0.1/status');
  t.equal(status.status, 200, 'dird is still serving');
  const restarts = Object.fromEntries((status.body.sources as any[]).map((source) => [source.name, source.restarts]));
  for (const behaviour of ['exit', 'spin', 'heap']) t.ok(restarts[behaviour] > 0, `${behaviour} sandbox was restarted`);
  t.equal(restarts.people, 0, 'healthy sources were never restarted');
});

t.test('a back-end cannot read the host environment nor its secrets', async (t) => {
  const response = await api('GET', '/0.1/directories/lookup/chaos?term=spy');
  const raw = JSON.stringify(response.body);
  t.match(raw, /Chaos/, 'the spy answered');
  t.match(raw, /NODE_ENV/, 'the spy did report the environment it sees');
  t.notMatch(raw, /hunter2-host-secret/, 'host env var not visible');
  t.notMatch(raw, /admin-token/, 'static tokens not visible in main_config');
});

t.test('chaos sources recover once healthy', async (t) => {
  for (const behaviour of behaviours) rmSync(sick(behaviour));
  const expected = behaviours.map((behaviour) => `Chaos ${behaviour}`);
  let seen: string[] = [];
  for (let attempt = 0; attempt < 40 && !expected.every((name) => seen.includes(name)); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    seen = names((await api('GET', '/0.1/directories/lookup/chaos?term=x')).body);
  }
  for (const name of expected) t.ok(seen.includes(name), `${name} answers again`);
});

t.test('an answer that cannot cross threads is an error of that source only', async (t) => {
  const odd = await createSource('chaos', { name: 'unclonable', behaviour: 'unclonable', switch_file: join(work, 'never') });
  const created = await api('POST', '/0.1/profiles', {
    name: 'odd', display: { uuid: display.body.uuid },
    services: { lookup: { sources: [healthy[0], odd], options: { timeout: LOOKUP_TIMEOUT_S } } },
  });
  t.equal(created.status, 201);
  for (let round = 0; round < 3; round++) {
    const response = await api('GET', '/0.1/directories/lookup/odd?term=ali');
    t.same(names(response.body), ['Alice Ardent'], `round ${round}: the csv answers, the odd source gives nothing`);
  }
  const status = await api('GET', '/0.1/status');
  const source = (status.body.sources as any[]).find((candidate) => candidate.name === 'unclonable');
  t.equal(source.restarts, 0, 'the sandbox was not restarted');
  t.equal(source.state, 'ok', 'its sandbox is up: the failure was the back-end\'s answer');
});
