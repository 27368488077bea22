// Number matching (e164, suffix) in the ldap back-end against a real slapd: the server is asked for the
// predicted forms and the last digits, and the back-end keeps the entries whose number matches.
import t from 'tap';
import type { CallArgs } from '../../../src/contracts.js';
import type { NumberMatching } from '../../../src/numbers.js';
import { person, startSlapd } from '../../helpers/slapd.js';
import { groups } from '../../numbers/forms.js';
import { loadLdap } from './fixture.js';

const slapd = await startSlapd({
  entries: [
    person('fr', { cn: 'Fr Paris', sn: 'Paris', telephoneNumber: '01 23-45-67 89' }),
    person('dots', { cn: 'Dots', sn: 'Dots', telephoneNumber: '(04) 12.34.56.78' }),
    person('uk', { cn: 'Uk London', sn: 'London', telephoneNumber: '+44 20 7946 0958' }),
    person('us', { cn: 'Us Sf', sn: 'Sf', mobile: '1-415-555 2671' }),
    person('ext', { cn: 'Ext', sn: 'Ext', telephoneNumber: '1001' }),
    person('decoy', { cn: 'Decoy', sn: 'Decoy', telephoneNumber: '+49 1 23 45 67 89' }),
    person('odd', { cn: 'Odd', sn: 'Odd', telephoneNumber: '+999 555 123 4567' }),
    person('paren', { cn: 'Paren Metz', sn: 'Metz', telephoneNumber: '(03) 87-65-43-21' }),
    person('parenus', { cn: 'Paren Nyc', sn: 'Nyc', telephoneNumber: '(212) 555-0123' }),
    person('multi', { cn: 'Multi', sn: 'Multi', telephoneNumber: ['+33 9 00 00 00 00', '+33 6 12 34 56 78'] }),
  ],
});
t.teardown(() => slapd.close());

const loaded = await loadLdap(slapd.url, { name: 'matching' });

const argsOf = (number_matching?: NumberMatching): CallArgs => ({ token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null, number_matching });
const e164 = (region: string) => argsOf({ mode: 'e164', region, suffix_digits: 9 });
const name = async (exten: string, args: CallArgs) => ((await loaded.firstMatch(exten, args))?.cn as string | undefined) ?? null;

t.test('e164: every form of a number finds the entry, whatever form it is stored in', async (t) => {
  for (const exten of groups.FR) t.equal(await name(exten, e164('FR')), 'Fr Paris', `FR ${exten}`);
  for (const exten of groups.GB) t.equal(await name(exten, e164('GB')), 'Uk London', `GB ${exten}`);
  for (const exten of groups.US) t.equal(await name(exten, e164('US')), 'Us Sf', `US ${exten}`);
  t.equal(await name('+33 1 23 45 67 80', e164('FR')), null, 'another number');
  t.equal(await name('+49 1 23 45 67 89', e164('FR')), 'Decoy', 'same last digits, other country: the right entry');
  t.equal(await name('00999 555 123 4567', e164('FR')), 'Odd', 'unparsable: last digits');
});

t.test('match all with e164, suffix; exact unchanged; extensions exact', async (t) => {
  const found = await loaded.matchAll(['0123456789', '+1 415 555 2671', '1001', '0999999999'], e164('FR'));
  t.same(Object.fromEntries(Object.entries(found).map(([exten, fields]) => [exten, fields.cn])),
    { '0123456789': 'Fr Paris', '+1 415 555 2671': 'Us Sf', '1001': 'Ext' });
  t.equal(await name('+33 1 23 45 67 89', argsOf({ mode: 'suffix', region: null, suffix_digits: 9 })), 'Fr Paris');
  t.equal(await name('+33123456789', argsOf()), null, 'exact: another form does not match');
  t.equal(await name('0123456789', argsOf()), 'Fr Paris', "exact is the server's equality, which ignores spaces and hyphens");
  t.equal(await name('1001', e164('FR')), 'Ext');
  t.equal(await name('01001', e164('FR')), null);
  t.equal(await name('sip:1001@example.com', e164('FR')), null);
});

t.test('a trunk prefix or area code in parentheses does not hide the number', async (t) => {
  for (const exten of ['+33 3 87 65 43 21', '0033387654321', '0387654321', '03.87.65.43.21']) {
    t.equal(await name(exten, e164('FR')), 'Paren Metz', `FR ${exten}`);
  }
  for (const exten of ['+1 212 555 0123', '1-212-555-0123', '2125550123', '(212) 555-0123']) {
    t.equal(await name(exten, e164('US')), 'Paren Nyc', `US ${exten}`);
  }
  const found = await loaded.matchAll(['0387654321', '0123456789'], e164('FR'));
  t.same(Object.values(found).map((fields) => fields.cn), ['Paren Metz', 'Fr Paris'], 'merged into one search too');
});

t.test('every value of a multi-valued attribute counts, as in exact matching', async (t) => {
  for (const exten of ['+33 6 12 34 56 78', '0612345678', '+33 9 00 00 00 00']) {
    t.equal(await name(exten, e164('FR')), 'Multi', exten);
  }
  t.equal(await name('+33 6 12 34 56 78', argsOf()), 'Multi', 'exact');
  const found = await loaded.matchAll(['0612345678', '0123456789'], e164('FR'));
  t.same(Object.values(found).map((fields) => fields.cn), ['Multi', 'Fr Paris'], 'merged into one search too');
});

t.test('not matched server-side: punctuation other than spaces and hyphens inside the last digits', async (t) => {
  // telephoneNumberMatch ignores only spaces and hyphens: `(04) 12.34.56.78` keeps its dots and
  // parentheses, so neither the predicted forms nor `*2345678` reach it (documented in the README).
  t.equal(await name('+33 4 12 34 56 78', e164('FR')), null);
  t.equal(await name('(04) 12.34.56.78', e164('FR')), 'Dots', 'the exact stored value still matches');
});
