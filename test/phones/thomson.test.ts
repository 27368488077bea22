// Thomson/Technicolor: a ThomsonPhoneBook of at most 8 rows, numbers as Dial:<number>.
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { startPhones } from './setup.js';
import { directoryEntries } from './simple.js';

t.test('thomson', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'thomson', ['menu', 'input']);
  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/thomson',
    contentType: 'text/xml',
    pageSize: 8,
    links: false,
    read(text) {
      return { entries: directoryEntries(text, 'ThomsonPhoneBook', (v) => v.replace(/^Dial:/, '')) };
    },
  });
});
