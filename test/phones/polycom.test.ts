// Polycom microbrowser: an HTML form, then an ordered list of tel: links, parsed with an HTML parser.
import { parse } from 'parse5';
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { startPhones, user } from './setup.js';

type Node = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string };

function all(node: Node, name: string): Node[] {
  const found: Node[] = node.nodeName === name ? [node] : [];
  for (const child of node.childNodes ?? []) found.push(...all(child, name));
  return found;
}
const attr = (node: Node, name: string) => node.attrs?.find((a) => a.name === name)?.value ?? null;
const text = (node: Node): string => (node.nodeName === '#text' ? node.value ?? '' : (node.childNodes ?? []).map(text).join(''));
const children = (node: Node, name: string) => (node.childNodes ?? []).filter((c) => c.nodeName === name);

function page(html: string): Node {
  if (!html.startsWith('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"')) throw new Error(`no HTML 4.01 doctype: ${html}`);
  return parse(html) as unknown as Node;
}

t.test('polycom', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'polycom', ['menu']);

  t.test('the search form', async (t) => {
    const response = await phones.get(`/0.1/directories/input/default/polycom?xivo_user_uuid=${user}`, { 'Accept-Language': 'de' });
    t.equal(response.type, 'text/html; charset=utf-8');
    const [form] = all(page(response.text), 'form');
    t.equal(attr(form, 'method'), 'get');
    t.equal(attr(form, 'accept-charset'), 'utf-8');
    t.equal(attr(form, 'action'), `${phones.url}/0.1/directories/lookup/default/polycom`);
    const inputs = all(form, 'input').map((i) => [attr(i, 'type'), attr(i, 'name'), attr(i, 'value')]);
    t.same(inputs, [['text', 'term', null], ['hidden', 'xivo_user_uuid', user], ['submit', null, 'Suchen']]);
    const submitted = await phones.get(`${attr(form, 'action')}?term=alice&xivo_user_uuid=${user}`);
    t.equal(submitted.status, 200, 'the form submits to the lookup');
  });

  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/polycom',
    contentType: 'text/html; charset=utf-8',
    pageSize: 16,
    read(html) {
      const [list] = all(page(html), 'ol');
      const items = children(list, 'li');
      const link = (item: Node) => children(item, 'a')[0];
      const isPageLink = (item: Node | undefined) => item !== undefined && link(item) !== undefined && attr(link(item), 'href')!.startsWith('http');
      const prev = isPageLink(items[0]) ? attr(link(items.shift()!), 'href') : null;
      const next = isPageLink(items.at(-1)) ? attr(link(items.pop()!), 'href') : null;
      return {
        entries: items.map((item) => {
          const a = link(item);
          return a ? { name: text(a), number: attr(a, 'href')!.replace('tel://', '') } : { name: text(item), number: '' };
        }),
        prev,
        next,
      };
    },
  });
});
