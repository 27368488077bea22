// Cisco: menu → input → directory, every document parsed as XML.
import t from 'tap';
import { checkResults } from './checks.js';
import { parseXml, startPhones, textOf, user } from './setup.js';

t.test('cisco', async (t) => {
  const phones = await startPhones(t);

  t.test('the menu leads to the input page, which leads to the lookup', async (t) => {
    const menu = await phones.get(`/0.1/directories/menu/default/cisco?xivo_user_uuid=${user}`);
    t.equal(menu.type, 'text/xml; charset=utf-8');
    const item = parseXml(menu.text).CiscoIPPhoneMenu[0].MenuItem;
    t.equal(item.length, 1);
    t.equal(textOf(item[0].Name), 'Wazo Directory');
    const inputUrl = textOf(item[0].URL);
    t.equal(inputUrl, `${phones.url}/0.1/directories/input/default/cisco?xivo_user_uuid=${user}`);

    const input = parseXml((await phones.get(inputUrl, { 'Accept-Language': 'es' })).text).CiscoIPPhoneInput[0];
    t.equal(textOf(input.Title), 'Búsqueda Wazo');
    t.equal(textOf(input.URL), `${phones.url}/0.1/directories/lookup/default/cisco?xivo_user_uuid=${user}`);
    t.equal(textOf(input.InputItem[0].QueryStringParam), 'term');
    t.equal(textOf(input.InputItem[0].InputFlags), 'A');
    t.equal(textOf(input.InputItem[0].DefaultValue), '');
    const lookup = await phones.get(`${textOf(input.URL)}&term=alice`);
    t.equal(lookup.status, 200, 'the phone appends &term= to the URL');
  });

  t.test('the soft keys of a paged directory', async (t) => {
    const page = await phones.get(`/0.1/directories/lookup/default/cisco?xivo_user_uuid=${user}&term=person&limit=5&offset=5`, { 'Accept-Language': 'it' });
    const keys = parseXml(page.text).CiscoIPPhoneDirectory[0].SoftKeyItem.map((k: any) => [textOf(k.Name), textOf(k.Position)]);
    t.same(keys, [['Chiama', '1'], ['PagPrec', '2'], ['Esci', '3'], ['PagSucc', '4']]);
  });

  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/cisco',
    contentType: 'text/xml; charset=utf-8',
    pageSize: 16,
    read(text) {
      const root = parseXml(text).CiscoIPPhoneDirectory[0];
      const key = (position: string) => root.SoftKeyItem?.find((k: any) => textOf(k.Position) === position);
      return {
        entries: (root.DirectoryEntry ?? []).map((e: any) => ({ name: textOf(e.Name), number: textOf(e.Telephone) })),
        prev: key('2') ? textOf(key('2').URL) : null,
        next: key('4') ? textOf(key('4').URL) : null,
      };
    },
  });
});

t.test('cisco: the vendor-first path form leads through the same pages', async (t) => {
  const phones = await startPhones(t);
  const menu = await phones.get(`/0.1/cisco/directories/menu/default?xivo_user_uuid=${user}`);
  const inputUrl = textOf(parseXml(menu.text).CiscoIPPhoneMenu[0].MenuItem[0].URL);
  t.equal(inputUrl, `${phones.url}/0.1/cisco/directories/input/default?xivo_user_uuid=${user}`);
  const input = parseXml((await phones.get(inputUrl)).text).CiscoIPPhoneInput[0];
  const lookup = await phones.get(`${textOf(input.URL)}&term=alice`);
  t.equal(parseXml(lookup.text).CiscoIPPhoneDirectory[0].DirectoryEntry.length, 2);
});
