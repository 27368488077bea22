// Operations routes on both stores: status, config (master tenant only, secrets masked), the OpenAPI document.
import t from 'tap';
import { parse } from 'yaml';
import { databases, useDatabase } from '../helpers/databases.js';
import { http, startDird, tokens } from '../helpers/dird.js';

for (const database of databases) {
  t.test(database.name, async (t) => {
    const dird = await startDird({
      dbUri: await useDatabase(t, database),
      config: { bus: { password: 'bus-secret' }, auth: { password: 'auth-secret' } },
    });
    t.teardown(() => dird.close());
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      http(dird.url, method, path, body, headers);

    t.test('status', async (t) => {
      const status = await api('GET', '/0.1/status');
      t.equal(status.status, 200);
      t.match(status.body, { rest_api: { status: 'ok' }, bus_consumer: { status: 'disabled' }, master_tenant: { status: 'ok' } });
      t.equal((await api('GET', '/0.1/status', undefined, { 'X-Auth-Token': tokens.noacl })).status, 401);
    });

    t.test('config is for the master tenant, with secrets masked', async (t) => {
      const config = await api('GET', '/0.1/config');
      t.equal(config.status, 200);
      const text = JSON.stringify(config.body);
      for (const secret of ['bus-secret', 'auth-secret', tokens.admin, tokens.sub]) t.notMatch(text, secret, `${secret} masked`);
      t.equal(config.body.rest_api.listen, '127.0.0.1');
      const sub = await api('GET', '/0.1/config', undefined, { 'X-Auth-Token': tokens.sub });
      t.equal(sub.status, 401, 'a sub-tenant token is refused');
      t.equal(sub.body.error_id, 'unauthorized');
      t.equal((await api('GET', '/0.1/config', undefined, { 'X-Auth-Token': tokens.noacl })).status, 401);
    });

    t.test('PATCH /config toggles debug', async (t) => {
      const on = await api('PATCH', '/0.1/config', [{ op: 'replace', path: '/debug', value: true }]);
      t.equal(on.status, 200);
      t.equal(on.body.debug, true);
      t.equal(dird.dird.log.level, 'debug', "dird's logger logs debug lines");
      const off = await api('PATCH', '/0.1/config', [{ op: 'replace', path: '/debug', value: false }]);
      t.equal(off.body.debug, false);
      t.equal(dird.dird.log.level, 'info');
      t.equal((await api('PATCH', '/0.1/config', { op: 'replace' })).status, 400, 'not an array');
      t.equal((await api('PATCH', '/0.1/config', [{ op: 'remove', path: '/debug', value: true }])).status, 400, 'other op');
      t.equal((await api('PATCH', '/0.1/config', [{ op: 'replace', path: '/debug' }])).status, 400, 'no value');
    });

    t.test('the OpenAPI document lists the routes, without a token', async (t) => {
      const response = await fetch(`${dird.url}/0.1/api/api.yml`);
      t.equal(response.status, 200);
      t.match(response.headers.get('content-type'), /application\/x-yaml/);
      const document = parse(await response.text());
      for (const path of ['/0.1/directories/lookup/{profile}', '/0.1/displays', '/0.1/backends/csv/sources/{source_uuid}']) {
        t.ok(document.paths[path], `${path} documented`);
      }
      const proxied = parse(await (await fetch(`${dird.url}/0.1/api/api.yml`, { headers: { 'X-Script-Name': '/api/dird' } })).text());
      t.same(proxied.servers, [{ url: '/api/dird' }], 'X-Script-Name becomes the server prefix');
    });

    t.test('bodies that are not JSON objects', async (t) => {
      const garbage = await fetch(`${dird.url}/0.1/displays`, {
        method: 'POST', headers: { 'X-Auth-Token': tokens.admin, 'Content-Type': 'text/plain' }, body: '{not json',
      });
      t.equal(garbage.status, 400);
      t.ok((await garbage.json()).message, 'framework-shaped error');
      const asText = await fetch(`${dird.url}/0.1/displays`, {
        method: 'POST', headers: { 'X-Auth-Token': tokens.admin, 'Content-Type': 'text/plain' },
        body: JSON.stringify({ name: 'plain', columns: [{ field: 'x' }] }),
      });
      t.equal(asText.status, 201, 'JSON is parsed whatever the Content-Type');
      t.equal((await api('POST', '/0.1/displays', null)).status, 400, 'a null body');
    });
  });
}

t.test('CORS for browsers: any origin, preflight answered without a token', async (t) => {
  const dird = await startDird();
  t.teardown(() => dird.close());
  const preflight = await fetch(`${dird.url}/0.1/displays`, {
    method: 'OPTIONS',
    headers: { Origin: 'https://portal.example', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-auth-token' },
  });
  t.equal(preflight.status, 204);
  t.equal(preflight.headers.get('access-control-allow-origin'), '*');
  t.match(preflight.headers.get('access-control-allow-headers'), /X-Auth-Token/);
  t.match(preflight.headers.get('access-control-allow-methods'), /POST/);
  const browser = await fetch(`${dird.url}/0.1/status`, { headers: { Origin: 'https://portal.example', 'X-Auth-Token': tokens.admin } });
  t.equal(browser.headers.get('access-control-allow-origin'), '*');
  const server = await fetch(`${dird.url}/0.1/status`, { headers: { 'X-Auth-Token': tokens.admin } });
  t.equal(server.headers.get('access-control-allow-origin'), null, 'no CORS headers without an Origin');
  const denied = await fetch(`${dird.url}/0.1/status`, { headers: { Origin: 'https://portal.example' } });
  t.equal(denied.status, 401);
  t.equal(denied.headers.get('access-control-allow-origin'), '*', 'errors carry CORS headers too');
});
