// Contact hashes match wazo-dird's (Python json.dumps with sort_keys, SHA-1); expected values were
// computed with CPython 3.11.
import t from 'tap';
import { contactHash } from '../../src/storage/contact-hash.js';

const cases: Array<[Record<string, unknown>, string]> = [
  [{ firstname: 'Alice', lastname: 'Smith', number: '1234' }, 'b1adad20005624ebad88d6441ebdeb42671123f5'],
  [{ firstname: 'Zoë', lastname: 'Ünal', number: '+33 1 23', id: 'x' }, 'a0b0b0c8b0145bc4de556e3646c70bfcbf4519dd'],
  [{ name: 'a"b\\c/d\n\t\u0001', emoji: '😀', é: 'k', z: '1' }, 'df5791e10f86404c972c950cd4a47309f858e6f6'],
  [{ b: true, a: null, c: [1, 'x'] }, 'a5c1fd7a84923f75d554cc10490e1a8e476ec3cf'],
];

for (const [contact, expected] of cases) {
  t.equal(contactHash(contact), expected, `hash of ${JSON.stringify(contact)}`);
}
t.equal(contactHash({ id: '1', a: 'x' }), contactHash({ id: '2', a: 'x' }), 'the id is not part of the hash');
