// The conference back-end through a whole dird (spec §4.6, §2.9): conferences of a wazo-confd stand-in.
import t from 'tap';
import { FakeWazoAuth } from '../../auth/fake-wazo-auth.js';
import { fakeConfd } from '../../helpers/fake-confd.js';
import { startDird } from '../../helpers/dird.js';

const auth = await new FakeWazoAuth({ tokens: {}, tenants: [], service: { username: 'dird-conf', password: 'pw', tenant_uuid: '00000000-0000-4000-8000-00000000000a' } }).start();
const confd = await fakeConfd({
  uuid: '11111111-2222-4333-8444-555555555555',
  validToken: (token) => auth.knows(token),
  conferences: [
    { id: 1, name: 'Daily Standup', extensions: [{ context: 'default', exten: '4001' }], incalls: [{ extensions: [{ context: 'from-extern', exten: '0123456789' }] }] },
    { id: 2, name: 'Board Room', extensions: [{ context: 'default', exten: '4002' }], incalls: [] },
  ],
}).start();
const dird = await startDird();
t.teardown(async () => {
  await dird.close();
  await Promise.all([auth.stop(), confd.stop()]);
});
const headers = { 'x-auth-token': dird.tokens.admin };

const source = (await dird.inject({ method: 'POST', url: '/0.1/backends/conference/sources', headers, payload: {
  name: 'conferences',
  auth: { host: '127.0.0.1', port: auth.port, https: false, prefix: null, username: 'dird-conf', password: 'pw' },
  confd: { host: '127.0.0.1', port: confd.port, https: false, prefix: null },
  searched_columns: ['name', 'extensions'],
  first_matched_columns: ['extensions', 'incalls'],
  format_columns: { reverse: '{name}', number: '{extensions[0]}' },
} })).json();
const display = (await dird.inject({ method: 'POST', url: '/0.1/displays', headers, payload: {
  name: 'conf', columns: [{ title: 'Name', field: 'name' }, { title: 'Number', field: 'number' }],
} })).json();
await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
  name: 'conf', display: { uuid: display.uuid },
  services: { lookup: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } }, reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
} });

t.test('lookup by name and by number', async (t) => {
  const byName = (await dird.inject({ url: '/0.1/directories/lookup/conf?term=STAND', headers })).json().results;
  t.same(byName.map((r: any) => r.column_values), [['Daily Standup', '4001']]);
  t.equal(byName[0].relations.source_entry_id, '1');
  const byNumber = (await dird.inject({ url: '/0.1/directories/lookup/conf?term=400', headers })).json().results;
  t.same(byNumber.map((r: any) => r.column_values[0]).sort(), ['Board Room', 'Daily Standup']);
});

t.test('reverse on an extension or an incall number', async (t) => {
  const reverse = (exten: string) => dird.inject({ url: `/0.1/directories/reverse/conf/${dird.users.admin}?exten=${exten}`, headers }).then((r) => r.json());
  t.equal((await reverse('4002')).display, 'Board Room');
  t.equal((await reverse('0123456789')).display, 'Daily Standup');
  t.equal((await reverse('4003')).display, null);
});

t.test('GET …/contacts: the confd conferences with their numbers', async (t) => {
  const response = await dird.inject({ url: `/0.1/backends/conference/sources/${source.uuid}/contacts?order=name&order_insensitive=true`, headers });
  t.equal(response.statusCode, 200);
  t.same(response.json(), {
    total: 2, filtered: 2,
    items: [
      { id: 1, name: 'Daily Standup', extensions: [{ context: 'default', exten: '4001' }], incalls: [{ context: 'from-extern', exten: '0123456789' }] },
      { id: 2, name: 'Board Room', extensions: [{ context: 'default', exten: '4002' }], incalls: [] },
    ],
  });
  const forwarded = confd.hits('/1.1/conferences').at(-1)!.query;
  t.equal(forwarded.get('order'), 'name');
  t.equal(forwarded.get('order_insensitive'), 'true');
  confd.forcedStatus = 500;
  const failed = await dird.inject({ url: `/0.1/backends/conference/sources/${source.uuid}/contacts`, headers });
  confd.forcedStatus = null;
  t.equal(failed.statusCode, 503);
  t.equal(failed.json().error_id, 'wazo-confd-error');
});
