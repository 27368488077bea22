// The csv_ws back-end through dird's HTTP API against real HTTP servers on 127.0.0.1 (spec §4.2, §9):
// charsets, delimiters, TLS verification, a 404, a slow server and the profile and source timeouts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { makeCertificates } from '../../helpers/certificates.js';
import { http, startDird } from '../../helpers/dird.js';
import { startService, type ServiceOptions } from './service.js';

const people = [
  ['id', 'firstname', 'lastname', 'number'],
  ['1', 'Andrée-Anne', 'Dubé', '10001'],
  ['2', 'Hélène', 'Ça | Va', '1000'],
  ['3', 'Alice', 'Timeout', '2000'],
];

const dird = await startDird();
t.teardown(() => dird.close());
const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);
const display = (await api('POST', '/0.1/displays', {
  name: 'ws', columns: [{ title: 'First', field: 'firstname' }, { title: 'Last', field: 'lastname' }],
})).body;

async function service(options: Partial<ServiceOptions> = {}) {
  const started = await startService({ rows: people, ...options });
  t.teardown(() => started.close());
  return started;
}

let count = 0;
async function source(url: string, extra: Record<string, unknown> = {}) {
  const created = await api('POST', '/0.1/backends/csv_ws/sources', {
    name: `ws${++count}`, lookup_url: `${url}/lookup`, unique_column: 'id',
    searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
    format_columns: { reverse: '{firstname} {lastname}' },
    ...extra,
  });
  if (created.status !== 200) throw new Error(JSON.stringify(created.body));
  return created.body;
}

async function profile(sources: Array<{ uuid: string }>, timeout: number) {
  const name = `p${++count}`;
  const created = await api('POST', '/0.1/profiles', {
    name, display: { uuid: display.uuid },
    services: { lookup: { sources, options: { timeout } }, reverse: { sources, options: { timeout } } },
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  return name;
}

const lookup = async (name: string, term: string) => {
  const { status, body } = await api('GET', `/0.1/directories/lookup/${name}?term=${encodeURIComponent(term)}`);
  if (status !== 200) throw new Error(`${status} ${JSON.stringify(body)}`);
  return (body.results as Array<{ column_values: string[]; source: string }>)
    .map((r) => `${r.source}:${r.column_values.join(' ')}`).sort();
};
const reverse = async (name: string, exten: string) =>
  (await api('GET', `/0.1/directories/reverse/${name}/${dird.users.admin}?exten=${exten}`)).body;

t.test('UTF-8 with a pipe delimiter: every searched column is sent, the answer taken as is', async (t) => {
  const ws = await service({ delimiter: '|' });
  const src = await source(ws.url, { delimiter: '|' });
  const name = await profile([{ uuid: src.uuid }], 15);
  t.same(await lookup(name, 'dré'), [`${src.name}:Andrée-Anne Dubé`]);
  t.same([...ws.queries.at(-1)!], [['firstname', 'dré'], ['lastname', 'dré']]);
  t.same(await lookup(name, 'ça | va'), [`${src.name}:Hélène Ça | Va`], 'a quoted cell holding the delimiter');
});

t.test('charsets: declared ISO-8859-1, text/* without charset is ISO-8859-1, others UTF-8', async (t) => {
  const declared = await source((await service({ contentType: 'text/csv; charset=iso-8859-1', encoding: 'latin1' })).url);
  const implicit = await source((await service({ contentType: 'text/plain', encoding: 'latin1' })).url);
  const binary = await source((await service({ contentType: 'application/octet-stream', encoding: 'utf8' })).url);
  const name = await profile([{ uuid: declared.uuid }, { uuid: implicit.uuid }, { uuid: binary.uuid }], 15);
  t.same(await lookup(name, 'hél'), [
    `${declared.name}:Hélène Ça | Va`, `${implicit.name}:Hélène Ça | Va`, `${binary.name}:Hélène Ça | Va`,
  ].sort());
});

t.test('reverse: the first row whose first-matched column equals the number', async (t) => {
  const src = await source((await service()).url);
  const name = await profile([{ uuid: src.uuid }], 15);
  t.match(await reverse(name, '1000'), { display: 'Hélène Ça | Va', source: src.name }, 'not 10001, which the service also sent');
  t.same(await reverse(name, '100'), { display: null, exten: '100', fields: {}, source: null });
});

t.test('two working sources and one 404: the 404 contributes nothing', async (t) => {
  const one = await source((await service()).url);
  const two = await source((await service()).url);
  const missing = await source((await service({ status: 404 })).url);
  const name = await profile([{ uuid: one.uuid }, { uuid: missing.uuid }, { uuid: two.uuid }], 15);
  t.same(await lookup(name, 'alice'), [`${one.name}:Alice Timeout`, `${two.name}:Alice Timeout`].sort());
  const alone = await profile([{ uuid: missing.uuid }], 15);
  t.same(await lookup(alone, 'alice'), []);
});

t.test('a slow service: the profile timeout decides the reverse (spec §9)', async (t) => {
  const slow = await source((await service({ delayMs: 2000 })).url);
  t.equal((await reverse(await profile([{ uuid: slow.uuid }], 0.1), '2000')).display, null, 'timeout 0.1 s');
  t.equal((await reverse(await profile([{ uuid: slow.uuid }], 10), '2000')).display, 'Alice Timeout', 'timeout 10 s');
});

t.test('a slow service never hides the others: dropped at the profile timeout, or by its own timeout', async (t) => {
  const fast = await source((await service()).url);
  const slowService = await service({ delayMs: 6000 });
  const slow = await source(slowService.url);
  // Sandboxes start on first use: start them before timing matters.
  t.same(await lookup(await profile([{ uuid: fast.uuid }], 15), 'alice'), [`${fast.name}:Alice Timeout`]);
  t.same(await lookup(await profile([{ uuid: slow.uuid }, { uuid: fast.uuid }], 3), 'alice'), [`${fast.name}:Alice Timeout`]);
  const impatient = await source(slowService.url, { timeout: 0.2 });
  t.same(await lookup(await profile([{ uuid: impatient.uuid }, { uuid: fast.uuid }], 15), 'alice'), [`${fast.name}:Alice Timeout`],
    'the source gives up after its own 0.2 s');
});

t.test('HTTPS: verification on by default, off on request, or with a CA file', async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'dird-csvws-tls-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const { ca, cert, key } = makeCertificates(work);
  const ws = await service({ tls: { cert, key } });
  const verified = await source(ws.url);
  const unverified = await source(ws.url, { verify_certificate: false });
  const withCa = await source(ws.url, { verify_certificate: ca });
  const name = await profile([{ uuid: verified.uuid }, { uuid: unverified.uuid }, { uuid: withCa.uuid }], 15);
  t.same(await lookup(name, 'alice'), [`${unverified.name}:Alice Timeout`, `${withCa.name}:Alice Timeout`].sort());
});

t.test('source CRUD: defaults filled, bad fields rejected with a 400', async (t) => {
  const created = await source('http://127.0.0.1:9');
  t.match(created, { list_url: null, verify_certificate: true, delimiter: ',', timeout: 10, unique_column: 'id' });
  for (const bad of [{ lookup_url: 'ftp://x' }, { delimiter: '||' }, { timeout: -1 }, { list_url: 'nope' }]) {
    const response = await api('POST', '/0.1/backends/csv_ws/sources', { name: `bad${++count}`, lookup_url: 'http://x', ...bad });
    t.equal(response.status, 400, JSON.stringify(bad));
  }
});
