// Concurrent reverse lookups of one ldap source merged into one search against a real slapd: each
// caller gets exactly what its own search gives, with fewer searches; numbers the merged answer cannot
// settle get their own search; a server that stops gives empty answers, never a hang.
import t from 'tap';
import { MAX_BATCH } from '../../../plugins/backends/ldap/index.js';
import type { CallArgs, SourceConfig } from '../../../src/contracts.js';
import type { NumberMatching } from '../../../src/numbers.js';
import { person, startSlapd } from '../../helpers/slapd.js';
import { groups } from '../../numbers/forms.js';
import { loadLdap } from './fixture.js';

const entries = [
  person('spaced', { cn: 'Spaced', sn: 'S', telephoneNumber: '01 23-45 67 01' }),
  person('multi', { cn: 'Multi', sn: 'M', telephoneNumber: ['5553000001', '5553000002'], mobile: ['5553100001', '5553100002'] }),
  person('shared1', { cn: 'Shared One', sn: 'S', telephoneNumber: '5554000000' }),
  person('shared2', { cn: 'Shared Two', sn: 'S', telephoneNumber: '5554000000', mobile: '5554000002' }),
  person('fr', { cn: 'Fr Paris', sn: 'Paris', telephoneNumber: '01 23-45-67 89' }),
  person('uk', { cn: 'Uk London', sn: 'London', telephoneNumber: '+44 20 7946 0958' }),
  person('us', { cn: 'Us Sf', sn: 'Sf', mobile: '1-415-555 2671' }),
  person('decoy', { cn: 'Decoy', sn: 'Decoy', telephoneNumber: '+49 1 23 45 67 89' }),
  person('dots', { cn: 'Dots', sn: 'Dots', telephoneNumber: '(04) 12.34.56.78' }),
  person('ref', { cn: 'Ref', sn: 'Ref', seeAlso: 'cn=a\\,b,dc=example,dc=org' }),
  ...Array.from({ length: 150 }, (_, i) => person(`bulk${i}`, { cn: `Bulk ${i}`, sn: 'Bulk', telephoneNumber: String(5559000000 + i) })),
];
const slapd = await startSlapd({ entries });
t.teardown(() => slapd.close());

function backend(extra: Partial<SourceConfig> = {}, url = slapd.url) {
  return loadLdap(url, { name: 'coalescing', format_columns: { name: '{cn}', reverse: '{cn}' }, unique_column: 'entryUUID', ...extra });
}

const argsOf = (number_matching?: NumberMatching): CallArgs => ({ token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null, number_matching });
const exact = argsOf();
const e164 = argsOf({ mode: 'e164', region: 'FR', suffix_digits: 9 });

/** Answers one at a time (each its own search) and all at once, on two fresh sources. */
async function bothWays(extens: string[], args: CallArgs, extra: Partial<SourceConfig> = {}) {
  const alone = await backend(extra);
  const sequential = [];
  for (const exten of extens) sequential.push(await alone.firstMatch(exten, args));
  const together = await backend(extra);
  const concurrent = await Promise.all(extens.map((exten) => together.firstMatch(exten, args)));
  return { sequential, concurrent, searchesAlone: alone.searches, searches: together.searches };
}

const names = (answers: Array<Record<string, unknown> | null>) => answers.map((fields) => fields?.cn ?? null);

t.test('exact: hits and misses, spaced and multi-valued numbers, shared numbers; one search', async (t) => {
  const extens = ['0123456701', '5553000002', '5553100001', '5554000000', '5554000002', '5559000007',
    '5550000000', '999', 'sip:x@y', '5559000149', '0123456701', '', ' ', '\\', 'é', '(*)'];
  const { sequential, concurrent, searchesAlone, searches } = await bothWays(extens, exact);
  t.same(names(sequential), ['Spaced', 'Multi', 'Multi', 'Shared One', 'Shared Two', 'Bulk 7', null, null, null, 'Bulk 149', 'Spaced', null, null, null, null, null]);
  t.same(concurrent, sequential, 'the same fields, the same first entry');
  t.same(Object.keys(concurrent[0]!).sort(), ['cn', 'entryUUID'], 'no attribute beyond what a lone search asks for');
  t.equal(searchesAlone, extens.length);
  t.equal(searches, 1, 'one merged search, misses included');
});

t.test('e164: numbers of several countries, misses, a decoy with the same last digits; one search', async (t) => {
  const extens = ['0123456789', '020 7946 0958', '(415) 555-2671', '+33 1 23 45 67 80', '1001', '+33 4 12 34 56 78'];
  const { sequential, concurrent, searches } = await bothWays(extens, e164);
  t.same(names(sequential), ['Fr Paris', 'Uk London', 'Us Sf', null, null, null]);
  t.same(concurrent, sequential);
  t.equal(searches, 1);
});

t.test('e164: every form of the same numbers at once, and the decoy: the same answers', async (t) => {
  const extens = [...groups.FR, ...groups.GB, ...groups.US, '+49 1 23 45 67 89'];
  const { sequential, concurrent } = await bothWays(extens, e164);
  t.same(names(sequential), [...groups.FR.map(() => 'Fr Paris'), ...groups.GB.map(() => 'Uk London'), ...groups.US.map(() => 'Us Sf'), 'Decoy']);
  // Several numbers equal to one stored value only after loosening: none is sure, each searches alone.
  t.same(concurrent, sequential);
});

t.test('e164: an entry another caller found is not given to a number its own search misses', async (t) => {
  // `(04) 12.34.56.78` keeps its dots: the last digits do not reach it, only its exact value does.
  const { sequential, concurrent } = await bothWays(['(04) 12.34.56.78', '+33 4 12 34 56 78'], e164);
  t.same(names(sequential), ['Dots', null]);
  t.same(concurrent, sequential);
});

t.test('a number the merged answer cannot settle gets its own search, and its answer', async (t) => {
  // `5553000001` is identical to a value of Multi; `555-3000001` only equal after loosening, and Multi
  // is explained by the other number already: whether the server matched it too is not known here.
  const { sequential, concurrent, searches } = await bothWays(['5553000001', '555-3000001', '5550000000'], exact);
  t.same(names(sequential), ['Multi', 'Multi', null]);
  t.same(concurrent, sequential);
  t.equal(searches, 2, 'the merged search and one of its own');
});

t.test('an entry the server matched by a rule looser than ours: every number of the batch searches alone', async (t) => {
  // distinguishedNameMatch: `\2c` is `\,`; no exact nor loosened value equals the asked one.
  const extra = { first_matched_columns: ['seeAlso'] };
  const { sequential, concurrent, searches } = await bothWays(['cn=a\\2cb,dc=example,dc=org', 'cn=nobody,dc=example,dc=org'], exact, extra);
  t.same(names(sequential), ['Ref', null]);
  t.same(concurrent, sequential);
  t.equal(searches, 3);
});

t.test('more than MAX_BATCH callers form several batches; duplicates share an answer', async (t) => {
  const extens = Array.from({ length: 2 * MAX_BATCH + 20 }, (_, i) => String(5559000000 + (i % 140)));
  const { sequential, concurrent, searches } = await bothWays(extens, exact);
  t.equal(names(sequential).filter(Boolean).length, extens.length);
  t.same(concurrent, sequential);
  t.equal(searches, 3, `${extens.length} callers, ${new Set(extens).size} numbers: three batches`);
});

t.test('a custom filter with %Q is not merged; one without is', async (t) => {
  const extens = ['5554000000', '5553000001', '5550000000'];
  const perNumber = await bothWays(extens, exact, { ldap_custom_filter: '(|(sn=S)(cn=%Q))' });
  t.same(names(perNumber.concurrent), ['Shared One', null, null]);
  t.same(perNumber.concurrent, perNumber.sequential);
  t.equal(perNumber.searches, 3);
  const fixed = await bothWays(extens, exact, { ldap_custom_filter: '(sn=M)' });
  t.same(names(fixed.concurrent), [null, 'Multi', null]);
  t.same(fixed.concurrent, fixed.sequential);
  t.equal(fixed.searches, 1);
});

t.test('the server stops: merged lookups all reject (not "no match"), none hangs; then answer again', async (t) => {
  const own = await startSlapd({ entries: entries.slice(0, 3) });
  t.teardown(() => own.close());
  const src = await backend({}, own.url);
  const many = () => Promise.all(['0123456701', '5553000001', '5550000000'].map((exten) => src.firstMatch(exten, exact)));
  t.same(names(await many()), ['Spaced', 'Multi', null]);
  await own.stop();
  const down = await Promise.allSettled(['0123456701', '5553000001', '5550000000'].map((exten) => src.firstMatch(exten, exact)));
  t.same(down.map((answer) => answer.status), ['rejected', 'rejected', 'rejected']);
  t.match((down[0] as PromiseRejectedResult).reason.message, /^ldap source unavailable: .*ECONNREFUSED/);
  await own.start();
  t.same(names(await many()), ['Spaced', 'Multi', null]);
});
