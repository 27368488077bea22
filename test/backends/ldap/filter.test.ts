// The ldap back-end's filters (spec §4.3): RFC 4515 escaping and the shapes of each query's filter.
import t from 'tap';
import {
  binaryListFilter, bytesToUuid, escapeValue, firstMatchFilter, listFilter, matchAllFilter, numberFilter, requestedAttributes, searchFilter,
} from '../../../plugins/backends/ldap/filter.js';

const GUID_A = '00112233-4455-6677-8899-aabbccddeeff';
const GUID_B = 'f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f';

t.test('RFC 4515 escaping of the five special characters', async (t) => {
  t.equal(escapeValue('a\\b*c(d)e\0f'), 'a\\5cb\\2ac\\28d\\29e\\00f');
  t.equal(escapeValue('Françoise'), 'Françoise', 'UTF-8 is left as is');
});

t.test('search: columns, custom filter, both', async (t) => {
  const columns = { customFilter: null, searched: ['cn', 'telephoneNumber'], matched: [] };
  t.equal(searchFilter(columns, 'al*'), '(|(cn=*al\\2a*)(telephoneNumber=*al\\2a*))');
  t.equal(searchFilter({ ...columns, searched: ['cn'] }, 'al'), '(cn=*al*)', 'one column: no OR');
  t.equal(searchFilter({ ...columns, searched: ['cn'] }, ''), '(cn=*)', 'an empty term asks for presence');
  const custom = { customFilter: '(&(l=Québec)(cn=*%Q*))', searched: [], matched: [] };
  t.equal(searchFilter(custom, 'a)('), '(&(l=Québec)(cn=*a\\29\\28*))');
  t.equal(searchFilter({ ...custom, searched: ['cn', 'sn'] }, 'x'), '(&(&(l=Québec)(cn=*x*))(|(cn=*x*)(sn=*x*)))');
  t.equal(searchFilter({ customFilter: 'l=Paris', searched: ['cn'], matched: [] }, 'x'), '(&(l=Paris)(cn=*x*))', 'parenthesised');
  t.equal(searchFilter({ customFilter: null, searched: [], matched: [] }, 'x'), null);
});

t.test('first match, match all, list', async (t) => {
  const source = { customFilter: null, searched: ['cn'], matched: ['telephoneNumber', 'mobile'] };
  t.equal(firstMatchFilter(source, '100'), '(|(telephoneNumber=100)(mobile=100))');
  t.equal(firstMatchFilter({ ...source, matched: [] }, '100'), null);
  t.equal(firstMatchFilter({ ...source, customFilter: '(uid=%Q)', matched: [] }, '1*'), '(uid=1\\2a)');
  t.equal(matchAllFilter({ ...source, matched: ['mobile'] }, ['1', '2']), '(|(mobile=1)(mobile=2))');
  t.equal(matchAllFilter({ ...source, matched: ['mobile'] }, ['1']), '(mobile=1)');
  t.equal(listFilter('entryUUID', ['a', 'b*']), '(|(entryUUID=a)(entryUUID=b\\2a))');
  t.equal(listFilter('entryUUID', []), null);
  const one = binaryListFilter('objectGUID', ['00112233-4455-6677-8899-AABBCCDDEEFF', 'not-a-uuid']) as any;
  t.equal(one.attribute, 'objectGUID');
  t.same(one.value, Buffer.from('00112233445566778899aabbccddeeff', 'hex'), '16 raw bytes in the string\'s order');
  t.equal((binaryListFilter('objectGUID', [GUID_A, GUID_B]) as any).filters.length, 2);
  t.equal(binaryListFilter('objectGUID', ['nope']), null);
});

t.test('binary UUIDs: plain byte order both ways', async (t) => {
  const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  t.equal(bytesToUuid(bytes), '00112233-4455-6677-8899-aabbccddeeff');
  t.equal(bytesToUuid(Buffer.from('abcd', 'hex')), 'abcd', 'not 16 bytes: hex');
});

t.test('requested attributes: {identifiers} of the format columns plus the unique column', async (t) => {
  t.same(requestedAttributes({ name: '{givenName} {sn}', phone: '{telephoneNumber}', first: '{mail[0]}' }, 'entryUUID'),
    ['givenName', 'sn', 'telephoneNumber', 'entryUUID']);
  t.same(requestedAttributes({}, 'entryUUID'), [], 'no format columns: every attribute');
});

t.test('number matching: predicted forms and last digits, escaped', async (t) => {
  const source = { customFilter: null, searched: ['cn'], matched: ['telephoneNumber'] };
  const m = { mode: 'e164' as const, region: 'FR', suffix_digits: 9 };
  t.equal(numberFilter(source, '(01) 23 45 67 89', m),
    '(|(telephoneNumber=\\2801\\29 23 45 67 89)(telephoneNumber=+33123456789)(telephoneNumber=0033123456789)'
    + '(telephoneNumber=0123456789)(telephoneNumber=123456789)(telephoneNumber=*3456789))');
  t.equal(numberFilter(source, 'sip:*)(cn=*', m), '(telephoneNumber=sip:\\2a\\29\\28cn=\\2a)', 'not a number: the escaped value only');
  t.equal(numberFilter(source, '1001', { mode: 'suffix', region: null, suffix_digits: 9 }), '(telephoneNumber=1001)');
});
