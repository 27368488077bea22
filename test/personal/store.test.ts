// The personal and favorites store namespaces on both databases: upstream-compatible hashes and rows,
// owner-keyed reads, and the capability the personal back-end gets (only its columns, only valid args).
import t from 'tap';
import { createChangeFeed } from '../../host/changes.js';
import { PersonalService } from '../../plugins/services/personal/index.js';
import type { SourceConfig } from '../../src/contracts.js';
import { DuplicateFavoriteError } from '../../src/storage/favorites.js';
import { databases } from '../helpers/databases.js';
import { rejection } from '../helpers/rejection.js';
import { newTenant, openTestStore } from '../storage/fixture.js';

const ALICE = '00000000-0000-4000-8000-00000000a11c';
const BOB = '00000000-0000-4000-8000-00000000b0b0';

for (const database of databases) {
  t.test(database.name, async (t) => {
    const store = await openTestStore(t, database);
    const tenant = newTenant();

    await t.test("rows and hash as wazo-dird's", async (t) => {
      const contact = await store.personal.create(tenant, ALICE, { firstname: 'Zoë', lastname: 'Ünal', number: '+33 1 23', id: 'x' });
      t.equal(contact.id, 'x');
      const row = await store.db.selectFrom('dird_contact').selectAll().where('uuid', '=', 'x').executeTakeFirstOrThrow();
      t.same(row, { uuid: 'x', user_uuid: ALICE, phonebook_uuid: null, hash: 'a0b0b0c8b0145bc4de556e3646c70bfcbf4519dd' });
      const fields = await store.db.selectFrom('dird_contact_fields').select(['name', 'value']).where('contact_uuid', '=', 'x').orderBy('name').execute();
      t.same(fields, [
        { name: 'firstname', value: 'Zoë' }, { name: 'id', value: 'x' }, { name: 'lastname', value: 'Ünal' }, { name: 'number', value: '+33 1 23' },
      ], 'the id is a field row too');
      const user = await store.db.selectFrom('dird_user').selectAll().where('user_uuid', '=', ALICE).executeTakeFirstOrThrow();
      t.equal(user.tenant_uuid, tenant, 'the user row is created with its tenant');
    });

    await t.test('reads are keyed by the owner; large id lists work', async (t) => {
      const many = await store.personal.importMany(tenant, BOB, Array.from({ length: 1200 }, (_, i) => ({ firstname: `B${i}`, number: `9${i}` })));
      t.equal(many.length, 1200);
      t.equal((await store.personal.byIds(BOB, many.map((c) => c.id))).length, 1200, 'more ids than one IN list holds');
      t.same(await store.personal.byIds(ALICE, [many[0].id]), [], "bob's contact is not alice's");
      t.same(await store.personal.exactMatches(ALICE, ['number'], ['90']), []);
      t.same(await store.personal.exactMatches(BOB, ['number'], ['90']), [{ id: many[0].id, value: '90' }]);
      t.same(await store.personal.exactMatches(BOB, ['firstname'], ['90']), [], 'only the named columns');
      t.equal((await store.personal.searchable(BOB, ['firstname'])).length, 1200);
      t.same(await store.personal.existingIds([many[0].id, 'x', 'nope']), new Set([many[0].id, 'x']));
      t.equal(await store.personal.delete(ALICE, many[0].id), false, 'alice cannot delete it');
      await store.personal.deleteUser(BOB);
      t.same(await store.personal.list(BOB), []);
      t.equal((await store.personal.list(ALICE)).length, 1);
    });

    await t.test('the capability answers on its source columns and refuses odd arguments', async (t) => {
      const service = new PersonalService(store, createChangeFeed());
      await store.personal.create(tenant, BOB, { firstname: 'Bob', number: '42', secret: 'hidden' });
      const source = { uuid: 'u', tenant_uuid: tenant, name: 'p', backend: 'personal', searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: {} } as SourceConfig;
      const capability = service.capability(source) as Record<string, (...args: unknown[]) => Promise<any>>;
      t.same((await capability.searchable(BOB)).map((row: any) => row.value), ['Bob']);
      const matched = await capability.matches(BOB, ['42', 'hidden']);
      t.same(Object.keys(matched), ['42']);
      t.equal(matched['42'].secret, 'hidden', 'a matched contact comes whole');
      t.same(await capability.matches(BOB, 'not a list'), {});
      t.same(await capability.searchable(42), []);
      t.same(await capability.contacts(BOB, [{ evil: true }]), []);
      t.same(await capability.contacts('', ['x']), []);
    });

    await t.test('favorites are per user and name their source', async (t) => {
      const source = await store.sources.create(tenant, 'csv', { name: 'a/b', searched_columns: [], first_matched_columns: [], format_columns: {}, file: '/x' });
      await store.favorites.add(tenant, ALICE, source.uuid, '1');
      await store.favorites.add(tenant, BOB, source.uuid, '1');
      t.same(await store.favorites.ofUser(ALICE), [{ source_uuid: source.uuid, source_name: 'a/b', contact_id: '1' }]);
      t.ok((await rejection(store.favorites.add(tenant, ALICE, source.uuid, '1'))) instanceof DuplicateFavoriteError, 'a duplicate');
      t.equal(await store.favorites.remove(ALICE, [source.uuid], '1'), 1);
      t.equal(await store.favorites.remove(ALICE, [source.uuid], '1'), 0);
      await store.favorites.deleteUser(BOB);
      t.same(await store.favorites.ofUser(BOB), []);
    });
  });
}
