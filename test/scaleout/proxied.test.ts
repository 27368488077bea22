// Two instances behind a reverse proxy under /api/dird, as Wazo's nginx serves dird (round robin,
// prefix stripped, X-Script-Name set): the OpenAPI document names the prefix as its server, and the
// URLs a client builds from it reach either instance and see the same data.
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { parse } from 'yaml';
import { scriptName } from '../../plugins/views/api/index.js';
import { tokens } from '../helpers/dird.js';
import { twoInstances } from './setup.js';

const PREFIX = '/api/dird';

/** What nginx does with `location /api/dird/ { proxy_pass http://dird/; proxy_set_header X-Script-Name /api/dird; }`. */
async function proxy(upstreams: number[]) {
  let next = 0;
  const served: number[] = [];
  const server = createServer((req, res) => {
    if (!req.url?.startsWith(`${PREFIX}/`)) return res.writeHead(404).end();
    const port = upstreams[next++ % upstreams.length];
    served.push(port);
    const forwarded = httpRequest({
      host: '127.0.0.1', port, method: req.method, path: req.url.slice(PREFIX.length),
      headers: { ...req.headers, 'x-script-name': PREFIX },
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, served, close: () => server.close() };
}

t.test('behind a proxy under /api/dird', async (t) => {
  const { a, b } = await twoInstances(t);
  const front = await proxy([a.port, b.port]);
  t.teardown(() => front.close());

  const spec = await fetch(`${front.url}${PREFIX}/0.1/api/api.yml`);
  t.equal(spec.status, 200);
  const document = parse(await spec.text());
  t.same(document.servers, [{ url: PREFIX }], 'the server URL is the proxy prefix');
  t.ok(document.paths['/0.1/displays'], 'paths stay relative to it');

  const call = (method: string, path: string, body?: unknown) => fetch(`${front.url}${document.servers[0].url}${path}`, {
    method, headers: { 'X-Auth-Token': tokens.admin, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  t.equal((await call('POST', '/0.1/displays', { name: 'through-the-proxy', columns: [{ field: 'name' }] })).status, 201);
  for (let i = 0; i < 2; i++) {
    const listed = await (await call('GET', '/0.1/displays')).json();
    t.same(listed.items.map((d: any) => d.name), ['through-the-proxy'], `request ${i} sees the display`);
  }
  t.same(new Set(front.served), new Set([a.port, b.port]), 'both instances answered');
});

t.test('X-Script-Name values', async (t) => {
  t.equal(scriptName('/api/dird'), '/api/dird');
  t.equal(scriptName('/api/dird/'), '/api/dird', 'a trailing slash is dropped');
  t.equal(scriptName(['/first', '/second']), '/first');
  t.equal(scriptName(undefined), null, 'no header');
  t.equal(scriptName('/'), null, 'the root is no prefix');
  t.equal(scriptName('api/dird'), null, 'a relative path is ignored');
  t.equal(scriptName('/api dird'), null, 'so is anything but URL path characters');
  t.equal(scriptName('https://evil.example/x'), null);
});
