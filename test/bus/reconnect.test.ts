// The broker going away: dird starts without it, serves while it is gone, reports it in GET /status,
// reconnects by itself, and handles the events published meanwhile (its queue is durable). The broker
// itself is never stopped (others use it): dird reaches it through a TCP relay that the test cuts.
import t from 'tap';
import { tenants } from '../helpers/dird.js';
import { startTcpProxy } from '../helpers/tcp-proxy.js';
import { BROKER_PORT, eventually, useTestBroker } from './broker.js';
import { startBusDird } from './setup.js';

const alice = '00000000-0000-4000-8000-0000000001a1';

t.test('broker down at start, cut mid-run, and back', async (t) => {
  const broker = await useTestBroker(t);
  const proxy = await startTcpProxy(BROKER_PORT, { cut: true });
  t.teardown(() => proxy.close());
  const env = await startBusDird(t, { bus: broker.busConfig(proxy.port) });
  const store = env.dird.dird.store;
  const country = () => store.tenants.country(tenants.master);

  const admin = env.as('admin');
  t.equal(await env.status(), 'fail', 'bus_consumer fail while the broker is unreachable');
  const personal = await admin.post('/0.1/backends/personal/sources', { name: 'personal' });
  t.equal(personal.status, 200, 'the API serves without a broker');
  const contact = (await env.as('alice').post('/0.1/personal', { firstname: 'Ann', number: '5551234' })).body;
  t.equal((await env.as('alice').put(`/0.1/directories/favorites/personal/${contact.id}`)).status, 204,
    'a favorite is added; its event is dropped, not an error');
  t.ok(env.warnings().some((line) => /event not published/.test(line.msg)), 'the dropped event is logged');

  proxy.restore();
  t.equal(await eventually(async () => (await env.status()) === 'ok' && 'ok'), 'ok', 'connects once the broker answers');
  await broker.publish('localization_edited', { tenant_uuid: tenants.master, country: 'FR' });
  t.equal(await eventually(country), 'FR', 'consumes');

  const captured = await broker.capture(['favorite_deleted']);
  proxy.cut();
  t.equal(await eventually(async () => (await env.status()) === 'fail' && 'fail'), 'fail', 'connection loss is reported');
  t.equal((await admin.get('/0.1/sources')).status, 200, 'still serving');
  t.equal((await env.as('alice').delete(`/0.1/directories/favorites/personal/${contact.id}`)).status, 204);
  t.equal(captured.messages.length, 0, 'nothing published while cut');
  // Published while dird is away: the durable queue keeps it for dird.
  await broker.publish('localization_edited', { tenant_uuid: tenants.master, country: 'DE' });
  t.equal(await country(), 'FR');

  proxy.restore();
  t.equal(await eventually(async () => (await env.status()) === 'ok' && 'ok'), 'ok', 'reconnects');
  t.equal(await eventually(async () => (await country()) === 'DE' && 'DE'), 'DE', 'the event published meanwhile is handled');
  t.equal((await env.as('alice').put(`/0.1/directories/favorites/personal/${contact.id}`)).status, 204);
  t.equal((await env.as('alice').delete(`/0.1/directories/favorites/personal/${contact.id}`)).status, 204);
  const [deleted] = await captured.next();
  t.equal(deleted.body.data.user_uuid, alice, 'publishes again');

  t.equal(await broker.consumers(), 1, 'one consumer on the queue');
  await env.dird.close();
  t.equal(await broker.consumers(), 0, 'closing dird closes its consumer');
  t.ok(await eventually(() => proxy.open() === 0), 'and its connection');
});

t.test('several instances share the queue: each event is handled once', async (t) => {
  const broker = await useTestBroker(t);
  const { databases } = await import('../helpers/databases.js');
  const postgres = databases.find((d) => d.name === 'postgres')!;
  const { uri, cleanup } = await postgres.open();
  t.teardown(cleanup);
  const first = await startBusDird(t, { dbUri: uri, bus: broker.busConfig() });
  const second = await startBusDird(t, { dbUri: uri, bus: broker.busConfig() });
  for (const env of [first, second]) t.equal(await eventually(async () => (await env.status()) === 'ok' && 'ok'), 'ok');
  t.equal(await broker.consumers(), 2);
  for (const uuid of [tenants.master, tenants.sub]) {
    await broker.publish('auth_tenant_added', { uuid, name: uuid === tenants.master ? 'master' : 'sub' });
  }
  const admin = first.as('admin');
  const profiles = async (tenant: string) => (await admin.get('/0.1/profiles', {}, { 'Wazo-Tenant': tenant })).body.items;
  t.ok(await eventually(async () => (await profiles(tenants.master)).length === 1 && (await profiles(tenants.sub)).length === 1),
    'both tenants provisioned');
  const displays = async (tenant: string) => (await admin.get('/0.1/displays', {}, { 'Wazo-Tenant': tenant })).body.items;
  t.equal((await displays(tenants.master)).length, 1, 'one display per tenant');
  t.equal((await displays(tenants.sub)).length, 1);
});

t.test('its queue deleted under it, dird declares it again and goes on consuming', async (t) => {
  const broker = await useTestBroker(t);
  const env = await startBusDird(t, { bus: broker.busConfig() });
  t.equal(await eventually(async () => (await env.status()) === 'ok' && 'ok'), 'ok');
  await broker.deleteQueue();
  // Messages sent before the queue is back are lost (no queue, no copy): publish until one lands.
  const stored = await eventually(async () => {
    await broker.publish('localization_edited', { tenant_uuid: tenants.sub, country: 'IT' });
    return (await env.dird.dird.store.tenants.country(tenants.sub)) === 'IT';
  });
  t.ok(stored, 'consuming again');
  t.equal(await broker.consumers(), 1);
});

t.test('refused credentials: reported as a failing consumer, the password never logged', async (t) => {
  const broker = await useTestBroker(t);
  const password = 'wrong-pass-7f3a9c';
  const env = await startBusDird(t, { bus: { ...broker.busConfig(), password } });
  t.ok(await eventually(() => env.warnings().some((line) => /unreachable/.test(line.msg) && /ACCESS.REFUSED|403/i.test(line.reason))),
    'the refusal is logged');
  t.equal(await env.status(), 'fail');
  t.notMatch(env.logText(), password, 'the password appears in no log line');
  t.equal((await env.as('admin').get('/0.1/config')).body.bus.password, '********', 'GET /config masks it');
});

t.test('bus disabled: status says so, publish is a no-op', async (t) => {
  const env = await startBusDird(t, { bus: { enabled: false } });
  t.equal(await env.status(), 'disabled');
  t.equal(env.dird.dird.services.bus.publish({ name: 'x', routingKey: 'x', data: {} }), false);
  t.same(env.warnings(), []);
});
