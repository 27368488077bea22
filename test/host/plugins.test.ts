// Plugins that are broken, missing or switched off never stop dird; back-end logs reach the host's log.
import { Writable } from 'node:stream';
import { join } from 'node:path';
import t from 'tap';
import pino from 'pino';
import { createDird } from '../../host/app.js';
import { defaults } from '../../src/config/defaults.js';
import { packageRoot } from '../../src/config/load.js';
import { deepMerge } from '../../src/config/merge.js';
import { fixturePlugins, tenants, tokens, users } from '../helpers/dird.js';

const broken = join(packageRoot, 'test/fixtures/broken-plugins');

function capturingLogger() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

async function start(extra: Record<string, any>) {
  const { log, lines } = capturingLogger();
  const config = deepMerge(defaults, {
    db_uri: 'sqlite::memory:',
    auth: {
      static_tokens: { [tokens.admin]: { user_uuid: users.admin, tenant_uuid: tenants.master, acl: ['dird.#'] } },
      master_tenant_uuid: tenants.master,
    },
  }, extra);
  const dird = await createDird(config, log);
  t.teardown(() => dird.close());
  const inject = (url: string, method: 'GET' | 'POST' = 'GET', payload?: unknown) =>
    dird.app.inject({ url, method, payload: payload as any, headers: { 'x-auth-token': tokens.admin } });
  return { dird, lines, inject };
}

t.test('broken plugins are logged and skipped; everything else works', async (t) => {
  const { lines, inject } = await start({
    plugin_paths: [broken, join(packageRoot, 'test/fixtures/does-not-exist')],
    enabled_plugins: { views: { no_such_view: true } },
  });
  t.equal((await inject('/0.1/status')).statusCode, 200, 'dird serves');
  const backends = (await inject('/0.1/backends')).json().items.map((item: any) => item.name);
  t.ok(backends.includes('csv'), 'built-in back-ends are there');
  t.notOk(backends.includes('ghost'), 'a back-end whose module is missing is left out');
  t.notOk(backends.includes('exits'), 'a back-end that exits at import is left out');
  t.ok(backends.includes('survivor'), 'its healthy neighbour in the same package is still there');
  const messages = lines.map((line) => `${line.msg} ${line.backend ?? line.view ?? line.service ?? line.name ?? line.file ?? ''}`);
  t.ok(messages.some((m) => /unreadable package\.json/.test(m)), 'unreadable package.json logged');
  t.ok(messages.some((m) => /plugin cannot be loaded.*/.test(m)), 'view failing at import logged');
  t.ok(messages.some((m) => /service failed to load; skipped bad_service/.test(m)), 'service failing in load logged');
  t.ok(messages.some((m) => /back-end cannot be loaded; skipped ghost/.test(m)), 'missing back-end logged');
  t.ok(messages.some((m) => /back-end cannot be loaded; skipped exits/.test(m)), 'back-end exiting at import logged');
  t.ok(messages.some((m) => /enabled plugin not found; ignored no_such_view/.test(m)), 'unknown enabled plugin logged');
});

t.test('enabled_plugins switches plugins off', async (t) => {
  const { inject } = await start({
    plugin_paths: [fixturePlugins],
    enabled_plugins: { backends: { sample: false, chaos: false }, views: { status_view: false } },
  });
  const backends = (await inject('/0.1/backends')).json().items.map((item: any) => item.name);
  t.ok(backends.includes('schemaless'), 'third-party back-ends are on by default');
  t.notOk(backends.includes('sample'), 'a built-in switched off');
  t.notOk(backends.includes('chaos'), 'a third-party back-end switched off');
  t.equal((await inject('/0.1/status')).statusCode, 404, 'a view switched off serves nothing');
  t.equal((await inject('/0.1/backends/sample/sources', 'POST', { name: 'x' })).statusCode, 404);
});

t.test("a back-end's host.log reaches dird's log with the source name", async (t) => {
  const { inject, lines } = await start({});
  const source = (await inject('/0.1/backends/csv/sources', 'POST', { name: 'lost', file: '/nonexistent/dird/file.csv' })).json();
  const display = (await inject('/0.1/displays', 'POST', { name: 'd', columns: [{ field: 'firstname' }] })).json();
  await inject('/0.1/profiles', 'POST', {
    name: 'p', display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: source.uuid }], options: {} } },
  });
  const answer = await inject('/0.1/directories/lookup/p?term=x');
  t.equal(answer.statusCode, 200);
  t.same(answer.json().results, [], 'an unreadable csv answers nothing');
  let found: any;
  for (let attempt = 0; attempt < 50 && !found; attempt++) {
    found = lines.find((line) => line.source === 'lost' && /nonexistent\/dird\/file\.csv|read|missing/i.test(JSON.stringify(line)));
    if (!found) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  t.ok(found, 'the csv back-end reported the missing file through the host capability');
  t.equal(found?.backend, 'csv');
});

t.test("a view's failures reach dird's log: an unexpected error as a 500, a stream broken after its headers", async (t) => {
  const { lines, inject } = await start({ plugin_paths: [join(packageRoot, 'test/fixtures/faulty-view')] });
  const thrown = await inject('/0.1/test/faulty/throw');
  t.equal(thrown.statusCode, 500);
  t.same(thrown.json(), { message: 'Internal server error' }, 'the client sees no detail');
  const unhandled = lines.find((line) => line.msg === 'unhandled error');
  t.equal(unhandled?.level, 50, 'logged as an error');
  t.equal(unhandled?.err?.message, 'kaboom', 'with the error');
  t.equal(unhandled?.url, '/0.1/test/faulty/throw', 'and the route');

  await inject('/0.1/test/faulty/stream').catch(() => null);
  await new Promise((resolve) => setTimeout(resolve, 50));
  const broken = lines.find((line) => /after its headers were sent/.test(line.msg));
  t.equal(broken?.level, 40, 'a broken stream is a warning');
  t.equal(broken?.err?.message, 'the disk went away');
});
