// The number-matching kernel (src/numbers.ts): which forms match under exact, e164 and suffix, the
// fallback for numbers that do not parse, values that only ever match exactly, and the index.
import t from 'tap';
import type { CallArgs } from '../../src/contracts.js';
import { dialledForms, matchingOf, NumberIndex, sameNumber, toE164, type NumberMatching } from '../../src/numbers.js';
import { groups, regions } from './forms.js';

const e164 = (region: string | null): NumberMatching => ({ mode: 'e164', region, suffix_digits: 9 });
const suffix: NumberMatching = { mode: 'suffix', region: null, suffix_digits: 9 };

t.test('e164: every stored form of a number matches every searched form, in its region', async (t) => {
  for (const region of regions) {
    for (const stored of groups[region]) {
      const index = new NumberIndex<string>(() => [['+49 30 1234567', 'other'], [stored, 'found'], ['0999 000 000', 'other']]);
      for (const searched of groups[region]) {
        t.ok(sameNumber(searched, stored, e164(region)), `${region}: ${searched} ~ ${stored}`);
        t.equal(await index.find(searched, e164(region)), 'found', `${region} index: ${searched} finds ${stored}`);
      }
    }
  }
});

t.test('e164: international forms match whatever the region', async (t) => {
  t.ok(sameNumber('+44 20 7946 0958', '0044 20 7946 0958', e164('FR')));
  t.ok(sameNumber('+33 1 23 45 67 89', '0033123456789', e164(null)), 'no region at all');
  t.equal(toE164('0123456789', null), null, 'a national form needs a region');
  t.equal(toE164('020 7946 0958', 'GB'), '+442079460958');
  t.notOk(sameNumber('+33 1 23 45 67 89', '+33 1 23 45 67 80', e164('FR')), 'another number');
  t.notOk(sameNumber('+1 415 555 2671', '+44 415 555 2671', e164('FR')), 'same digits, another country: no match');
});

t.test('e164: numbers that do not parse fall back to their last digits', async (t) => {
  // +999 is no country calling code: it does not parse, its last 9 digits are compared.
  t.ok(sameNumber('+999 0123456789', '01 23 45 67 89', e164('FR')), 'unparsable incoming number');
  t.notOk(sameNumber('0123456789', '#31#+999-123456789', e164('FR')), 'a stored value that is not phone-like only matches exactly');
  t.ok(sameNumber('01 23 45 67 89', '+999 123456789', e164('FR')), 'unparsable stored number');
  t.notOk(sameNumber('+999 0123456780', '01 23 45 67 89', e164('FR')), 'different last digits');
  const index = new NumberIndex<string>(() => [['+999 123456789', 'odd'], ['0611111111', 'mobile']]);
  t.equal(await index.find('0123456789', e164('FR')), 'odd', 'index: parsed incoming, unparsed stored');
  t.equal(await index.find('+999 123456789', e164('FR')), 'odd');
  t.equal(await index.find('+999 611111111', e164('FR')), 'mobile', 'index: unparsed incoming, any stored');
});

t.test('suffix: the last suffix_digits digits, no parsing', async (t) => {
  t.ok(sameNumber('+33 1 23 45 67 89', '0123456789', suffix));
  t.ok(sameNumber('(415) 555-2671', '+1 415 555 2671', suffix));
  t.notOk(sameNumber('+33 1 23 45 67 89', '+33 1 23 45 67 88', suffix));
  const seven = { ...suffix, suffix_digits: 7 };
  t.ok(sameNumber('555 2671', '+1 415 555 2671', seven), '7 digits');
  t.notOk(sameNumber('555 2671', '+1 415 555 2671', suffix), 'fewer digits than suffix_digits: exact only');
  const index = new NumberIndex<string>(() => [['+1 415 555 2671', 'us'], ['+33 1 23 45 67 89', 'fr']]);
  t.equal(await index.find('0123456789', suffix), 'fr');
  t.equal(await index.find('415.555.2671', seven), 'us');
});

t.test('exact matching: other forms do not match', async (t) => {
  t.ok(sameNumber('0123456789', '0123456789', null));
  t.notOk(sameNumber('+33123456789', '0123456789', null));
  t.equal(matchingOf({ token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null }), null, 'no options: exact');
  const malformed = { number_matching: { mode: 'fuzzy', region: 'FR', suffix_digits: 9 } } as unknown as CallArgs;
  t.equal(matchingOf(malformed), null, 'an unknown mode: exact');
  const tooShort = { number_matching: { mode: 'suffix', region: null, suffix_digits: 3 } } as unknown as CallArgs;
  t.equal(matchingOf(tooShort)?.suffix_digits, 9, 'an out-of-range suffix length falls back to the default');
  const valid = { mode: 'e164', region: 'FR', suffix_digits: 9 } as const;
  const args = (number_matching: unknown) => ({ number_matching }) as unknown as CallArgs;
  t.equal(matchingOf(args(valid)), valid, 'a valid matching is used as it is');
  t.equal(matchingOf(args(valid)), valid, 'again');
  t.same(matchingOf(args({ mode: 'e164', region: 'france', suffix_digits: 9 })), { mode: 'e164', region: null, suffix_digits: 9 },
    'a bad region after a valid matching is still dropped');
});

t.test('internal extensions and SIP URIs only match exactly', async (t) => {
  for (const m of [e164('FR'), suffix]) {
    t.ok(sameNumber('1001', '1001', m));
    t.notOk(sameNumber('1001', '01001', m), `${m.mode}: 1001 is not 01001`);
    t.notOk(sameNumber('1001', '+33 1001', m));
    t.ok(sameNumber('sip:alice@example.com', 'sip:alice@example.com', m));
    t.notOk(sameNumber('sip:alice@example.com', 'SIP:alice@example.com', m));
    t.notOk(sameNumber('sip:0123456789@example.com', '0123456789', m), 'digits inside a URI are not a number');
    const index = new NumberIndex<string>(() => [['1001', 'ext'], ['sip:alice@example.com', 'sip'], ['0033 1 23 45 67 89', 'fr']]);
    t.equal(await index.find('1001', m), undefined, 'the index leaves exact values to the back-end');
    t.equal(await index.find('sip:alice@example.com', m), undefined);
  }
});

t.test('short extensions are never parsed, in regions that would read them as numbers', async (t) => {
  for (const region of ['DE', 'AT', 'IT', 'GB']) {
    const m = e164(region);
    t.equal(toE164('1001', region), null, `${region}: 1001 is an extension`);
    t.notOk(sameNumber('1001', '01001', m), `${region}: 1001 is not 01001`);
    t.notOk(sameNumber('8001', `+${region === 'DE' ? 49 : 43} 8001`, m), `${region}: 8001 is not an international number`);
    const index = new NumberIndex<string>(() => [['8001', 'ext'], ['123456', 'six digits']]);
    t.equal(await index.find('08001', m), undefined, `${region}: a stored extension is not found by another form`);
    t.equal(await index.find('0123456', m), undefined);
    t.same(dialledForms('1001', m), [], `${region}: no forms are predicted for an extension`);
  }
  t.equal(toE164('+49 30 1234567', 'DE'), '+49301234567', 'seven digits and more still parse');
});

t.test('spaces and dashes of any kind around and inside a stored number', async (t) => {
  const stored = [' +33 1 23 45 67 89', '+33 1 23 45 67 89 ', '+33\t1\t23 45 67 89', '01\u202f23\u202f45\u202f67\u202f89',
    '01\u00a023\u00a045\u00a067\u00a089', '01\u201123\u201145\u201167\u201189'];
  for (const value of stored) {
    t.ok(sameNumber('0123456789', value, e164('FR')), `${JSON.stringify(value)} is 0123456789`);
    t.ok(sameNumber('+33123456789', value, suffix), `${JSON.stringify(value)} ends with the same digits`);
    const index = new NumberIndex<string>(() => [[value, 'found']]);
    t.equal(await index.find('+33 1 23 45 67 89', e164('FR')), 'found', `index: ${JSON.stringify(value)}`);
  }
});

t.test('the first entry in priority order wins; maps are per region', async (t) => {
  const index = new NumberIndex<string>(() => [['01 23 45 67 89', 'first'], ['+33123456789', 'second'], ['020 7946 0958', 'uk']]);
  t.equal(await index.find('0033123456789', e164('FR')), 'first');
  t.equal(await index.find('+44 20 7946 0958', e164('GB')), 'uk', 'GB region: the national UK form parses');
  t.equal(await index.find('+44 20 7946 0958', e164('FR')), 'uk', 'FR region: falls back to the last digits of the unparsed stored value');
});

t.test('dialled forms: what a server holding the number may store', async (t) => {
  t.same(dialledForms('+33 1 23 45 67 89', e164('FR')).sort(), ['+33123456789', '0033123456789', '0123456789', '123456789'].sort());
  t.same(dialledForms('(415) 555-2671', e164('US')).sort(), ['+14155552671', '0014155552671', '14155552671', '4155552671'].sort());
  t.ok(dialledForms('+44 20 7946 0958', e164('US')).includes('011442079460958'), 'the region\'s own international prefix');
  t.same(dialledForms('1001', e164('FR')), []);
  t.same(dialledForms('0123456789', suffix), []);
});

t.test('an index of a new data version reuses parse results and sees the changes', async (t) => {
  const first = new NumberIndex<string>(() => [['01 23 45 67 89', 'a'], ['06 00 00 00 01', 'b']]);
  t.equal(await first.find('+33600000001', e164('FR')), 'b');
  const second = new NumberIndex<string>(() => [['01 23 45 67 89', 'a'], ['06 00 00 00 02', 'b'], ['+999 600000001', 'c']], first);
  t.equal(await second.find('+33123456789', e164('FR')), 'a', 'an unchanged value');
  t.equal(await second.find('+33600000002', e164('FR')), 'b', 'a changed value, under its new number');
  t.equal(await second.find('+33600000001', e164('FR')), 'c', 'not under its old one (the last digits of an unparsed value match)');
  t.equal(await first.find('+33600000002', e164('FR')), undefined, 'the old version is unchanged');
});
