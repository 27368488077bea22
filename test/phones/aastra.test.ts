// Aastra/Mitel: input screen, then a text menu; objects stay under 10,000 bytes.
import t from 'tap';
import { checkMissingPages, checkResults, lookupPath, type ResultsReader } from './checks.js';
import { parseXml, startPhones, textOf, user } from './setup.js';

const reader: ResultsReader = {
  path: '/0.1/directories/lookup/default/aastra',
  contentType: 'text/xml',
  pageSize: 16,
  read(text) {
    const root = parseXml(text).AastraIPPhoneTextMenu[0];
    t.equal(root['@style'], 'none');
    t.equal(root['@destroyOnExit'], 'yes');
    const items = root.MenuItem.map((m: any) => ({ prompt: textOf(m.Prompt), uri: textOf(m.URI) }));
    const prev = items[0].uri.startsWith('http') ? items.shift() : null;
    const next = items.at(-1).uri.startsWith('http') ? items.pop() : null;
    return {
      entries: items.map((i: any) => ({ name: i.prompt, number: i.uri.replace(/^Dial:/, '') })),
      prev: prev?.uri ?? null,
      next: next?.uri ?? null,
    };
  },
};

t.test('aastra', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'aastra', ['menu']);

  t.test('the input screen', async (t) => {
    const response = await phones.get(`/0.1/directories/input/default/aastra?xivo_user_uuid=${user}`);
    const screen = parseXml(response.text).AastraIPPhoneInputScreen[0];
    t.equal(screen['@type'], 'string');
    t.equal(screen['@editable'], 'yes');
    t.equal(textOf(screen.Parameter), 'term');
    t.equal(textOf(screen.URL), `${phones.url}/0.1/directories/lookup/default/aastra?xivo_user_uuid=${user}`);
  });

  t.test('prev and next are the first and last menu items, labelled', async (t) => {
    const response = await phones.get(lookupPath(reader, { term: 'person', limit: 3, offset: 3 }), { 'Accept-Language': 'fr' });
    const prompts = parseXml(response.text).AastraIPPhoneTextMenu[0].MenuItem.map((m: any) => textOf(m.Prompt));
    t.same(prompts, ['Page précédente', 'Person 04', 'Person 05', 'Person 06', 'Page suivante']);
  });

  t.test('a page over 10,000 bytes is shortened, with a next link to the rest', async (t) => {
    const response = await phones.get(lookupPath(reader, { term: 'quentin', limit: 1000 }));
    t.ok(Buffer.byteLength(response.text) <= 10_000, `${Buffer.byteLength(response.text)} bytes`);
    let page = reader.read(response.text);
    t.ok(page.entries.length > 1 && page.entries.length < 30, `${page.entries.length} rows on the first page`);
    const seen = [...page.entries];
    for (let i = 0; i < 30 && page.next; i++) {
      const next = await phones.get(page.next);
      t.ok(Buffer.byteLength(next.text) <= 10_000);
      page = reader.read(next.text);
      seen.push(...page.entries);
    }
    t.equal(seen.length, 30, 'following next links shows every row once');
    t.same(seen.map((e) => e.name), [...new Set(seen.map((e) => e.name))]);
  });

  await checkResults(t, phones, reader);
});
