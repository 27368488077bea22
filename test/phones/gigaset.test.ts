// Gigaset: the uuid in the path, set_first/count/first (1-based), paging by attributes, no placeholder.
import t from 'tap';
import { parseXml, startPhones, textOf, user } from './setup.js';

t.test('gigaset', async (t) => {
  const phones = await startPhones(t);
  const get = async (query: string) => {
    const response = await phones.get(`/0.1/directories/lookup/default/gigaset/${user}?${query}`);
    t.equal(response.status, 200, query);
    t.equal(response.type, 'text/xml');
    const list = parseXml(response.text).list[0];
    t.equal(list['@response'], 'get_list');
    t.equal(list['@type'], 'pr');
    return {
      total: list['@total'], first: list['@first'], last: list['@last'],
      entries: (list.entry ?? []).map((e: any) => [e['@id'], textOf(e.fn), textOf(e.ln), textOf(e.hm)]),
    };
  };

  t.test('a page, first and last 1-based; the name split into first and last name', async (t) => {
    const page = await get('set_first=per*son&count=3&first=2');
    t.same(page, { total: '40', first: '2', last: '4', entries: [
      ['2002', 'Person', '02', '2002'], ['2003', 'Person', '03', '2003'], ['2004', 'Person', '04', '2004'],
    ] });
    const end = await get('set_first=person&count=3&first=39');
    t.same([end.first, end.last, end.entries.length], ['39', '40', 2]);
  });

  t.test('escaping, suffixes kept in the last name, no count: every row', async (t) => {
    const page = await get(`set_first=${encodeURIComponent('o')}`);
    t.equal(page.total, '44');
    t.same(page.entries.slice(0, 3), [
      ['1001', 'Alice', 'Doe', '1001'],
      ['0033612345678', 'Alice', 'Doe (mobile)', '0033612345678'],
      ['1002', 'Bob', '& Co <Sales>', '1002'],
    ]);
    t.same(page.entries.at(-1), ['1003', 'Zoë', `"Z" O'Brien`, '1003']);
  });

  t.test('nothing found: an empty list', async (t) => {
    t.same(await get('set_first=zzz'), { total: '0', first: '1', last: '0', entries: [] });
  });

  t.test('bad parameters: 400', async (t) => {
    for (const query of ['first=0', 'count=0', 'count=x']) {
      t.equal((await phones.get(`/0.1/directories/lookup/default/gigaset/${user}?${query}`)).status, 400, query);
    }
  });
});
