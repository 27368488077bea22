// What every vendor's result page must do, checked through a vendor-specific reader of its document.
import type { Test } from 'tap';
import { awkward, persons, user, type Phones } from './setup.js';

export interface Entry {
  name: string;
  number: string;
}
export interface ResultsReader {
  /** `/0.1/…` path of the lookup page, without query. */
  path: string;
  contentType: string;
  /** Rows per page when no limit is sent; null when the vendor shows every row. */
  pageSize: number | null;
  /** false for a vendor whose pages carry no prev/next links (Thomson). */
  links?: boolean;
  /** Reads the rows and the prev/next links (absent when the vendor has none) from a document. */
  read(text: string): { entries: Entry[]; prev?: string | null; next?: string | null };
}

const sortedPersons = persons.map((p) => ({ name: `${p.firstname} ${p.lastname}`, number: p.phone }));

export function lookupPath(reader: ResultsReader, query: Record<string, string | number>): string {
  return `${reader.path}?${new URLSearchParams({ xivo_user_uuid: user, ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])) })}`;
}

export async function checkResults(t: Test, phones: Phones, reader: ResultsReader) {
  const read = async (path: string, headers: Record<string, string> = {}) => {
    const response = await phones.get(path, headers);
    t.equal(response.status, 200, `${path} answers 200`);
    t.equal(response.type, reader.contentType, 'content type');
    return reader.read(response.text);
  };

  t.test('names needing escaping come back intact, numbers cleaned, mobile suffixed', async (t) => {
    const { entries } = await read(lookupPath(reader, { term: 'o', limit: 100 }));
    t.same(entries.slice(0, 4), [
      { name: 'Alice Doe', number: '1001' },
      { name: 'Alice Doe (mobile)', number: '0033612345678' },
      { name: `${awkward[1].firstname} ${awkward[1].lastname}`, number: '1002' },
      { name: 'Person 01', number: '2001' },
    ]);
    t.same(entries.at(-1), { name: `Zoë "Z" O'Brien`, number: '1003' }, 'non-ASCII and quotes; sorted by code point');
    t.notOk(entries.some((e) => e.name.startsWith('Nobody')), 'a contact without a dialable number is left out');
  });

  t.test('a term with spaces, & and non-ASCII characters', async (t) => {
    const { entries } = await read(lookupPath(reader, { term: 'Zoë "Z', limit: 5 }));
    t.same(entries, [{ name: `Zoë "Z" O'Brien`, number: '1003' }]);
  });

  t.test('no result: one "No entries" placeholder, translated', async (t) => {
    t.same((await read(lookupPath(reader, { term: 'zzz' }))).entries, [{ name: 'No entries', number: '' }]);
    t.same((await read(lookupPath(reader, { term: 'zzz' }), { 'Accept-Language': 'fr-CA,fr;q=0.9' })).entries,
      [{ name: 'Aucune entrée', number: '' }]);
    t.same((await read(lookupPath(reader, { term: 'zzz' }), { 'Accept-Language': 'de' })).entries,
      [{ name: 'Keine Einträge', number: '' }]);
    t.same((await read(lookupPath(reader, { term: 'zzz' }), { 'Accept-Language': 'pt-BR' })).entries,
      [{ name: 'No entries', number: '' }], 'an untranslated language gets English');
  });

  t.test('the default page size', async (t) => {
    const { entries, prev, next } = await read(lookupPath(reader, { term: 'person' }));
    t.same(entries, sortedPersons.slice(0, reader.pageSize ?? undefined));
    t.notOk(prev, 'no previous page on the first');
    if (reader.pageSize === null) t.notOk(next, 'no next page when every row is shown');
  });

  t.test('limit and offset pick the page', async (t) => {
    t.same((await read(lookupPath(reader, { term: 'person', limit: 8, offset: 8 }))).entries, sortedPersons.slice(8, 16));
    t.same((await read(lookupPath(reader, { term: 'person', limit: 8, offset: 36 }))).entries, sortedPersons.slice(36));
  });

  if (reader.pageSize !== null && reader.links !== false) {
    t.test('paging links appear exactly when there is a page to go to, and lead to it', async (t) => {
      const first = await read(lookupPath(reader, { term: 'person', limit: 16 }));
      t.same(first.entries, sortedPersons.slice(0, 16));
      t.notOk(first.prev, 'first page: no prev');
      t.ok(first.next, 'first page: next');
      const second = await read(first.next!);
      t.same(second.entries, sortedPersons.slice(16, 32), 'next leads to the second page');
      t.ok(second.prev, 'second page: prev');
      t.ok(second.next, 'second page: next');
      const third = await read(second.next!);
      t.same(third.entries, sortedPersons.slice(32), 'the last page');
      t.ok(third.prev, 'last page: prev');
      t.notOk(third.next, 'last page: no next');
      t.same((await read(third.prev!)).entries, second.entries, 'prev leads back');
      const single = await read(lookupPath(reader, { term: 'alice', limit: 16 }));
      t.equal(single.entries.length, 2);
      t.notOk(single.prev || single.next, 'one page: no links');
    });
  }

  t.test('bad requests are refused with a reason', async (t) => {
    for (const [query, what] of [
      [{ term: 'x', xivo_user_uuid: '' }, 'xivo_user_uuid'],
      [{}, 'term'],
      [{ term: 'x', limit: -1 }, 'limit'],
      [{ term: 'x', limit: 0 }, 'limit'],
      [{ term: 'x', offset: -1 }, 'offset'],
      [{ term: 'x', limit: 'many' }, 'limit'],
    ] as const) {
      const response = await phones.get(lookupPath(reader, query as Record<string, string | number>));
      t.equal(response.status, 400, `400 without a valid ${what}`);
      t.match(JSON.parse(response.text).reason[0], what);
    }
    const noUser = await phones.get(`${reader.path}?term=x`);
    t.equal(noUser.status, 400, 'xivo_user_uuid is required');
    t.match(JSON.parse(noUser.text).reason[0], 'xivo_user_uuid');
  });

  t.test('unknown user or profile: 404', async (t) => {
    const unknownUser = await phones.get(lookupPath(reader, { term: 'x', xivo_user_uuid: '00000000-0000-4000-8000-00000000ffff' }));
    t.equal(unknownUser.status, 404);
    t.match(JSON.parse(unknownUser.text).reason[0], 'Unknown user');
    const unknownProfile = await phones.get(lookupPath({ ...reader, path: reader.path.replace('/default', '/nope') }, { term: 'x' }));
    t.equal(unknownProfile.status, 404);
    t.match(JSON.parse(unknownProfile.text).reason[0], 'nope');
  });
}

/** A page the vendor does not have answers 404. */
export async function checkMissingPages(t: Test, phones: Phones, vendor: string, pages: string[]) {
  for (const page of pages) {
    const response = await phones.get(`/0.1/directories/${page}/default/${vendor}?xivo_user_uuid=${user}`);
    t.equal(response.status, 404, `${vendor} has no ${page} page`);
  }
}
