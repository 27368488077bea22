// Many reverse lookups at once (a PBX's busy hour, a GraphQL query of 20 numbers) must not each make
// the same remote request: concurrent lookups of one wazo source merge their numbers into one confd
// filter, those of a conference source share one listing, and one user's google or office365 lookups
// share one token request and one listing. Nothing is kept afterwards: the next lookup asks again.
// Back-ends are loaded directly (as the sandbox does) against stand-ins speaking the real JSON.
import t from 'tap';
import ConferenceBackend from '../../plugins/backends/conference/index.js';
import GoogleBackend from '../../plugins/backends/google/index.js';
import Office365Backend from '../../plugins/backends/office365/index.js';
import WazoBackend from '../../plugins/backends/wazo/index.js';
import type { Backend, BackendLoadArgs, CallArgs, SourceConfig } from '../../src/contracts.js';
import { Coalescer } from '../../src/coalescer.js';
import { SingleFlight } from '../../src/single-flight.js';
import { fakeConfd } from '../helpers/fake-confd.js';
import { fakeGoogle } from '../helpers/fake-google.js';
import { fakeGraph } from '../helpers/fake-graph.js';

const confd = await fakeConfd({
  uuid: '11111111-2222-4333-8444-555555555555',
  validToken: (token) => token === 'service-token',
  users: [
    { id: 1, uuid: 'aaaaaaaa-0000-4000-8000-000000000001', firstname: 'Alice', lastname: 'A', exten: '1001', mobile_phone_number: '0611' },
    { id: 2, uuid: 'aaaaaaaa-0000-4000-8000-000000000002', firstname: 'Bob', lastname: 'B', exten: '1002' },
    { id: 3, uuid: 'aaaaaaaa-0000-4000-8000-000000000003', firstname: 'Carol', lastname: 'C', exten: '1003', mobile_phone_number: '1002' },
  ],
  conferences: [{ id: 7, name: 'Room 7', extensions: [{ context: 'default', exten: '4007' }], incalls: [] }],
}).start();
const google = await fakeGoogle('google-access', [{ id: 'g1', givenName: 'Gina', familyName: 'G', phones: [{ value: '5551000' }] }]).start();
const graph = await fakeGraph('ms-access', [{ id: 'm1', displayName: 'Mo M', givenName: 'Mo', mobilePhone: '5552000' }]).start();
t.teardown(() => Promise.all([confd.stop(), google.stop(), graph.stop()]));

const args = (user_uuid: string | null = null, token: string | null = null): CallArgs =>
  ({ token, user_uuid, xivo_user_uuid: user_uuid, tenant_uuid: null });

/** The `tokens` capability as the host grants it, counting the calls that cross to the host. */
function tokensCapability() {
  const calls = { service: 0, external: 0 };
  const tokens = {
    service: async () => (calls.service++, { token: 'service-token', tenant: null, fresh_until: Date.now() + 60_000 }),
    external: async (kind: string, user: string | null) => (calls.external++, user === 'linked' ? (kind === 'google' ? 'google-access' : 'ms-access') : null),
  };
  return { calls, tokens };
}

async function load<B extends Backend>(backend: B, config: Partial<SourceConfig>, main_config: Record<string, unknown> = {}) {
  const { calls, tokens } = tokensCapability();
  const host = { log: async () => {}, tokens } as unknown as BackendLoadArgs['host'];
  await backend.load!({ config: { uuid: 'u', tenant_uuid: 't', name: 'shared', backend: 'x', ...config } as SourceConfig, main_config, host });
  return { backend, calls };
}

const confdSettings = { host: '127.0.0.1', port: confd.port, https: false, prefix: null };

t.test('wazo: concurrent reverse lookups become one confd request per column, each caller getting its own answer', async (t) => {
  const { backend } = await load(new WazoBackend(), { confd: confdSettings, first_matched_columns: ['exten', 'mobile_phone_number'] });
  await backend.firstMatch('0000', args()); // the confd's infos are read once, first
  const before = confd.hits('/1.1/users').length;
  const [alice, bob, byMobile, nobody, batch] = await Promise.all([
    backend.firstMatch('1001', args()),
    backend.firstMatch('1002', args()),
    backend.firstMatch('0611', args()),
    backend.firstMatch('9999', args()),
    backend.matchAll!(['1003', '1001', '8888'], args()),
  ]);
  t.equal(alice?.firstname, 'Alice');
  t.equal(bob?.firstname, 'Bob', 'the exten column comes before the mobile one holding the same number');
  t.equal(byMobile?.firstname, 'Alice');
  t.equal(nobody, null);
  t.same(Object.fromEntries(Object.entries(batch).map(([exten, user]) => [exten, user.firstname])), { 1003: 'Carol', 1001: 'Alice' });
  const requests = confd.hits('/1.1/users').slice(before);
  t.equal(requests.length, 2, 'one request per first-matched column');
  t.same(requests.map((r) => r.query.get('exten') ?? r.query.get('mobile_phone_number')).map((v) => v!.split(',').sort()),
    [['0611', '1001', '1002', '1003', '8888', '9999'], ['0611', '1001', '1002', '1003', '8888', '9999']]);
  t.ok(requests.every((r) => r.query.get('view') === 'directory' && r.query.get('search') === null));

  await backend.firstMatch('1001', args());
  t.equal(confd.hits('/1.1/users').length - before, 4, 'a later lookup asks confd again: nothing is cached');
});

t.test('wazo: numbers confd cannot filter on, and number matching, keep the per-number search', async (t) => {
  const { backend } = await load(new WazoBackend(), { confd: confdSettings, first_matched_columns: ['exten'] });
  const before = confd.hits('/1.1/users').length;
  t.equal(await backend.firstMatch('1001,1002', args()), null, 'a comma is no extension, and is not sent as two');
  t.equal(confd.hits('/1.1/users').length, before, 'not asked at all');
  const e164 = { ...args(), number_matching: { mode: 'suffix' as const, region: null, suffix_digits: 7 } };
  t.equal((await backend.firstMatch('1001', e164))?.firstname, 'Alice');
  t.equal(confd.hits('/1.1/users').at(-1)!.query.get('search'), '1001');
});

t.test('conference: concurrent lookups share one listing; the next lookup lists again', async (t) => {
  const { backend } = await load(new ConferenceBackend(), { confd: confdSettings, first_matched_columns: ['extensions'] });
  const before = confd.hits('/1.1/conferences').length;
  const answers = await Promise.all(['4007', '4008', '4007'].map((exten) => backend.firstMatch(exten, args())));
  t.same(answers.map((a) => a?.name ?? null), ['Room 7', null, 'Room 7']);
  t.equal(confd.hits('/1.1/conferences').length - before, 1);
  t.equal((await backend.matchAll!(['4007'], args()))['4007']?.name, 'Room 7');
  t.equal(confd.hits('/1.1/conferences').length - before, 2);
});

t.test('conference: a confd that cannot be reached fails every caller sharing the request', async (t) => {
  const { backend } = await load(new ConferenceBackend(), { confd: { host: '127.0.0.1', port: 1, https: false, prefix: null }, first_matched_columns: ['extensions'] });
  const outcomes = await Promise.allSettled([backend.firstMatch('4007', args()), backend.firstMatch('4008', args())]);
  t.same(outcomes.map((o) => o.status), ['rejected', 'rejected']);
});

for (const [name, make, main, config, number, found] of [
  ['google', () => new GoogleBackend(), { google: { people_url: `${google.url}/v1` } }, {}, '5551000', 'g1'],
  ['office365', () => new Office365Backend(), {}, { endpoint: `${graph.url}/v1.0/me/contacts` }, '5552000', 'm1'],
] as const) {
  t.test(`${name}: one user's concurrent lookups share one token request and one listing; users do not share`, async (t) => {
    const { backend, calls } = await load(make(), { first_matched_columns: ['numbers', 'mobilePhone'], ...config }, main);
    const listings = () => (name === 'google' ? google : graph).requests.length;
    const before = listings();
    const linked = args('linked', 'user-token');
    const answers = await Promise.all([
      backend.firstMatch(number, linked), backend.firstMatch('000', linked), backend.matchAll!([number], linked),
      backend.firstMatch(number, args('unlinked', 'other-token')),
    ]);
    t.equal((answers[0] as any)?.id, found);
    t.equal(answers[1], null);
    t.equal((answers[2] as any)[number]?.id, found);
    t.equal(answers[3], null, 'a user with no account finds nothing');
    t.equal(calls.external, 2, 'one token request per user');
    const listed = listings() - before;
    await backend.firstMatch(number, linked);
    t.equal(calls.external, 3, 'the next lookup asks for the token again');
    t.equal(listings() - before, 2 * listed, 'and lists again');
  });
}

t.test('SingleFlight: joiners share the outcome, a settled run is not reused, a throwing start rejects', async (t) => {
  const flight = new SingleFlight<number>();
  let runs = 0;
  let release!: (value: number) => void;
  const start = () => (runs++, new Promise<number>((resolve) => (release = resolve)));
  const [a, b] = [flight.run('k', start), flight.run('k', start)];
  const other = flight.run('other', async () => 7);
  release(1);
  t.same(await Promise.all([a, b, other]), [1, 1, 7]);
  t.equal(runs, 1);
  t.equal(flight.size, 0, 'nothing kept once settled');
  const c = flight.run('k', start);
  release(2);
  t.equal(await c, 2);
  t.equal(runs, 2);
  await t.rejects(flight.run('k', () => { throw new Error('boom'); }), /boom/);
  t.equal(flight.size, 0);
});

t.test('Coalescer: questions asked together share a batch; each is answered once, in order, the rest by the fallback', async (t) => {
  const batches: string[][] = [];
  const coalescer = new Coalescer<string, string | null>(4, null, async (context, items, answer) => {
    batches.push([context, ...items]);
    for (const item of items) if (item !== 'unknown') answer(item, `${item}!`);
    answer('a', 'answered twice'); // a runner answering again changes nothing
  });
  const [single, all, empty, duplicate] = await Promise.all([
    coalescer.ask('k', 'ctx', 'a'),
    coalescer.askAll('k', 'ctx', ['b', 'unknown', 'a']),
    coalescer.askAll('k', 'ctx', []),
    coalescer.ask('k', 'ctx', 'b'),
  ]);
  t.equal(single, 'a!');
  t.same(all, ['b!', null, 'a!'], 'in the order asked; unanswered ones get the fallback');
  t.same(empty, []);
  t.equal(duplicate, 'b!');
  t.same(batches, [['ctx', 'a', 'b', 'unknown']], 'one batch of the three distinct questions');

  const more = await coalescer.askAll('k', 'ctx', ['1', '2', '3', '4', '5']);
  t.same(more, ['1!', '2!', '3!', '4!', '5!']);
  t.same(batches.slice(1).map((batch) => batch.length - 1), [4, 1], 'a full batch closes: the next questions open another');
  const failing = new Coalescer<null, number>(10, -1, async () => { throw new Error('down'); });
  t.same(await failing.askAll('k', null, ['x', 'y']), [-1, -1], 'a failing runner answers the fallback');
});
