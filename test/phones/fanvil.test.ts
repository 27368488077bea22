// Fanvil (legacy): input screen, then a directory with paging soft keys.
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { parseXml, startPhones, textOf, user } from './setup.js';

t.test('fanvil', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'fanvil', ['menu']);

  t.test('the input screen', async (t) => {
    const response = await phones.get(`/0.1/directories/input/default/fanvil?xivo_user_uuid=${user}`);
    const screen = parseXml(response.text).FanvilIPPhoneInputScreen[0];
    t.equal(textOf(screen.URL), `${phones.url}/0.1/directories/lookup/default/fanvil?xivo_user_uuid=${user}`);
    t.equal(textOf(screen.InputField[0].Parameter), 'term');
  });

  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/fanvil',
    contentType: 'text/xml',
    pageSize: 16,
    read(text) {
      const root = parseXml(text).FanvilIPPhoneDirectory[0];
      const key = (name: string) => root.SoftKey?.find((k: any) => textOf(k.Name) === name);
      return {
        entries: root.MenuItem.map((m: any) => ({ name: textOf(m.Prompt), number: textOf(m.URI) })),
        prev: key('PrevPage') ? textOf(key('PrevPage').URI) : null,
        next: key('NextPage') ? textOf(key('NextPage').URI) : null,
      };
    },
  });
});
