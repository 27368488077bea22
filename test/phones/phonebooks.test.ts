// Phonebooks downloaded whole (Yealink, Grandstream, Snom tbook): contents, cap, conditional GET.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import t from 'tap';
import { http } from '../helpers/dird.js';
import { parseXml, startPhones, textOf, user } from './setup.js';

t.test('phonebooks', async (t) => {
  const phones = await startPhones(t);

  t.test('Yealink remote phonebook: one Unit per contact, up to three numbers', async (t) => {
    const response = await phones.get(`/0.1/phonebooks/default/yealink?xivo_user_uuid=${user}`, { 'Accept-Language': 'fr' });
    t.equal(response.status, 200);
    t.equal(response.type, 'text/xml');
    const book = parseXml(response.text).YealinkIPPhoneBook[0];
    t.equal(textOf(book.Title), 'Annuaire Wazo');
    const units = book.Menu[0].Unit.map((u: any) => [u['@Name'], u['@Phone1'], u['@Phone2']]);
    t.equal(units.length, 73, 'every contact with a dialable number');
    t.same(units.slice(0, 2), [['Alice Doe', '1001', '0033612345678'], ['Bob & Co <Sales>', '1002', '']]);
    t.same(units.find((u: string[]) => u[0].startsWith('Zo')), [`Zoë "Z" O'Brien`, '1003', '']);
  });

  t.test('Grandstream AddressBook at <path>/phonebook.xml, the user in the path', async (t) => {
    const response = await phones.get(`/0.1/phonebooks/default/grandstream/${user}/phonebook.xml`);
    t.equal(response.status, 200);
    const contacts = parseXml(response.text).AddressBook[0].Contact;
    t.equal(contacts.length, 73);
    const alice = contacts[0];
    t.same([textOf(alice.FirstName), textOf(alice.LastName)], ['Alice', 'Doe']);
    t.same(alice.Phone.map((p: any) => [p['@type'], textOf(p.phonenumber), textOf(p.accountindex)]),
      [['Work', '1001', '0'], ['Mobile', '0033612345678', '0']]);
    t.same([textOf(contacts[1].FirstName), textOf(contacts[1].LastName)], ['Bob', '& Co <Sales>']);
    const bare = await phones.get(`/0.1/phonebooks/default/grandstream/${user}`);
    t.equal(bare.text, response.text, 'also without the file name');
  });

  t.test('Snom tbook, by GET or POST', async (t) => {
    const response = await phones.get(`/0.1/phonebooks/default/snom?xivo_user_uuid=${user}`);
    const book = parseXml(response.text).tbook[0];
    t.same([book['@e'], book['@version'], book['@complete']], ['2', '2.0', 'true']);
    const alice = book.contact[0];
    t.same([textOf(alice.first_name), textOf(alice.last_name)], ['Alice', 'Doe']);
    t.same(alice.numbers[0].number.map((n: any) => [n['@no'], n['@type']]), [['1001', 'business'], ['0033612345678', 'mobile']]);
    const posted = await fetch(`${phones.url}/0.1/phonebooks/default/snom?xivo_user_uuid=${user}`, { method: 'POST' });
    t.equal(posted.status, 200);
    t.equal(await posted.text(), response.text);
  });

  t.test('conditional GET: 304 while the phone has the current version', async (t) => {
    const path = `/0.1/phonebooks/default/yealink?xivo_user_uuid=${user}`;
    const first = await phones.get(path);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    t.match(etag, /^"[^"]+"$/);
    t.ok(Date.parse(lastModified) > 0);
    const again = await phones.get(path, { 'If-None-Match': etag });
    t.equal(again.status, 304);
    t.equal(again.text, '');
    t.equal(again.headers.get('etag'), etag);
    t.equal((await phones.get(path, { 'If-None-Match': `"other", W/${etag}` })).status, 304, 'weak and listed tags match');
    t.equal((await phones.get(path, { 'If-Modified-Since': lastModified })).status, 304);
    t.equal((await phones.get(path, { 'If-Modified-Since': new Date(Date.parse(lastModified) - 1000).toUTCString() })).status, 200);
    const stale = await phones.get(path, { 'If-None-Match': '"stale"', 'If-Modified-Since': lastModified });
    t.equal(stale.status, 200, 'an ETag that does not match wins over the date');
    t.equal(stale.text, first.text);
    const german = await phones.get(path, { 'Accept-Language': 'de', 'If-None-Match': etag });
    t.equal(german.status, 200, 'another language is another document');
    t.not(german.headers.get('etag'), etag);
  });

  t.test('bad requests', async (t) => {
    t.equal((await phones.get('/0.1/phonebooks/default/yealink')).status, 400, 'no user');
    t.equal((await phones.get(`/0.1/phonebooks/nope/snom?xivo_user_uuid=${user}`)).status, 404, 'unknown profile');
    t.equal((await phones.get('/0.1/phonebooks/default/grandstream/00000000-0000-4000-8000-00000000ffff/phonebook.xml')).status, 404, 'unknown user');
  });

  t.test('a phonebook holds at most 2,000 contacts', async (t) => {
    const file = join(tmpdir(), `dird-phones-big-${process.pid}.csv`);
    t.teardown(() => import('node:fs').then((fs) => fs.rmSync(file, { force: true })));
    writeFileSync(file, ['id,name,phone', ...Array.from({ length: 2100 }, (_, i) => `${i},Contact ${String(i).padStart(4, '0')},${10000 + i}`)].join('\n'));
    const api = (method: string, path: string, body?: unknown) => http(phones.dird.url, method, path, body);
    const display = (await api('POST', '/0.1/displays', {
      name: 'big', columns: [{ title: 'Name', field: 'name', type: 'name' }, { title: 'Phone', field: 'phone', type: 'number' }],
    })).body;
    const source = (await api('POST', '/0.1/backends/csv/sources', { name: 'big', file, unique_column: 'id', searched_columns: ['name'] })).body;
    t.equal((await api('POST', '/0.1/profiles', {
      name: 'big', display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: source.uuid }] } },
    })).status, 201);
    const book = parseXml((await phones.get(`/0.1/phonebooks/big/snom?xivo_user_uuid=${user}`)).text).tbook[0];
    t.equal(book.contact.length, 2000);
    t.equal(book['@complete'], 'false', 'the phone is told the book is incomplete');
    t.equal(textOf(book.contact[1999].first_name), 'Contact');
    t.equal(textOf(book.contact[1999].last_name), '1999');
  });
});
