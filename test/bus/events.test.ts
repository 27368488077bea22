// The events dird consumes, published on the real RabbitMQ as wazo-auth and wazo-confd publish them, and
// their effects seen through the REST API; the favorite events dird publishes, caught on a queue of the
// test's own. On SQLite and PostgreSQL.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { databases } from '../helpers/databases.js';
import { tenants } from '../helpers/dird.js';
import { people } from '../personal/setup.js';
import { eventually, useTestBroker } from './broker.js';
import { startBusDird, XIVO_UUID } from './setup.js';

const alice = people.alice.user;
const bob = people.bob.user;
const autoSourceNames = ['auto_conference_master', 'personal', 'auto_wazo_master', 'auto_office365_master', 'auto_google_master'];

for (const database of databases) {
  await t.test(database.name, async (t) => {
    const { uri, cleanup } = await database.open();
    t.teardown(cleanup);
    const broker = await useTestBroker(t);
    const env = await startBusDird(t, { dbUri: uri, bus: broker.busConfig() });
    const admin = env.as('admin');
    t.equal(await eventually(async () => (await env.status()) === 'ok' && 'ok'), 'ok', 'bus_consumer ok once connected');

    // What provisioning made for the master tenant, as the API shows it.
    const snapshot = async () => {
      const sources = (await admin.get('/0.1/sources', { order: 'name' })).body.items;
      const details = await Promise.all(sources.map(async (s: any) => (await admin.get(`/0.1/backends/${s.backend}/sources/${s.uuid}`)).body));
      return {
        sources: details,
        displays: (await admin.get('/0.1/displays')).body.items,
        profiles: (await admin.get('/0.1/profiles')).body.items,
      };
    };

    await t.test('auth_tenant_added provisions sources, a display and the default profile', async (t) => {
      await broker.publish('auth_tenant_added', { uuid: tenants.master, name: 'master', slug: 'master', domain_names: [] }, `auth.tenants.${tenants.master}.created`);
      const profile = await eventually(async () => (await admin.get('/0.1/profiles')).body.items.find((p: any) => p.name === 'default'));
      t.ok(profile, 'profile "default" created');
      const { sources, displays } = await snapshot();
      t.same(sources.map((s: any) => s.name).sort(), [...autoSourceNames].sort(), 'the five automatic sources');
      const byName = Object.fromEntries(sources.map((s: any) => [s.name, s]));
      const auth = (key: string) => ({
        host: 'localhost', port: 9497, prefix: null, https: false, version: '0.1', key_file: `/var/lib/wazo-auth-keys/wazo-dird-${key}-key.yml`,
      });
      const confd = { host: 'localhost', port: 9486, prefix: null, https: false, version: '1.1' };
      t.match(byName.auto_conference_master, {
        tenant_uuid: tenants.master, auth: auth('conference-backend'), confd,
        format_columns: { phone: '{extensions[0]}', reverse: '{name}' },
        searched_columns: ['name', 'extensions', 'incalls'], first_matched_columns: ['extensions', 'incalls'],
      });
      t.match(byName.personal, {
        format_columns: { phone: '{number}', name: '{firstname} {lastname}', phone_mobile: '{mobile}', reverse: '{firstname} {lastname}' },
        searched_columns: ['firstname', 'lastname', 'number', 'mobile', 'fax'], first_matched_columns: ['number', 'mobile'],
      });
      t.match(byName.auto_wazo_master, {
        auth: auth('wazo-backend'), confd,
        format_columns: { phone: '{exten}', name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
        searched_columns: ['firstname', 'lastname', 'full_name', 'exten'], first_matched_columns: ['exten', 'mobile_phone_number'],
      });
      t.match(byName.auto_office365_master, {
        auth: auth('wazo-backend'), endpoint: 'https://graph.microsoft.com/v1.0/me/contacts',
        format_columns: {
          name: '{givenName} {surname}', reverse: '{givenName} {surname}', phone_mobile: '{mobilePhone}',
          phone: '{numbers_except_label[mobilePhone][0]}',
        },
        searched_columns: ['givenName', 'surname', 'businessPhones', 'homePhones', 'mobilePhone'],
        first_matched_columns: ['businessPhones', 'mobilePhone', 'homePhones'],
      });
      t.match(byName.auto_google_master, {
        auth: auth('wazo-backend'),
        format_columns: { phone_mobile: '{numbers_by_label[mobile]}', reverse: '{name}', phone: '{numbers_except_label[mobile][0]}' },
        searched_columns: ['name', 'numbers', 'familyName', 'givenName'], first_matched_columns: ['numbers'],
      });

      t.equal(displays.length, 1);
      t.equal(displays[0].name, 'auto_master');
      t.same(displays[0].columns.map((c: any) => [c.field, c.title, c.type, c.number_display]), [
        ['name', 'Nom', 'name', null],
        ['firstname', 'Prénom', null, null],
        ['lastname', 'Nom de famille', null, null],
        ['phone', 'Numéro', 'number', '{name}'],
        ['phone_mobile', 'Mobile', 'number', '{name} (mobile)'],
        ['voicemail', 'Boîte vocale', 'voicemail', null],
        ['favorite', 'Favoris', 'favorite', null],
        ['email', 'E-mail', 'email', null],
      ]);

      const inOrder = autoSourceNames.map((name) => ({ uuid: byName[name].uuid }));
      t.same(profile.display, { uuid: displays[0].uuid });
      t.same(profile.services.lookup.sources, inOrder, 'lookup: every source, in wazo-dird order');
      t.same(profile.services.favorites.sources, inOrder);
      t.same(profile.services.reverse, { sources: inOrder, options: { timeout: 0.5 } }, 'reverse: same sources, timeout 0.5');

      // The provisioned profile answers: alice's personal contact through the `personal` source.
      const contact = (await env.as('alice').post('/0.1/personal', { firstname: 'Zoé', lastname: 'Zed', number: '5550001' })).body;
      // The first calls start the five sandboxes, which may take longer than the 0.5 s reverse timeout.
      const reverse = await eventually(async () => {
        const reply = await env.as('alice').get(`/0.1/directories/reverse/default/${alice}`, { exten: '5550001' });
        return reply.body?.display ? reply : null;
      });
      t.equal(reverse?.status, 200);
      t.match(reverse?.body, { display: 'Zoé Zed', source: 'personal', fields: { id: contact.id } });
    });

    await t.test('a replayed auth_tenant_added changes nothing and reports nothing', async (t) => {
      const before = await snapshot();
      const warningsBefore = env.warnings().length;
      await broker.publish('auth_tenant_added', { uuid: tenants.master, name: 'master' });
      // Events are handled in order: once the next one's effect shows, the replay has been handled.
      await broker.publish('auth_tenant_added', { uuid: tenants.other, name: 'other' });
      const other = await eventually(async () => (await env.as('carol').get('/0.1/profiles')).body.items.length > 0);
      t.ok(other, 'the following event was handled');
      t.same(await snapshot(), before, 'sources, displays and profiles unchanged');
      t.same(env.warnings().slice(warningsBefore), [], 'no warning or error logged');
    });

    await t.test('favorite_added and favorite_deleted are published with wazo headers', async (t) => {
      const captured = await broker.capture(['favorite_added', 'favorite_deleted']);
      const contact = (await env.as('alice').post('/0.1/personal', { firstname: 'Fav', number: '5550002' })).body;
      t.equal((await env.as('alice').put(`/0.1/directories/favorites/personal/${contact.id}`)).status, 204);
      const [added] = await captured.next();
      const data = { xivo_uuid: XIVO_UUID, user_uuid: alice, source: 'personal', source_entry_id: contact.id };
      t.equal(added.routingKey, `directory.${alice}.favorite.created`);
      t.match(added.headers, {
        name: 'favorite_added', tenant_uuid: tenants.master, [`user_uuid:${alice}`]: true, origin_uuid: XIVO_UUID,
        required_access: 'event.favorite_added', required_acl: `events.directory.${alice}.favorite.created`,
        timestamp: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?$/,
      });
      t.same(added.body.data, data);
      t.equal(added.body.name, 'favorite_added', 'the body repeats the headers');

      t.equal((await env.as('alice').delete(`/0.1/directories/favorites/personal/${contact.id}`)).status, 204);
      const [deleted] = await captured.next();
      t.equal(deleted.routingKey, `directory.${alice}.favorite.deleted`);
      t.match(deleted.headers, { name: 'favorite_deleted', tenant_uuid: tenants.master, [`user_uuid:${alice}`]: true });
      t.same(deleted.body.data, data);

      t.equal((await env.as('alice').put('/0.1/directories/favorites/personal/nope')).status, 204);
      t.equal((await env.as('alice').put('/0.1/directories/favorites/personal/nope')).status, 409, 'a refused add …');
      t.equal((await env.as('alice').delete('/0.1/directories/favorites/personal/missing')).status, 404, '… or remove …');
      t.equal((await env.as('alice').delete('/0.1/directories/favorites/personal/nope')).status, 204);
      const rest = await captured.next(2);
      t.same(rest.map((m) => m.headers.name), ['favorite_added', 'favorite_deleted'], '… publishes nothing');
      t.equal(captured.messages.length, 4);
    });

    await t.test("user_deleted removes that user's personal contacts and favorites only", async (t) => {
      const aliceContact = (await env.as('alice').post('/0.1/personal', { firstname: 'Gone', number: '5550003' })).body;
      const bobContact = (await env.as('bob').post('/0.1/personal', { firstname: 'Kept', number: '5550004' })).body;
      t.equal((await env.as('alice').put(`/0.1/directories/favorites/personal/${aliceContact.id}`)).status, 204);
      t.equal((await env.as('bob').put(`/0.1/directories/favorites/personal/${bobContact.id}`)).status, 204);
      t.ok((await env.as('alice').get('/0.1/personal')).body.items.length > 0);

      await broker.publish('user_deleted', {
        id: 42, uuid: alice, subscription_type: 0, created_at: '2026-01-01T00:00:00', tenant_uuid: tenants.master,
      }, 'config.user.deleted');
      t.ok(await eventually(async () => (await env.as('alice').get('/0.1/personal')).body.items.length === 0), "alice's contacts gone");
      t.equal((await env.as('alice').delete(`/0.1/directories/favorites/personal/${aliceContact.id}`)).status, 404, "alice's favorite gone");
      t.same((await env.as('bob').get('/0.1/personal')).body.items.map((c: any) => c.id), [bobContact.id], "bob's contacts kept");
      const bobs = (await env.as('bob').get('/0.1/directories/favorites/default')).body.results;
      t.same(bobs.map((r: any) => r.relations.source_entry_id), [bobContact.id], "bob's favorite kept");
    });

    await t.test('localization_edited stores the tenant country', async (t) => {
      const store = env.dird.dird.store;
      t.equal(await store.tenants.country(tenants.sub), null);
      await broker.publish('localization_edited', { tenant_uuid: tenants.sub, country: 'FR' }, 'config.localization.edited');
      t.equal(await eventually(() => store.tenants.country(tenants.sub)), 'FR');
      await broker.publish('localization_edited', { tenant_uuid: tenants.sub, country: 'CA' }, 'config.localization.edited');
      t.equal(await eventually(async () => (await store.tenants.country(tenants.sub)) === 'CA' && 'CA'), 'CA', 'edited again');
    });

    await t.test("localization_edited reaches e164 reverse lookups at once, as the tenant's default region", async (t) => {
      const file = join(mkdtempSync(join(tmpdir(), 'dird-bus-country-')), 'numbers.csv');
      writeFileSync(file, 'id,name,number\n1,Zoé,+33 1 23 45 67 89\n');
      const source = (await admin.post('/0.1/backends/csv/sources', {
        name: 'country-csv', file, unique_column: 'id', first_matched_columns: ['number'], format_columns: { reverse: '{name}' },
      })).body;
      // Ten last digits: 0123456789 does not end like +33123456789, so only a region can match them.
      const options = { timeout: 5, number_matching: 'e164', suffix_digits: 10 };
      t.equal((await admin.post('/0.1/profiles', { name: 'callerid', services: { reverse: { sources: [{ uuid: source.uuid }], options } } })).status, 201);
      const reverse = async () => (await admin.get(`/0.1/directories/reverse/callerid/${people.alice.user}`, { exten: '0123456789' })).body.display;
      t.equal(await reverse(), null, 'no country yet: a national number is not understood');
      await broker.publish('localization_edited', { tenant_uuid: tenants.master, country: 'FR' }, 'config.localization.edited');
      // Well within the minute a country is otherwise trusted for.
      t.equal(await eventually(reverse, 3000), 'Zoé', 'read in France from the next lookup on');
    });

    await t.test('malformed events are logged and skipped; the consumer goes on', async (t) => {
      await broker.publish('user_deleted', { uuid: 'not-a-uuid' });
      await broker.publish('localization_edited', { tenant_uuid: tenants.sub, country: 'BE' });
      t.equal(await eventually(async () => (await env.dird.dird.store.tenants.country(tenants.sub)) === 'BE' && 'BE'), 'BE');
      t.ok(env.warnings().some((line) => /data\.uuid is not a UUID/.test(line.reason ?? '')), 'the bad event is reported');
    });

    await t.test('GET /config masks the bus password', async (t) => {
      const config = (await admin.get('/0.1/config')).body;
      t.equal(config.bus.password, '********');
      t.equal(config.bus.username, 'guest');
    });
  });
}
