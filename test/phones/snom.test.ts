// Snom: input screen with a replace token, then a menu with F2/F4 paging keys; well-formed XML throughout.
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { parseXml, startPhones, textOf, user } from './setup.js';

t.test('snom', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'snom', ['menu']);

  t.test('the input screen: the phone replaces __X__ with what was typed', async (t) => {
    const response = await phones.get(`/0.1/directories/input/default/snom?xivo_user_uuid=${user}`);
    const input = parseXml(response.text).SnomIPPhoneInput[0];
    const url = textOf(input.Url);
    t.equal(url, `${phones.url}/0.1/directories/lookup/default/snom?xivo_user_uuid=${user}&term=__X__`);
    t.equal(textOf(input.InputItem[0].InputToken), '__X__');
    t.equal(textOf(input.InputItem[0].InputFlags), 'a');
    const lookup = await phones.get(url.replace('__X__', 'alice'));
    t.same(parseXml(lookup.text).SnomIPPhoneMenu[0].MenuItem.map((m: any) => m['@name']), ['Alice Doe', 'Alice Doe (mobile)']);
  });

  t.test('menu items dial their number', async (t) => {
    const response = await phones.get(`/0.1/directories/lookup/default/snom?xivo_user_uuid=${user}&term=alice`);
    const [item] = parseXml(response.text).SnomIPPhoneMenu[0].MenuItem;
    t.equal(textOf(item.Url), 'snom://mb_nop#numberdial=1001');
    t.equal(textOf(item.ExtraText), '1001');
  });

  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/snom',
    contentType: 'text/xml',
    pageSize: 16,
    read(text) {
      const root = parseXml(text).SnomIPPhoneMenu[0];
      t.equal(textOf(root.Title).length > 0, true);
      const key = (name: string) => root.SoftKeyItem?.find((k: any) => textOf(k.Name) === name);
      return {
        entries: root.MenuItem.map((m: any) => ({ name: m['@name'], number: textOf(m.ExtraText) })),
        prev: key('F2') ? textOf(key('F2').URL) : null,
        next: key('F4') ? textOf(key('F4').URL) : null,
      };
    },
  });
});
