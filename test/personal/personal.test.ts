// Personal contacts through the HTTP API on both stores: CRUD, list params, CSV export, the profile
// listing, and lookups through the sandboxed personal back-end.
import t from 'tap';
import { onEveryDatabase, people } from './setup.js';

const withoutId = ({ id: _id, ...rest }: Record<string, unknown>) => rest;

await onEveryDatabase(t, async (t, { as, dird }) => {
  const alice = as('alice');

  await t.test('create, get, replace, delete', async (t) => {
    const created = await alice.post('/0.1/personal', { firstname: 'Alice', lastname: 'Liddell', number: '1234' });
    t.equal(created.status, 201);
    t.match(created.body, { id: /^[0-9a-f-]{36}$/, firstname: 'Alice', lastname: 'Liddell', number: '1234' });
    const id = created.body.id;

    const got = await alice.get(`/0.1/personal/${id}`);
    t.equal(got.status, 200);
    t.same(got.body, created.body);

    const replaced = await alice.put(`/0.1/personal/${id}`, { id: 'ignored', firstname: 'Alicia', email: 'a@x' });
    t.equal(replaced.status, 200);
    t.same(replaced.body, { id, firstname: 'Alicia', email: 'a@x' }, 'PUT replaces every field and keeps the id');
    t.same((await alice.get(`/0.1/personal/${id}`)).body, { id, firstname: 'Alicia', email: 'a@x' });

    t.equal((await alice.delete(`/0.1/personal/${id}`)).status, 204);
    const gone = await alice.get(`/0.1/personal/${id}`);
    t.equal(gone.status, 404);
    t.match(gone.body, { reason: [`No such contact: ${id}`], status_code: 404, timestamp: [Number] });
    t.equal((await alice.put(`/0.1/personal/${id}`, { a: 'b' })).status, 404);
    t.equal((await alice.delete(`/0.1/personal/${id}`)).status, 404);
  });

  await t.test('an id in the body becomes the contact id', async (t) => {
    const created = await alice.post('/0.1/personal', { id: 'my-own-id', firstname: 'Own' });
    t.equal(created.status, 201);
    t.equal(created.body.id, 'my-own-id');
    t.equal((await alice.get('/0.1/personal/my-own-id')).body.firstname, 'Own');
    const taken = await as('bob').post('/0.1/personal', { id: 'my-own-id', firstname: 'Other' });
    t.equal(taken.status, 409, "another user's contact id cannot be reused");
    t.equal((await alice.post('/0.1/personal', { id: 'x'.repeat(39), firstname: 'Long' })).status, 400);
    await alice.delete('/0.1/personal/my-own-id');
  });

  await t.test('duplicates are refused with 409', async (t) => {
    const first = await alice.post('/0.1/personal', { firstname: 'Dup', number: '1' });
    const again = await alice.post('/0.1/personal', { number: '1', firstname: 'Dup' });
    t.equal(again.status, 409);
    t.same(again.body.reason, ['Addind this contact would create a duplicate']);
    const withId = await alice.post('/0.1/personal', { id: 'other-id', number: '1', firstname: 'Dup' });
    t.equal(withId.status, 409, 'the id does not count in the hash');
    const other = await alice.post('/0.1/personal', { firstname: 'Dup', number: '2' });
    const clash = await alice.put(`/0.1/personal/${other.body.id}`, { firstname: 'Dup', number: '1' });
    t.equal(clash.status, 409);
    t.same(clash.body.reason, ['Modifying this contact would create a duplicate']);
    t.same((await alice.get(`/0.1/personal/${other.body.id}`)).body, other.body, 'a refused PUT changes nothing');
    t.equal((await alice.put(`/0.1/personal/${other.body.id}`, { firstname: 'Dup', number: '2' })).status, 200, 'PUT onto itself is fine');
    t.equal((await as('bob').post('/0.1/personal', { firstname: 'Dup', number: '1' })).status, 201, 'duplicates are per user');
    await alice.delete('/0.1/personal');
    await as('bob').delete('/0.1/personal');
    t.ok(first.body.id);
  });

  await t.test('invalid bodies are 400 with the reasons', async (t) => {
    const empty = await alice.post('/0.1/personal', { '': 'x' });
    t.equal(empty.status, 400);
    t.same(empty.body.reason, ['"" is a forbidden in keys']);
    const numbers = await alice.post('/0.1/personal', { firstname: 1 });
    t.same(numbers.body.reason, ['all values must be strings']);
    t.equal((await alice.post('/0.1/personal', { firstname: null })).status, 400);
    t.equal((await alice.post('/0.1/personal', ['a'])).status, 400);
    t.equal((await alice.post('/0.1/personal', null)).status, 400);
    t.equal((await alice.post('/0.1/personal')).status, 400, 'no body');
    t.equal((await alice.put('/0.1/personal/whatever', { '': '' })).status, 400);
    const odd = await alice.post('/0.1/personal', { '%': 'a', '?': 'b', '#': 'c' });
    t.equal(odd.status, 201, 'keys %, ? and # are fine');
    t.same(withoutId((await alice.get(`/0.1/personal/${odd.body.id}`)).body), { '%': 'a', '?': 'b', '#': 'c' });
    await alice.delete('/0.1/personal');
  });

  await t.test('list: order, direction, limit, offset', async (t) => {
    for (const firstname of ['bib', 'Céline', 'Alice', 'Etienne', 'Bob', 'Ãlberto']) {
      await alice.post('/0.1/personal', { firstname, lastname: 'L' });
    }
    await alice.post('/0.1/personal', { lastname: 'No firstname' });
    const names = async (query: Record<string, string | number>) =>
      (await alice.get('/0.1/personal', query)).body.items.map((c: any) => c.firstname ?? null);
    t.same(await names({ order: 'firstname' }), ['Ãlberto', 'Alice', 'bib', 'Bob', 'Céline', 'Etienne', null]);
    t.same(await names({ order: 'firstname', direction: 'desc' }), [null, 'Etienne', 'Céline', 'Bob', 'bib', 'Alice', 'Ãlberto']);
    t.same(await names({ order: 'firstname', limit: 2, offset: 1 }), ['Alice', 'bib']);
    t.equal((await alice.get('/0.1/personal')).body.items.length, 7);

    const badOrder = await alice.get('/0.1/personal', { order: 'nope' });
    t.equal(badOrder.status, 400);
    t.equal(badOrder.body.reason, "order: column 'nope' was not found", 'a string reason, like wazo-dird');
    t.equal((await alice.get('/0.1/personal', { direction: 'up' })).body.reason, 'direction must be asc or desc');
    t.equal((await alice.get('/0.1/personal', { limit: 0 })).body.reason, 'limit must be a positive number');
    t.equal((await alice.get('/0.1/personal', { limit: 'x' })).status, 400);
    t.equal((await alice.get('/0.1/personal', { offset: -1 })).status, 400);

    t.equal((await alice.delete('/0.1/personal')).status, 204, 'purge');
    t.same((await alice.get('/0.1/personal')).body, { items: [] });
  });

  await t.test('CSV export', async (t) => {
    t.equal((await alice.get('/0.1/personal', { format: 'text/csv' })).status, 204, 'nothing to export');
    const a = (await alice.post('/0.1/personal', { firstname: 'Alice', lastname: 'A, "the" first' })).body;
    const b = (await alice.post('/0.1/personal', { lastname: 'Bé\nline' })).body;
    const exported = await alice.get('/0.1/personal', { format: 'text/csv', order: 'lastname' });
    t.equal(exported.status, 200);
    t.match(exported.headers['content-type'], /^text\/csv; charset=utf-8/);
    t.equal(exported.text, `firstname,id,lastname\r\nAlice,${a.id},"A, ""the"" first"\r\n,${b.id},"Bé\nline"\r\n`);
    const byHeader = await alice.get('/0.1/personal', undefined, { 'content-type': 'text/csv' });
    t.equal(byHeader.text.split('\r\n')[0], 'firstname,id,lastname', 'the Content-Type of the request chooses CSV too');
    t.equal((await alice.get('/0.1/personal', { format: 'application/json' })).body.items.length, 2);
    await alice.delete('/0.1/personal');
  });

  await t.test('CSV export neutralises formulas and round-trips', async (t) => {
    const risky = { firstname: '=cmd|\' /C calc\'!A0', number: '+33 1 23', note: '@SUM(A1)', minus: '-2', quoted: "'=x", plain: "it's" };
    await alice.post('/0.1/personal', risky);
    // The same keys in every contact: CSV cannot tell a missing key from an empty value.
    await alice.post('/0.1/personal', { firstname: 'Zoé', number: '', note: 'line\nbreak', minus: '', quoted: '', plain: '\r' });
    const before = (await alice.get('/0.1/personal', { order: 'firstname' })).body.items;
    const csv = (await alice.get('/0.1/personal', { format: 'text/csv', order: 'firstname' })).text;
    t.match(csv, /(^|,)'=cmd\|/m, 'a formula is prefixed with a quote');
    t.match(csv, /'\+33 1 23/);
    t.match(csv, /''=x/);
    t.notMatch(csv, /(^|,|\n)=/, 'no cell starts with =');
    await alice.delete('/0.1/personal');
    const imported = await alice.send('/0.1/personal/import', csv);
    t.equal(imported.status, 201);
    t.same(imported.body.failed, []);
    const after = (await alice.get('/0.1/personal', { order: 'firstname' })).body.items;
    t.same(after, before, 'import(export) gives the same contacts, ids included');
    await alice.delete('/0.1/personal');
  });

  await t.test('a token without a user is 401 everywhere; no token or ACL is 401', async (t) => {
    const nouser = as('nouser');
    const replies = [
      await nouser.get('/0.1/personal'), await nouser.post('/0.1/personal', { a: 'b' }), await nouser.delete('/0.1/personal'),
      await nouser.get('/0.1/personal/x'), await nouser.put('/0.1/personal/x', { a: 'b' }), await nouser.delete('/0.1/personal/x'),
      await nouser.send('/0.1/personal/import', 'a\nb\n'),
    ];
    for (const reply of replies) {
      t.equal(reply.status, 401);
      t.same(reply.body.reason, ['This token has no user UUID']);
    }
    t.equal((await as(null).get('/0.1/personal')).status, 401);
    t.equal((await as('noacl').get('/0.1/personal')).status, 401);
    t.equal((await as('noacl').send('/0.1/personal/import', 'a\nb\n')).status, 401);
  });

  await t.test('personal source: lookup, reverse, and the profile listing', async (t) => {
    const admin = as('admin');
    const source = (await admin.post('/0.1/backends/personal/sources', {
      name: 'personal', searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number', 'mobile'],
      format_columns: { name: '{firstname} {lastname}', phone: '{number}', reverse: '{firstname} {lastname}' },
    })).body;
    t.match(source, { backend: 'personal', name: 'personal' });
    const display = (await admin.post('/0.1/displays', {
      name: 'personal', columns: [
        { title: 'Name', field: 'name' }, { title: 'Phone', field: 'phone', type: 'number' },
        { title: 'Personal', field: 'is_personal', type: 'personal' }, { title: 'Fav', field: 'fav', type: 'favorite' },
      ],
    })).body;
    const sources = [{ uuid: source.uuid }];
    t.equal((await admin.post('/0.1/profiles', {
      name: 'default', display: { uuid: display.uuid },
      services: { lookup: { sources }, reverse: { sources, options: { timeout: 5 } }, favorites: { sources } },
    })).status, 201);

    const pepe = (await alice.post('/0.1/personal', { firstname: 'Pépé', lastname: 'Le Moko', number: '5550001', mobile: '' })).body;
    await alice.post('/0.1/personal', { firstname: 'Pepa', lastname: 'Pig', mobile: '5550002' });
    await as('bob').post('/0.1/personal', { firstname: 'Pépin', lastname: 'Bob', number: '5550001' });

    const lookup = await alice.get('/0.1/directories/lookup/default', { term: 'pep' });
    t.equal(lookup.status, 200);
    t.same(lookup.body.results.map((r: any) => r.column_values[0]).sort(), ['Pepa Pig', 'Pépé Le Moko'], 'accent-insensitive, own contacts only');
    const pepeResult = lookup.body.results.find((r: any) => r.column_values[0] === 'Pépé Le Moko');
    t.same(pepeResult.column_values, ['Pépé Le Moko', '5550001', true, false]);
    t.match(pepeResult, { source: 'personal', backend: 'personal', relations: { source_entry_id: pepe.id } });
    t.same((await alice.get('/0.1/directories/lookup/default', { term: 'PÉPÉ' })).body.results.length, 1, 'accented term matches too');

    const reverse = await alice.get(`/0.1/directories/reverse/default/${people.alice.user}`, { exten: '5550002' });
    t.same({ display: reverse.body.display, source: reverse.body.source }, { display: 'Pepa Pig', source: 'personal' }, 'second first-matched column');
    const bobs = await as('bob').get(`/0.1/directories/reverse/default/${people.bob.user}`, { exten: '5550001' });
    t.equal(bobs.body.display, 'Pépin Bob', "the path user's contacts answer");
    t.notOk('mobile' in (await alice.get(`/0.1/directories/reverse/default/${people.alice.user}`, { exten: '5550001' })).body.fields,
      'empty values are dropped from results');
    t.equal((await alice.get(`/0.1/directories/reverse/default/${people.alice.user}`, { exten: '555' })).body.display, null, 'exact match only');

    const listed = await alice.get('/0.1/directories/personal/default');
    t.equal(listed.status, 200);
    t.same(listed.body.column_headers, ['Name', 'Phone', 'Personal', 'Fav']);
    t.same(listed.body.results.map((r: any) => r.column_values[0]).sort(), ['Pepa Pig', 'Pépé Le Moko']);
    t.ok(listed.body.results.every((r: any) => r.column_values[2] === true));
    const unknown = await alice.get('/0.1/directories/personal/nope');
    t.equal(unknown.status, 404);
    t.match(unknown.body.reason[0], /nope/);
    t.same((await as('carol').get('/0.1/directories/personal/default')).status, 404, "another tenant's profile is unknown");

    t.equal((await alice.put(`/0.1/directories/favorites/personal/${pepe.id}`)).status, 204, 'a personal contact can be a favorite');
    const favorites = await alice.get('/0.1/directories/favorites/default');
    t.same(favorites.body.results.map((r: any) => r.column_values), [['Pépé Le Moko', '5550001', true, true]]);
    t.same((await alice.get('/0.1/directories/lookup/default', { term: 'pep' })).body.results.map((r: any) => r.column_values[3]).sort(),
      [false, true], 'lookup flags the favorite');

    await admin.delete(`/0.1/backends/personal/sources/${source.uuid}`);
    t.same((await alice.get('/0.1/directories/personal/default')).body.results, [], 'no personal source in the tenant: nothing');
    await alice.delete('/0.1/personal');
    await as('bob').delete('/0.1/personal');
  });

  await t.test("services.personal.deleteUser removes the user's contacts only", async (t) => {
    await alice.post('/0.1/personal', { firstname: 'Gone' });
    await as('bob').post('/0.1/personal', { firstname: 'Stays' });
    await dird.dird.services.personal.deleteUser(people.alice.user);
    t.same((await alice.get('/0.1/personal')).body.items, []);
    t.equal((await as('bob').get('/0.1/personal')).body.items.length, 1);
    t.equal((await alice.post('/0.1/personal', { firstname: 'Back' })).status, 201, 'the user can start over');
    await alice.delete('/0.1/personal');
    await as('bob').delete('/0.1/personal');
  });
});
