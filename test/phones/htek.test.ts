// Htek: a PhoneDirectory of every row.
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { startPhones } from './setup.js';
import { directoryEntries } from './simple.js';

t.test('htek', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'htek', ['menu', 'input']);
  await checkResults(t, phones, {
    path: '/0.1/directories/lookup/default/htek',
    contentType: 'text/xml',
    pageSize: null,
    read: (text) => ({ entries: directoryEntries(text, 'PhoneDirectory') }),
  });
});
