// Two instances on one PostgreSQL database behave as one service: what is written through A is used by
// B's next requests (each check first shows B holding the old state in its caches, then polls B until
// it has the new one), and B's relay recovers when its listening connection is killed.
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { eventually, twoInstances } from './setup.js';

const csvDir = join(packageRoot, 'test/fixtures/csv-core');
const csvSource = (name: string) => ({
  name, file: join(csvDir, 'people.csv'), unique_column: 'id',
  searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
  format_columns: { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
});
const names = (body: any) => (body?.results ?? []).map((r: any) => r.column_values[0]).sort();

t.test('sources, displays and profiles written through A are used by B', async (t) => {
  // B's reverse answers for `people` are cached for 5 min: only a relayed change can drop them.
  const { a, b, onA, onB } = await twoInstances(t, { reverse_cache: { sources: { people: { ttl: 300 } } } });
  t.equal(a.dird.relay?.status(), 'ok', 'A relays');
  t.same((await onB('GET', '/0.1/status')).body.change_relay, { status: 'ok' }, "B's status shows its relay");

  const display = (await onA('POST', '/0.1/displays', { name: 'd', columns: [{ title: 'Name', field: 'name' }] })).body;
  const source = (await onA('POST', '/0.1/backends/csv/sources', csvSource('people'))).body;
  const other = (await onA('POST', '/0.1/backends/csv/sources', {
    ...csvSource('more'), file: join(csvDir, 'more-people.csv'), separator: '|',
  })).body;
  const services = (uuids: string[]) => {
    const sources = uuids.map((uuid) => ({ uuid }));
    return { lookup: { sources, options: { timeout: 5 } }, reverse: { sources, options: { timeout: 5 } } };
  };
  const profile = (await onA('POST', '/0.1/profiles', { name: 'p', display: { uuid: display.uuid }, services: services([source.uuid]) })).body;
  t.ok(profile.uuid, 'profile created on A');

  const lookupOnB = () => onB('GET', '/0.1/directories/lookup/p?term=');
  const before = await lookupOnB();
  t.same(names(before.body), ['Alice Ardent', 'Bob Bernier'], 'B answers the profile (and now holds it in its caches)');
  t.same(before.body.column_headers, ['Name']);
  const reverseOnB = () => onB('GET', `/0.1/directories/reverse/p/${b.users.admin}?exten=5551000001`);
  t.equal((await reverseOnB()).body.display, 'Alice Ardent');
  t.equal(b.dird.services.reverse.cache.size(source.uuid), 1, "B's reverse cache holds the answer");

  await t.test('a source update', async (t) => {
    t.equal((await onA('PUT', `/0.1/backends/csv/sources/${source.uuid}`, {
      ...csvSource('people'), format_columns: { name: '{lastname}, {firstname}', reverse: '{lastname}' },
    })).status, 204);
    const after = await eventually(lookupOnB, (reply) => names(reply.body)[0] === 'Ardent, Alice');
    t.same(names(after.body), ['Ardent, Alice', 'Bernier, Bob'], "B's lookup uses the new format");
    const reverse = await eventually(reverseOnB, (reply) => reply.body.display === 'Ardent');
    t.equal(reverse.body.display, 'Ardent', "and so does B's reverse (its cached answer was dropped)");
  });

  await t.test('a display update', async (t) => {
    t.equal((await onA('PUT', `/0.1/displays/${display.uuid}`, {
      name: 'd', columns: [{ title: 'Who', field: 'name' }, { title: 'Number', field: 'number' }],
    })).status, 204);
    const after = await eventually(lookupOnB, (reply) => reply.body.column_headers?.[0] === 'Who');
    t.same(after.body.column_headers, ['Who', 'Number'], "B's lookup shows the new display");
  });

  await t.test('a profile update', async (t) => {
    t.equal((await onA('PUT', `/0.1/profiles/${profile.uuid}`, {
      name: 'p', display: { uuid: display.uuid }, services: services([other.uuid]),
    })).status, 204);
    const after = await eventually(lookupOnB, (reply) => names(reply.body).includes('Robert Plant'));
    t.same(names(after.body), ['Alicia Keys', 'Robert Plant'], 'B asks the new source only');
  });

  await t.test('a source deletion', async (t) => {
    t.equal((await onA('PUT', `/0.1/profiles/${profile.uuid}`, {
      name: 'p', display: { uuid: display.uuid }, services: services([source.uuid, other.uuid]),
    })).status, 204);
    t.equal((await eventually(lookupOnB, (reply) => names(reply.body).length === 4)).body.results.length, 4, 'both sources');
    t.equal((await onA('DELETE', `/0.1/backends/csv/sources/${other.uuid}`)).status, 204);
    const after = await eventually(lookupOnB, (reply) => names(reply.body).length === 2);
    t.same(names(after.body), ['Ardent, Alice', 'Bernier, Bob'], 'B no longer asks the deleted source');
  });

  await t.test('a display deletion', async (t) => {
    t.equal((await onA('DELETE', `/0.1/displays/${display.uuid}`)).status, 204);
    const after = await eventually(lookupOnB, (reply) => reply.body.column_headers?.length === 0);
    t.same(after.body.column_headers, [], 'B answers without the deleted display');
  });

  await t.test('a profile deletion', async (t) => {
    t.equal((await onA('DELETE', `/0.1/profiles/${profile.uuid}`)).status, 204);
    const after = await eventually(lookupOnB, (reply) => reply.status === 404);
    t.equal(after.status, 404, 'B no longer knows the profile');
  });
});

t.test('phonebook contacts written through A are found by B', async (t) => {
  const { a, b, onA, onB } = await twoInstances(t);
  const book = (await onA('POST', '/0.1/phonebooks', { name: 'Company' })).body;
  const source = (await onA('POST', '/0.1/backends/phonebook/sources', {
    phonebook_uuid: book.uuid, searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
    format_columns: { name: '{firstname} {lastname}', reverse: '{firstname} {lastname}' },
  })).body;
  const sources = [{ uuid: source.uuid }];
  t.equal((await onA('POST', '/0.1/profiles', {
    name: 'pb', services: { lookup: { sources, options: { timeout: 5 } }, reverse: { sources, options: { timeout: 5 } } },
  })).status, 201);
  const reverseOnB = (exten: string) => () => onB('GET', `/0.1/directories/reverse/pb/${b.users.admin}?exten=${exten}`);
  t.equal((await reverseOnB('1001')()).body.display, null, "B's phonebook back-end has loaded the empty phonebook");

  const contacts = `/0.1/phonebooks/${book.uuid}/contacts`;
  const alice = (await onA('POST', contacts, { firstname: 'Alice', lastname: 'Liddell', number: '1001' })).body;
  t.equal((await eventually(reverseOnB('1001'), (r) => r.body.display !== null)).body.display, 'Alice Liddell', 'a contact added on A');

  t.equal((await onA('PUT', `${contacts}/${alice.id}`, { firstname: 'Alicia', lastname: 'Liddell', number: '2002' })).status, 200);
  t.equal((await eventually(reverseOnB('2002'), (r) => r.body.display !== null)).body.display, 'Alicia Liddell', 'an edit on A');
  t.equal((await reverseOnB('1001')()).body.display, null, 'the old number no longer matches');

  const imported = await fetch(`${a.url}${contacts}/import`, {
    method: 'POST', headers: { 'X-Auth-Token': a.tokens.admin, 'Content-Type': 'text/csv' },
    body: 'firstname,lastname,number\nBob,Builder,3003\nCarol,Singer,4004\n',
  });
  t.equal(imported.status, 201);
  t.equal((await eventually(reverseOnB('4004'), (r) => r.body.display !== null)).body.display, 'Carol Singer', 'an import on A');
  t.equal((await reverseOnB('3003')()).body.display, 'Bob Builder');

  t.equal((await onA('DELETE', `${contacts}/${alice.id}`)).status, 204);
  t.equal((await eventually(reverseOnB('2002'), (r) => r.body.display === null)).body.display, null, 'a deletion on A');
});
