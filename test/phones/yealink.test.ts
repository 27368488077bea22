// Yealink remote phonebook search: both path forms; a document never over 10,000 bytes.
import t from 'tap';
import { checkMissingPages, checkResults } from './checks.js';
import { parseXml, startPhones, user } from './setup.js';
import { directoryEntries } from './simple.js';

t.test('yealink', async (t) => {
  const phones = await startPhones(t);
  await checkMissingPages(t, phones, 'yealink', ['menu', 'input']);

  t.test('the deprecated vendor-last path serves the same document', async (t) => {
    const old = await phones.get(`/0.1/directories/lookup/default/yealink?xivo_user_uuid=${user}&term=alice`);
    const current = await phones.get(`/0.1/yealink/directories/lookup/default?xivo_user_uuid=${user}&term=alice`);
    t.equal(old.status, 200);
    t.equal(old.text, current.text);
  });

  t.test('past 10,000 bytes the phone gets the first whole entries that fit', async (t) => {
    const response = await phones.get(`/0.1/yealink/directories/lookup/default?xivo_user_uuid=${user}&term=quentin`);
    t.ok(Buffer.byteLength(response.text) <= 10_000, `${Buffer.byteLength(response.text)} bytes`);
    const entries = parseXml(response.text).YealinkIPPhoneDirectory[0].DirectoryEntry;
    t.ok(entries.length > 1 && entries.length < 30, `${entries.length} entries`);
  });

  await checkResults(t, phones, {
    path: '/0.1/yealink/directories/lookup/default',
    contentType: 'text/xml',
    pageSize: null,
    read: (text) => ({ entries: directoryEntries(text, 'YealinkIPPhoneDirectory') }),
  });
});
