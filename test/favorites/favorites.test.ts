// Favorites through the HTTP API on both stores: add, remove, list by profile (each source's list()
// concurrently, within `lookup_timeout`), the favorite column in lookups, and user deletion.
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { onEveryDatabase, people } from '../personal/setup.js';

const peopleCsv = join(packageRoot, 'test/fixtures/csv-core/people.csv');
const firstnames = (body: any) => body.results.map((r: any) => r.column_values[0]).sort();

await onEveryDatabase(t, async (t, { as, dird }) => {
  const admin = as('admin');
  const alice = as('alice');
  const bob = as('bob');
  const source = async (path: string, body: Record<string, unknown>, who = admin) => {
    const reply = await who.post(path, { searched_columns: ['firstname'], first_matched_columns: ['number'], unique_column: 'id', ...body });
    t.equal(reply.status, 200, `source ${body.name} created`);
    return reply.body;
  };
  const csv = await source('/0.1/backends/csv/sources', { name: 'my/csv.v2', file: peopleCsv, unique_column: 'id' });
  const noUnique = await source('/0.1/backends/csv/sources', { name: 'plain', file: peopleCsv, unique_column: null });
  const fast = await source('/0.1/backends/listing/sources', { name: 'fast' });
  const slow = await source('/0.1/backends/listing/sources', { name: 'slow', list_delay_ms: 25_000 });
  const broken = await source('/0.1/backends/listing/sources', { name: 'broken', list_throws: true });
  await source('/0.1/backends/listing/sources', { name: 'carols' }, as('carol'));
  const display = (await admin.post('/0.1/displays', {
    name: 'fav', columns: [{ title: 'Firstname', field: 'firstname' }, { title: 'Favorite', field: 'fav', type: 'favorite' }],
  })).body;
  const all = [csv, noUnique, fast, slow, broken].map(({ uuid }) => ({ uuid }));
  t.equal((await admin.post('/0.1/profiles', {
    name: 'default', display: { uuid: display.uuid }, services: { lookup: { sources: all }, favorites: { sources: all } },
  })).status, 201);
  await admin.post('/0.1/profiles', { name: 'nofav', display: { uuid: display.uuid }, services: { lookup: { sources: all } } });
  // Starts every sandbox (a lookup without timeout waits for all), so `lookup_timeout` only meets slow list() calls.
  t.equal((await alice.get('/0.1/directories/lookup/default', { term: '' })).status, 200);

  await t.test('add, list, remove', async (t) => {
    t.same(firstnames((await alice.get('/0.1/directories/favorites/default')).body), [], 'none yet');
    const added = await alice.put('/0.1/directories/favorites/my/csv.v2/1');
    t.equal(added.status, 204, 'a source name with / and .');
    t.equal((await alice.put('/0.1/directories/favorites/fast/fast-2')).status, 204);
    const again = await alice.put('/0.1/directories/favorites/my/csv.v2/1');
    t.equal(again.status, 409);
    t.same(again.body.reason, ['Adding this favorite would create a duplicate']);

    const listed = await alice.get('/0.1/directories/favorites/default');
    t.equal(listed.status, 200);
    t.same(listed.body.column_headers, ['Firstname', 'Favorite']);
    t.same(listed.body.results.map((r: any) => r.column_values).sort(), [['Alice', true], ['fast', true]]);
    t.match(listed.body.results.find((r: any) => r.source === 'my/csv.v2'), { backend: 'csv', relations: { source_entry_id: '1' } });
    t.notOk('term' in listed.body);

    const lookup = await alice.get('/0.1/directories/lookup/default', { term: '' });
    const flags = Object.fromEntries(lookup.body.results.filter((r: any) => r.source === 'my/csv.v2')
      .map((r: any) => [r.relations.source_entry_id, r.column_values[1]]));
    t.same(flags['1'], true, 'the favorite is flagged in lookups');
    t.same(flags['2'], false);
    t.ok(lookup.body.results.filter((r: any) => r.source === 'plain').every((r: any) => r.column_values[1] === false),
      'a source without unique column has no favorites');

    t.equal((await alice.delete('/0.1/directories/favorites/my/csv.v2/1')).status, 204);
    t.same(firstnames((await alice.get('/0.1/directories/favorites/default')).body), ['fast']);
    const missing = await alice.delete('/0.1/directories/favorites/my/csv.v2/1');
    t.equal(missing.status, 404);
    t.same(missing.body.reason, ["No such favorite: ('my/csv.v2', '1')"]);
    await alice.delete('/0.1/directories/favorites/fast/fast-2');
  });

  await t.test('unknown sources, profiles, users', async (t) => {
    const unknown = await alice.put('/0.1/directories/favorites/nope/1');
    t.equal(unknown.status, 404);
    t.same(unknown.body.reason, ['No such source: nope']);
    t.equal((await alice.delete('/0.1/directories/favorites/nope/1')).status, 404);
    t.equal((await alice.put('/0.1/directories/favorites/carols/carols-1')).status, 404, "another tenant's source is unknown");
    t.equal((await alice.put('/0.1/directories/favorites/onlyone')).status, 404, 'no contact part');
    const noProfile = await alice.get('/0.1/directories/favorites/nope');
    t.equal(noProfile.status, 404);
    t.match(noProfile.body.reason[0], /nope/);
    const noFavorites = await alice.get('/0.1/directories/favorites/nofav');
    t.equal(noFavorites.status, 404);
    t.same(noFavorites.body.reason, ['No such profile in favorite service configuration: nofav']);
    for (const reply of [
      await as('nouser').put('/0.1/directories/favorites/fast/fast-1'),
      await as('nouser').get('/0.1/directories/favorites/default'),
    ]) {
      t.equal(reply.status, 401);
    }
    t.equal((await as('noacl').put('/0.1/directories/favorites/fast/fast-1')).status, 401);
    t.equal((await as(null).delete('/0.1/directories/favorites/fast/fast-1')).status, 401);
  });

  await t.test('a slow or failing source contributes nothing', async (t) => {
    for (const path of ['fast/fast-1', 'slow/slow-1', 'broken/broken-1', 'my/csv.v2/2']) {
      t.equal((await alice.put(`/0.1/directories/favorites/${path}`)).status, 204);
    }
    const listed = await alice.get('/0.1/directories/favorites/default');
    t.equal(listed.status, 200);
    t.same(listed.body.results.map((r: any) => r.relations.source_entry_id).sort(), ['2', 'fast-1'], 'within lookup_timeout');
    for (const path of ['fast/fast-1', 'slow/slow-1', 'broken/broken-1', 'my/csv.v2/2']) await alice.delete(`/0.1/directories/favorites/${path}`);
  });

  await t.test('deleting a source removes its favorites', async (t) => {
    const temporary = await source('/0.1/backends/listing/sources', { name: 'temporary' });
    t.equal((await alice.put('/0.1/directories/favorites/temporary/temporary-1')).status, 204);
    await admin.delete(`/0.1/backends/listing/sources/${temporary.uuid}`);
    const recreated = await source('/0.1/backends/listing/sources', { name: 'temporary' });
    t.equal((await alice.put('/0.1/directories/favorites/temporary/temporary-1')).status, 204, 'no leftover favorite');
    await admin.delete(`/0.1/backends/listing/sources/${recreated.uuid}`);
  });

  await t.test("services.favorites.deleteUser removes the user's favorites only", async (t) => {
    await alice.put('/0.1/directories/favorites/fast/fast-1');
    await bob.put('/0.1/directories/favorites/fast/fast-1');
    await dird.dird.services.favorites.deleteUser(people.alice.user);
    t.same(firstnames((await alice.get('/0.1/directories/favorites/default')).body), []);
    t.same(firstnames((await bob.get('/0.1/directories/favorites/default')).body), ['fast']);
    await bob.delete('/0.1/directories/favorites/fast/fast-1');
  });
}, { lookup_timeout: 3 });
