// A back-end that throws at import or in load() never disables its source for good: dird backs off,
// marks it failed after a crash loop, keeps answering with the other sources, and recovers it later.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { fixturePlugins, http, startDird } from '../helpers/dird.js';

const work = mkdtempSync(join(tmpdir(), 'dird-load-'));
const loadFlag = join(work, 'load.sick');
const importFlag = join(work, 'import.sick');
const importPointer = join(fixturePlugins, 'chaos/import-switch');
t.teardown(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(importPointer, { force: true });
});

const dird = await startDird({
  config: { sandbox: { restart_backoff_initial: 0.05, restart_backoff_max: 0.2, crash_limit: 3, crash_window: 30, failed_retry: 1 } },
});
t.teardown(() => dird.close());
const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);

// Turned on after start-up: dird learnt the back-ends' schemas while they were healthy.
writeFileSync(loadFlag, 'sick');
writeFileSync(importFlag, 'sick');
writeFileSync(importPointer, importFlag);

const common = { searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: {} };
const csv = await api('POST', '/0.1/backends/csv/sources', { ...common, name: 'people', file: join(packageRoot, 'test/fixtures/csv-core/people.csv') });
const load = await api('POST', '/0.1/backends/chaos/sources', { ...common, name: 'load', behaviour: 'throw_in_load', switch_file: loadFlag });
const imp = await api('POST', '/0.1/backends/chaos_import/sources', { ...common, name: 'import' });
const display = await api('POST', '/0.1/displays', { name: 'd', columns: [{ field: 'firstname' }, { field: 'lastname' }] });
const sources = [csv, load, imp].map((created) => ({ uuid: created.body.uuid }));
await api('POST', '/0.1/profiles', {
  name: 'p', display: { uuid: display.body.uuid }, services: { lookup: { sources, options: { timeout: 1 } } },
});
// The csv sandbox starts before the attempts (through a profile of its own): a cold start on a busy machine
// can outlast the 1 s timeout, and this test is about failing neighbours, not start-up time.
await api('POST', '/0.1/profiles', {
  name: 'warm', display: { uuid: display.body.uuid }, services: { lookup: { sources: [{ uuid: csv.body.uuid }], options: { timeout: 10 } } },
});
for (let attempt = 0; ; attempt++) {
  const warm = (await api('GET', '/0.1/directories/lookup/warm?term=')).body.results as any[];
  if (warm.some((r) => r.column_values.join(' ') === 'Alice Ardent')) break;
  if (attempt === 20) throw new Error('the csv source never answered');
}
const lookup = async () => ((await api('GET', '/0.1/directories/lookup/p?term=')).body.results as any[]).map((r) => r.column_values.join(' '));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

t.test('failing sources are reported and the others keep answering', async (t) => {
  let states: Record<string, any> = {};
  for (let attempt = 0; attempt < 30; attempt++) {
    t.ok((await lookup()).includes('Alice Ardent'), `attempt ${attempt}: csv answers`);
    const status = await api('GET', '/0.1/status');
    states = Object.fromEntries((status.body.sources as any[]).map((source) => [source.name, source]));
    if (states.load?.state === 'failed' && states.import?.state === 'failed') break;
    await sleep(100);
  }
  t.equal(states.load?.state, 'failed', 'load failure loop marks the source failed');
  t.match(states.load?.last_error, /load refused/);
  t.equal(states.import?.state, 'failed', 'import failure loop marks the source failed');
  t.match(states.import?.last_error, /import refused/);
});

t.test('they recover once healthy', async (t) => {
  rmSync(loadFlag);
  rmSync(importFlag);
  let seen: string[] = [];
  for (let attempt = 0; attempt < 40 && !(seen.includes('Chaos load') && seen.includes('Chaos import')); attempt++) {
    await sleep(250);
    seen = await lookup();
  }
  t.ok(seen.includes('Chaos load'), 'the load-failing source answers again');
  t.ok(seen.includes('Chaos import'), 'the import-failing source answers again');
});
