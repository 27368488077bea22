// A remote back-end whose server fails (refuses, answers an error status, cannot be reached, or the
// token for it cannot be had) rejects every call with a message naming the failure and no secret; it
// never answers "no match" then, which a reverse cache would keep in place of a good answer. A user
// without a linked Google or Microsoft account is no failure: nothing, as before. Back-ends are loaded
// directly (as the sandbox does) against stand-ins speaking the real protocols.
import t, { type Test } from 'tap';
import ConferenceBackend from '../../plugins/backends/conference/index.js';
import CsvWsBackend from '../../plugins/backends/csv_ws/index.js';
import GoogleBackend from '../../plugins/backends/google/index.js';
import Office365Backend from '../../plugins/backends/office365/index.js';
import WazoBackend from '../../plugins/backends/wazo/index.js';
import type { Backend, BackendLoadArgs, CallArgs, SourceConfig } from '../../src/contracts.js';
import { fakeConfd } from '../helpers/fake-confd.js';
import { fakeGoogle } from '../helpers/fake-google.js';
import { fakeGraph } from '../helpers/fake-graph.js';
import { rejection } from '../helpers/rejection.js';
import { freePort } from '../helpers/slapd.js';
import { startService } from './csv_ws/service.js';

const confd = await fakeConfd({
  uuid: '11111111-2222-4333-8444-555555555555',
  validToken: (token) => token === 'service-token',
  users: [{ id: 1, uuid: 'aaaaaaaa-0000-4000-8000-000000000001', firstname: 'Alice', lastname: 'A', exten: '1001' }],
  conferences: [{ id: 7, name: 'Room 7', extensions: [{ context: 'default', exten: '4007' }], incalls: [] }],
}).start();
const google = await fakeGoogle('google-access', [{ id: 'g1', givenName: 'Gina', familyName: 'G', phones: [{ value: '5551000' }] }]).start();
const graph = await fakeGraph('ms-access', [{ id: 'm1', displayName: 'Mo M', givenName: 'Mo', mobilePhone: '5552000' }]).start();
t.teardown(() => Promise.all([confd.stop(), google.stop(), graph.stop()]));

const linked: CallArgs = { token: 'user-token', user_uuid: 'linked', xivo_user_uuid: 'linked', tenant_uuid: null };
const unlinked: CallArgs = { ...linked, user_uuid: 'unlinked', xivo_user_uuid: 'unlinked' };
const SECRETS = /service-token|google-access|ms-access|user-token/;

async function load<B extends Backend>(backend: B, config: Partial<SourceConfig>, main_config: Record<string, unknown> = {}, externalFails = false) {
  const logs: string[] = [];
  const tokens = {
    service: async () => ({ token: 'service-token', tenant: null, fresh_until: Date.now() + 60_000 }),
    external: async (kind: string, user: string | null) => {
      if (externalFails) throw new Error('wazo-auth answered 503 to the external token request');
      return user === 'linked' ? (kind === 'google' ? 'google-access' : 'ms-access') : null;
    },
  };
  const host = { log: async (_level: string, msg: string) => void logs.push(msg), tokens } as unknown as BackendLoadArgs['host'];
  await backend.load!({ config: { uuid: 'u', tenant_uuid: 't', name: 'remote', backend: 'x', searched_columns: ['firstname'], ...config } as SourceConfig, main_config, host });
  t.teardown(() => backend.unload?.());
  return { backend, logs };
}

/** Every method rejects, each error's message matching `message` and holding no token. */
async function allReject(t: Test, backend: Backend, number: string, args: CallArgs, message: RegExp) {
  const fails = (call: () => unknown) => rejection((async () => call())());
  const errors = [
    await fails(() => backend.firstMatch(number, args)),
    await fails(() => backend.search('a', args)),
    await fails(() => backend.list!(['1'], args)),
    ...(backend.matchAll ? [await fails(() => backend.matchAll!([number, '000'], args))] : []),
  ];
  for (const error of errors) {
    t.match(error.message, message);
    t.notMatch(error.message, SECRETS, 'no token in the message');
  }
}

const confdOn = (port: number) => ({ host: '127.0.0.1', port, https: false, prefix: null });

for (const [name, make, number, columns] of [
  ['wazo', () => new WazoBackend(), '1001', ['exten']],
  ['wazo searching', () => new WazoBackend(), 'Alice', ['firstname']],
  ['conference', () => new ConferenceBackend(), '4007', ['extensions']],
] as const) {
  t.test(`${name}: confd answering 503 or unreachable rejects every call; answers again when it is back`, async (t) => {
    const { backend } = await load(make(), { confd: confdOn(confd.port), first_matched_columns: [...columns] });
    t.ok(await backend.firstMatch(number, linked), 'confd up: found');
    confd.forcedStatus = 503;
    t.teardown(() => (confd.forcedStatus = null));
    await allReject(t, backend, number, linked, /wazo-confd http:\/\/127\.0\.0\.1:\d+.*: wazo-confd answered 503/);
    confd.forcedStatus = null;
    t.ok(await backend.firstMatch(number, linked), 'confd back: found again');
    const { backend: cut } = await load(make(), { confd: confdOn(await freePort()), first_matched_columns: [...columns] });
    await allReject(t, cut, number, linked, /wazo-confd http:\/\/127\.0\.0\.1:\d+.*ECONNREFUSED/);
  });
}

for (const [name, make, main, config, number, standIn, kind] of [
  ['google', () => new GoogleBackend(), { google: { people_url: `${google.url}/v1` } }, {}, '5551000', google, 'Google'],
  ['office365', () => new Office365Backend(), {}, { endpoint: `${graph.url}/v1.0/me/contacts` }, '5552000', graph, 'Microsoft Graph'],
] as const) {
  t.test(`${name}: an API error or a failed token request rejects; a user without an account gets nothing`, async (t) => {
    const { backend } = await load(make(), { ...config, first_matched_columns: ['numbers', 'mobilePhone'] }, main);
    t.ok(await backend.firstMatch(number, linked), 'found');
    standIn.forcedStatus = 500;
    t.teardown(() => (standIn.forcedStatus = null));
    await allReject(t, backend, number, linked, new RegExp(`^${kind} answered 500`));
    t.equal(await backend.firstMatch(number, unlinked), null, 'no linked account: no match, no error');
    standIn.forcedStatus = null;
    const { backend: noToken } = await load(make(), { ...config, first_matched_columns: ['numbers', 'mobilePhone'] }, main, true);
    await allReject(t, noToken, number, linked, /^wazo-auth answered 503 to the external token request$/);
  });
}

t.test('csv_ws: an error status or an unreachable service rejects every call, logged once while it lasts', async (t) => {
  const failing = await startService({ rows: [['id', 'firstname', 'number'], ['1', 'Alice', '555']], status: 500 });
  t.teardown(() => failing.close());
  const config = { first_matched_columns: ['number'], unique_column: 'id' };
  const { backend, logs } = await load(new CsvWsBackend(), { ...config, lookup_url: `${failing.url}/lookup?key=s3cret`, list_url: `${failing.url}/list` });
  await allReject(t, backend, '555', linked, /^csv_ws source: http:\/\/127\.0\.0\.1:\d+\/(lookup|list): answered 500$/);
  t.notMatch(logs.join('\n'), /s3cret|555/, 'neither the query nor the number is logged');
  t.equal(logs.filter((line) => line.includes('/lookup')).length, 1, 'one warning for the many failed lookups');
  const { backend: cut } = await load(new CsvWsBackend(), { ...config, lookup_url: `http://127.0.0.1:${await freePort()}/lookup`, list_url: `${failing.url}/list` });
  t.match((await rejection(cut.firstMatch('555', linked))).message, /^csv_ws source: http:\/\/127\.0\.0\.1:\d+\/lookup: .*ECONNREFUSED/);
});
