// Fanvil V/i series: a PhoneBook of every row.
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { parseXml, startPhones, textOf, user } from './setup.js';
import { directoryEntries } from './simple.js';

t.test('fanvil-v2', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'fanvil-v2', ['menu', 'input']);
  t.test('each entry carries the fields the phone expects', async (t) => {
    const response = await phones.get(`/0.1/directories/lookup/default/fanvil-v2?xivo_user_uuid=${user}&term=bob`);
    const [entry] = parseXml(response.text).PhoneBook[0].DirectoryEntry;
    t.same(Object.keys(entry), ['Name', 'Telephone', 'Mobile', 'Other', 'Ring', 'Group']);
    t.equal(textOf(entry.Ring), 'Default');
  });
  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/fanvil-v2',
    contentType: 'text/xml',
    pageSize: null,
    read: (text) => ({ entries: directoryEntries(text, 'PhoneBook') }),
  });
});
