// Personal contacts and favorites written through A are in B's next answers: favorites are read from the
// database on every request, and B's personal workers hear of A's writes through the change relay.
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { twoInstances } from './setup.js';

const names = (body: any) => (body?.results ?? []).map((r: any) => r.column_values[0]).sort();

t.test('personal contacts and favorites written through A are seen by B', async (t) => {
  const { b, onA, onB } = await twoInstances(t);
  const display = (await onA('POST', '/0.1/displays', {
    name: 'd', columns: [{ title: 'Name', field: 'name' }, { title: 'Fav', field: 'fav', type: 'favorite' }],
  })).body;
  const personal = (await onA('POST', '/0.1/backends/personal/sources', {
    name: 'personal', searched_columns: ['firstname'], first_matched_columns: ['number'],
    format_columns: { name: '{firstname}', reverse: '{firstname}' },
  })).body;
  const csv = (await onA('POST', '/0.1/backends/csv/sources', {
    name: 'people', file: join(packageRoot, 'test/fixtures/csv-core/people.csv'), unique_column: 'id',
    searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: { name: '{firstname}' },
  })).body;
  const sources = [{ uuid: personal.uuid }, { uuid: csv.uuid }];
  t.equal((await onA('POST', '/0.1/profiles', {
    name: 'p', display: { uuid: display.uuid },
    services: { lookup: { sources, options: { timeout: 5 } }, reverse: { sources, options: { timeout: 5 } }, favorites: { sources, options: {} } },
  })).status, 201);
  t.same(names((await onB('GET', '/0.1/directories/lookup/p?term=zed')).body), [], 'nobody called Zed yet');

  const zed = (await onA('POST', '/0.1/personal', { firstname: 'Zed', number: '7007' })).body;
  t.same(names((await onB('GET', '/0.1/directories/lookup/p?term=zed')).body), ['Zed'], 'a personal contact added on A is in B\'s lookup');
  t.equal((await onB('GET', `/0.1/directories/reverse/p/${b.users.admin}?exten=7007`)).body.display, 'Zed', "and B's reverse");
  t.same((await onB('GET', `/0.1/personal/${zed.id}`)).body, zed, 'and B\'s personal routes');
  // B's personal worker now holds the user's contacts indexed: a change on A must reach that index.
  t.equal((await onA('PUT', `/0.1/personal/${zed.id}`, { firstname: 'Zed', number: '7008' })).status, 200);
  let renumbered: string | null = null;
  for (let attempt = 0; attempt < 25 && renumbered !== 'Zed'; attempt++) {
    renumbered = (await onB('GET', `/0.1/directories/reverse/p/${b.users.admin}?exten=7008`)).body.display;
    if (renumbered !== 'Zed') await new Promise((resolve) => setTimeout(resolve, 100));
  }
  t.equal(renumbered, 'Zed', "a number changed on A is found by B's reverse (its personal index was told)");
  t.equal((await onB('GET', `/0.1/directories/reverse/p/${b.users.admin}?exten=7007`)).body.display, null, 'and the old one is gone');

  t.equal((await onA('PUT', '/0.1/directories/favorites/people/1')).status, 204);
  t.equal((await onA('PUT', `/0.1/directories/favorites/personal/${zed.id}`)).status, 204);
  const favorites = await onB('GET', '/0.1/directories/favorites/p');
  t.same(names(favorites.body), ['Alice', 'Zed'], 'favorites added on A are listed by B');
  const lookup = await onB('GET', '/0.1/directories/lookup/p?term=');
  t.same(lookup.body.results.filter((r: any) => r.column_values[1] === true).map((r: any) => r.column_values[0]).sort(), ['Alice', 'Zed'],
    "and flagged in B's lookups");

  t.equal((await onA('DELETE', '/0.1/directories/favorites/people/1')).status, 204);
  t.equal((await onA('DELETE', `/0.1/personal/${zed.id}`)).status, 204);
  t.same(names((await onB('GET', '/0.1/directories/favorites/p')).body), [], 'removals on A are seen by B');
  t.same(names((await onB('GET', '/0.1/directories/lookup/p?term=zed')).body), []);
});
