// The reverse cache on its own, with a clock the test moves: expiry, stale-while-revalidate, negative
// TTL, the entry bound, per-user keys, outcomes reported to the metrics hook.
import pino from 'pino';
import t from 'tap';
import type { CallArgs, SourceConfig, SourceResult } from '../../src/contracts.js';
import { cacheSettings, ReverseCache, type CacheOutcome } from '../../plugins/services/reverse/cache.js';

const log = pino({ level: 'silent' });
const args = (user: string | null = null): CallArgs => ({ token: null, user_uuid: user, xivo_user_uuid: user, tenant_uuid: null });
const source = (backend: string, extra: Record<string, unknown> = {}): SourceConfig => ({
  uuid: `uuid-${backend}`, tenant_uuid: 't', name: `name-${backend}`, backend, searched_columns: [], first_matched_columns: [], format_columns: {}, ...extra,
});
const result = (name: string): SourceResult => ({
  fields: { reverse: name }, source: 's', backend: 'ldap', is_personal: false, is_deletable: false,
  relations: { xivo_id: null, agent_id: null, user_id: null, user_uuid: null, endpoint_id: null, source_entry_id: null },
});
const display = (value: SourceResult | null) => (value?.fields.reverse as string | undefined) ?? null;

/** A back-end stand-in: answers `answers[exten]` (the test changes it), counts calls. */
function backend(answers: Record<string, string>) {
  const calls: string[] = [];
  let release: () => void = () => {};
  let gate: Promise<void> | null = null;
  return {
    calls,
    /** Holds the next answers until `open()`, so a test can see what is answered meanwhile. */
    hold() { gate = new Promise((resolve) => { release = resolve; }); },
    open() { gate = null; release(); },
    one: (exten: string) => async () => {
      calls.push(exten);
      if (gate) await gate;
      return answers[exten] ? result(answers[exten]) : null;
    },
  };
}

function setup(config: Record<string, any>) {
  let now = 1_000_000;
  const outcomes: CacheOutcome[] = [];
  const cache = new ReverseCache(config, log, () => now);
  cache.onOutcome = (_, outcome) => outcomes.push(outcome);
  return { cache, outcomes, advance: (seconds: number) => { now += seconds * 1000; } };
}

const ldap = source('ldap');
const settings = { enabled: true, ttl: 10, stale_ttl: 100, negative_ttl: 2, max_entries: 3 };

t.test('settings: off by default, main switch for remote back-ends, per-source override', async (t) => {
  t.equal(cacheSettings({}, ldap), null, 'off unless enabled');
  t.equal(cacheSettings({ enabled: true }, source('csv')), null, 'the main switch covers remote back-ends only');
  t.match(cacheSettings({ enabled: true, ttl: 5 }, ldap), { ttl: 5, stale_ttl: 3600, negative_ttl: 30, max_entries: 10_000 });
  t.match(cacheSettings({ sources: { 'name-csv': { ttl: 7 } } }, source('csv')), { ttl: 7 }, 'a per-source entry enables any source');
  t.match(cacheSettings({}, source('csv', { reverse_cache: { negative_ttl: 1 } })), { negative_ttl: 1 }, 'so does the source field');
  t.equal(cacheSettings({ enabled: true }, source('ldap', { reverse_cache: { enabled: false } })), null, 'a source may opt out');
  t.match(cacheSettings({ enabled: true, ttl: 'soon' }, ldap), { ttl: 300 }, 'a bad value falls back to the default');
});

t.test('fresh hits, then stale-while-revalidate, then expiry', async (t) => {
  const { cache, outcomes, advance } = setup(settings);
  const answers = { '100': 'Alice' };
  const b = backend(answers);
  const ask = () => cache.firstMatch(ldap, '100', args(), Date.now() + 1000, b.one('100')).then(display);
  t.equal(await ask(), 'Alice');
  answers['100'] = 'Bob';
  advance(9);
  t.equal(await ask(), 'Alice', 'within ttl: from the cache');
  t.equal(b.calls.length, 1, 'the back-end was asked once');

  advance(2);
  b.hold();
  t.equal(await ask(), 'Alice', 'past ttl: the stale value at once, while the refresh waits on the back-end');
  t.equal(await ask(), 'Alice', 'still stale while the refresh runs');
  t.equal(b.calls.length, 2, 'one refresh, not one per lookup');
  b.open();
  for (let i = 0; i < 100 && (await ask()) !== 'Bob'; i++) await new Promise((resolve) => setImmediate(resolve));
  t.equal(await ask(), 'Bob', 'the refreshed value once the refresh is done');
  t.same(outcomes.slice(0, 4), ['miss', 'hit', 'stale', 'stale']);

  answers['100'] = 'Carol';
  advance(10 + 100);
  t.equal(await ask(), 'Carol', 'past ttl + stale_ttl: asked again, waiting for the answer');
});

t.test('negative answers are cached for negative_ttl', async (t) => {
  const { cache, advance } = setup(settings);
  const answers: Record<string, string> = {};
  const b = backend(answers);
  const ask = () => cache.firstMatch(ldap, '200', args(), Date.now() + 1000, b.one('200')).then(display);
  t.equal(await ask(), null);
  answers['200'] = 'Dave';
  advance(1);
  t.equal(await ask(), null, 'within negative_ttl: still no match, back-end not asked');
  t.equal(b.calls.length, 1);
  advance(1.5);
  t.equal(await ask(), 'Dave', 'past negative_ttl: asked again (no stale serving of misses)');
});

t.test('at most max_entries per source, least recently used dropped first', async (t) => {
  const { cache } = setup(settings);
  const b = backend({ 1: 'one', 2: 'two', 3: 'three', 4: 'four' });
  const ask = (exten: string) => cache.firstMatch(ldap, exten, args(), Date.now() + 1000, b.one(exten));
  for (const exten of ['1', '2', '3']) await ask(exten);
  await ask('1');
  await ask('4');
  t.equal(cache.size(ldap.uuid), 3);
  t.same(b.calls, ['1', '2', '3', '4'], '1 was a hit');
  await ask('1');
  await ask('2');
  t.same(b.calls, ['1', '2', '3', '4', '2'], '2, least recently used, was dropped; 1 was kept');
});

t.test('per-user back-ends are cached per user; drop forgets a source', async (t) => {
  const { cache } = setup(settings);
  const google = source('google', { reverse_cache: {} });
  const b = backend({ '300': 'Erin' });
  await cache.firstMatch(google, '300', args('u1'), Date.now() + 1000, b.one('300'));
  await cache.firstMatch(google, '300', args('u2'), Date.now() + 1000, b.one('300'));
  await cache.firstMatch(google, '300', args('u1'), Date.now() + 1000, b.one('300'));
  t.equal(b.calls.length, 2, 'one call per user, none shared');
  cache.drop(google.uuid);
  t.equal(cache.size(google.uuid), 0);
  await cache.firstMatch(google, '300', args('u1'), Date.now() + 1000, b.one('300'));
  t.equal(b.calls.length, 3, 'asked again after the drop');
});

t.test('matchAll: cached numbers answered from the cache, only the rest asked', async (t) => {
  const { cache, advance } = setup(settings);
  const answers: Record<string, string> = { '1': 'one' };
  const asked: string[][] = [];
  const many = async (extens: string[]) => {
    asked.push(extens);
    return Object.fromEntries(extens.filter((e) => answers[e]).map((e) => [e, result(answers[e]!)]));
  };
  const ask = async (extens: string[]) => {
    const found = await cache.matchAll(ldap, extens, args(), Date.now() + 1000, many);
    return extens.map((e) => display(found[e] ?? null));
  };
  t.same(await ask(['1', '2']), ['one', null]);
  answers['2'] = 'two';
  t.same(await ask(['1', '2', '3']), ['one', null, null], '2 is a cached miss, 3 is asked');
  t.same(asked, [['1', '2'], ['3']]);
  answers['1'] = 'uno';
  advance(11);
  t.same(await ask(['1']), ['one'], 'stale: answered at once, refreshed in the background');
  for (let i = 0; i < 100 && (await ask(['1']))[0] !== 'uno'; i++) await new Promise((resolve) => setImmediate(resolve));
  t.same(await ask(['1']), ['uno']);
});

t.test('a refresh that fails keeps the stale answer until ttl + stale_ttl (firstMatch and matchAll)', async (t) => {
  const { cache, advance } = setup(settings);
  let down = false;
  const one = async () => {
    if (down) throw new Error('ldap source unavailable: connect ECONNREFUSED');
    return result('Alice');
  };
  const many = async (extens: string[]) => {
    if (down) throw new Error('ldap source unavailable: connect ECONNREFUSED');
    return Object.fromEntries(extens.map((exten) => [exten, result(`Alice ${exten}`)]));
  };
  const ask = () => cache.firstMatch(ldap, '100', args(), Date.now() + 1000, one).then(display);
  const askAll = async () => Object.values(await cache.matchAll(ldap, ['1', '2'], args(), Date.now() + 1000, many)).map(display);
  t.equal(await ask(), 'Alice');
  t.same(await askAll(), ['Alice 1', 'Alice 2']);
  down = true;
  advance(11);
  for (let i = 0; i < 5; i++) {
    t.equal(await ask(), 'Alice', 'stale: served while its refreshes fail');
    t.same(await askAll(), ['Alice 1', 'Alice 2']);
    await new Promise((resolve) => setImmediate(resolve));
  }
  advance(98.5);
  t.equal(await ask(), 'Alice', 'just before ttl + stale_ttl: still served');
  advance(1);
  await t.rejects(ask(), /unavailable/, 'past ttl + stale_ttl: the source is asked, and its error is not cached');
  await t.rejects(askAll(), /unavailable/);
  down = false;
  t.equal(await ask(), 'Alice', 'the source is back: asked again');
});

t.test('keys of different matchings never collide, whatever the number holds', async (t) => {
  const { cache } = setup(settings);
  const e164 = { ...args(), number_matching: { mode: 'e164', region: 'FR', suffix_digits: 9 } } as CallArgs;
  const b = backend({ '+33123456789': 'Alice' });
  const crafted = 'e164/FR/9\u0000+33123456789';
  t.equal(display(await cache.firstMatch(ldap, crafted, args(), Date.now() + 1000, b.one(crafted))), null, 'an exact miss of a crafted number');
  t.equal(display(await cache.firstMatch(ldap, '+33123456789', e164, Date.now() + 1000, b.one('+33123456789'))), 'Alice', 'not taken for the e164 answer');
  t.same(b.calls, [crafted, '+33123456789']);
  const google = source('google', { reverse_cache: {} });
  const g = backend({ '1': 'one', '[null,"exact","1"]': 'crafted' });
  await cache.firstMatch(google, '1', args('u1'), Date.now() + 1000, g.one('1'));
  t.equal(display(await cache.firstMatch(google, '1', args(null), Date.now() + 1000, g.one('[null,"exact","1"]'))), 'crafted', 'per-user keys apart too');
});

t.test('max_entries is bounded: lru-cache allocates it up front', async (t) => {
  t.equal(cacheSettings({ enabled: true, max_entries: 5e9 }, ldap)?.max_entries, 1_000_000);
  t.equal(cacheSettings({}, source('csv', { reverse_cache: { max_entries: 1e8 } }))?.max_entries, 1_000_000, 'a stored source field too');
  const { cache } = setup({ enabled: true, max_entries: 5e9 });
  t.equal(display(await cache.firstMatch(ldap, '1', args(), Date.now() + 1000, async () => result('one'))), 'one', 'the cache works');
});
