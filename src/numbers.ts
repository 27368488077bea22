// Phone-number matching for reverse lookups (caller ID), shared by the host (profile options) and every
// back-end that matches numbers. Three modes, chosen per profile and sent with each call in
// `args.number_matching`:
// - `exact` (default, upstream): the stored value equals the number. Back-ends keep their own path.
// - `e164`: both numbers are parsed with libphonenumber-js (default region for national forms) and
//   compared as E.164; when either does not parse, their last `suffix_digits` digits are compared.
// - `suffix`: the last `suffix_digits` digits are compared (no parsing).
// An exact match always counts. Values that are not phone-like (SIP URIs, names), values of fewer than
// seven digits (internal extensions such as 1001) and numbers with fewer digits than `suffix_digits`
// that do not parse only match exactly.
//
// Metadata: `min`. Deriving the E.164 form needs only the country calling codes, international and
// national prefixes and the possible lengths, which `min` carries; `max` adds per-type patterns
// (mobile, fixed line…) used by isValid()/getType(), which matching does not call: a number is
// accepted when it is *possible* (right length), so numbers in ranges newer than the metadata still
// match, and `min` is half the size to load in every worker.
import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { LRUCache } from 'lru-cache';
import type { CallArgs } from './contracts.js';

export const numberMatchingModes = ['exact', 'e164', 'suffix'] as const;
export type NumberMatchingMode = (typeof numberMatchingModes)[number];
export const DEFAULT_SUFFIX_DIGITS = 9;
export const MIN_SUFFIX_DIGITS = 7;
/** E.164 numbers have at most 15 digits. */
export const MAX_SUFFIX_DIGITS = 15;

/** What travels to back-ends in `args.number_matching` (absent: exact). */
export interface NumberMatching {
  mode: Exclude<NumberMatchingMode, 'exact'>;
  /** ISO 3166 alpha-2 region for national forms (`0123456789` in FR); null: only international forms parse. */
  region: string | null;
  suffix_digits: number;
}

/** The regions (ISO 3166 alpha-2, upper case) the metadata knows, i.e. the valid `default_region`s. */
export function supportedRegions(): string[] {
  return getCountries();
}

/** The matching matchingOf() last found valid: a profile's lookups all carry the same object. */
let lastValid: NumberMatching | null = null;

/** The number matching of a call, or null for exact matching (absent or malformed options). */
export function matchingOf(args: CallArgs | null | undefined): NumberMatching | null {
  const m = args?.number_matching;
  if (m !== undefined && m === lastValid) return m;
  if (!m || (m.mode !== 'e164' && m.mode !== 'suffix')) return null;
  const digits = Number.isInteger(m.suffix_digits) && m.suffix_digits >= MIN_SUFFIX_DIGITS && m.suffix_digits <= MAX_SUFFIX_DIGITS
    ? m.suffix_digits : DEFAULT_SUFFIX_DIGITS;
  const region = typeof m.region === 'string' && /^[A-Z]{2}$/.test(m.region) ? m.region : null;
  // A valid matching is kept as it is: the same object on every call lets matchKeys find its cache at once.
  if (digits === m.suffix_digits && region === m.region) return (lastValid = m);
  return { mode: m.mode, region, suffix_digits: digits };
}

/**
 * Digits, any spaces (tabs, no-break and narrow spaces from spreadsheets), the usual punctuation and
 * Unicode dashes, an optional leading `+`, at most 40 characters.
 */
const PHONE_LIKE = /^\s*\+?[0-9\s()./\u2010-\u2015-]{1,40}$/;

/**
 * Values with fewer digits are internal extensions (`1001`): never parsed, since some regions would
 * read them as numbers (`1001` is `+491001` in DE), and too short for a last-digits match.
 */
export const MIN_NUMBER_DIGITS = 7;

/** The digits of a phone-like value; null for anything else (SIP URIs, names, letters). */
export function phoneDigits(value: string): string | null {
  if (!PHONE_LIKE.test(value)) return null;
  const digits = value.replace(/\D/g, '');
  return digits === '' ? null : digits;
}

/** The value as the parser expects it: trimmed, exotic spaces and dashes made plain. */
function plain(value: string): string {
  return value.trim().replace(/\s/g, ' ').replace(/[\u2010-\u2015]/g, '-');
}

/** The parsed number of a phone-like value of at least MIN_NUMBER_DIGITS digits, if it is possible. */
function parse(value: string, region: string | null) {
  const digits = phoneDigits(value);
  if (digits === null || digits.length < MIN_NUMBER_DIGITS) return null;
  try {
    const parsed = parsePhoneNumberFromString(plain(value), region ? { defaultCountry: region as CountryCode } : undefined);
    return parsed && parsed.isPossible() ? parsed : null;
  } catch {
    return null;
  }
}

/** The E.164 form of a phone-like value, or null when it does not parse to a possible number. */
export function toE164(value: string, region: string | null): string | null {
  return parse(value, region)?.number ?? null;
}

/** What a value is matched by besides its exact self; nulls when it cannot be matched another way. */
export interface MatchKeys {
  e164: string | null;
  suffix: string | null;
  /**
   * Where an index of stored values looks the value up, in order: (table, key) pairs naming the tables
   * of NumberIndex (`e164:<region>:<digits>`, `unparsed:<region>:<digits>`, `suffix:<digits>`). The
   * same names key the tables a back-end publishes to the host (src/shared-answers.ts).
   */
  probes: ReadonlyArray<readonly [table: string, key: string]>;
}
const NO_KEYS: MatchKeys = { e164: null, suffix: null, probes: [] };

export function suffixOf(value: string, digits: number): string | null {
  const all = phoneDigits(value);
  return all !== null && all.length >= digits ? all.slice(-digits) : null;
}

/**
 * Incoming numbers repeat (the same callers call again): parse results are kept per matching, at most
 * KEYS_CACHE_SIZE each, least recently used first out.
 */
const KEYS_CACHE_SIZE = 20_000;
const MAX_KEY_CACHES = 16;
type KeysCache = LRUCache<string, MatchKeys>;
const newKeysCache = (): KeysCache => new LRUCache<string, MatchKeys>({ max: KEYS_CACHE_SIZE });
const keysCaches = new Map<string, KeysCache>();

/** The matching object matchKeys saw last, and its cache (the host passes one object per profile). */
let lastMatching: NumberMatching | null = null;
let lastCache = newKeysCache();

/** The keys of an incoming number (cached: parsing costs 10–40 µs). */
export function matchKeys(exten: string, m: NumberMatching): MatchKeys {
  let cache = lastCache;
  if (m !== lastMatching) {
    const matchingKey = m.mode === 'suffix' ? `s${m.suffix_digits}` : `e${m.suffix_digits}${m.region ?? ''}`;
    const known = keysCaches.get(matchingKey);
    if (known) cache = known;
    else remember(keysCaches, matchingKey, (cache = newKeysCache()), MAX_KEY_CACHES);
    [lastMatching, lastCache] = [m, cache];
  }
  const cached = cache.get(exten);
  if (cached) return cached;
  const keys = computeKeys(exten, m);
  cache.set(exten, keys);
  return keys;
}

function computeKeys(value: string, m: NumberMatching): MatchKeys {
  const suffix = suffixOf(value, m.suffix_digits);
  const bySuffix = suffix === null ? [] : [[`suffix:${m.suffix_digits}`, suffix] as const];
  if (m.mode === 'suffix') return suffix === null ? NO_KEYS : { e164: null, suffix, probes: bySuffix };
  const e164 = toE164(value, m.region);
  if (e164 === null) return suffix === null ? NO_KEYS : { e164, suffix, probes: bySuffix };
  // A number that parses matches stored values of the same E.164 form, or, among the stored values
  // that do not parse in this region, those with the same last digits.
  const region = `${m.region ?? ''}:${m.suffix_digits}`;
  const probes: [string, string][] = [[`e164:${region}`, e164]];
  if (suffix !== null) probes.push([`unparsed:${region}`, suffix]);
  return { e164, suffix, probes };
}

/**
 * What back-ends that ask a server for candidates (ldap, wazo) search stored values for: the number's
 * last seven digits, which every stored form of it ends with once spaces and hyphens are dropped, and
 * which a trunk prefix or area code in parentheses (`(01) 23…`, `(415) 555…`) does not reach. Null
 * when no digits are compared (extensions, values that are not numbers).
 */
export function candidateDigits(exten: string, m: NumberMatching): string | null {
  return matchKeys(exten, m).suffix?.slice(-MIN_NUMBER_DIGITS) ?? null;
}

/**
 * Whether a stored value matches an incoming number, for back-ends that filter a few fetched entries
 * (google, office365, conference, csv_ws, wazo, ldap). Null `m`: exact.
 */
export function sameNumber(exten: string, stored: string, m: NumberMatching | null): boolean {
  if (stored === exten) return true;
  if (m === null) return false;
  const wanted = matchKeys(exten, m);
  if (wanted.e164 === null && wanted.suffix === null) return false;
  const own = matchKeys(stored, m);
  if (wanted.e164 !== null && own.e164 !== null) return wanted.e164 === own.e164;
  return wanted.suffix !== null && wanted.suffix === own.suffix;
}

/**
 * The forms a stored value equal to `exten` can be expected to take, punctuation removed, for back-ends
 * that ask a server for equal values (ldap): the E.164 form, `00` + country code, and when the number
 * is of the default region its national forms and the region's international dialling form. Empty
 * when `exten` does not parse (or in suffix mode).
 */
export function dialledForms(exten: string, m: NumberMatching): string[] {
  const parsed = m.mode === 'e164' ? parse(exten, m.region) : null;
  if (!parsed) return [];
  const forms = [parsed.number, `00${parsed.countryCallingCode}${parsed.nationalNumber}`];
  if (m.region) {
    const digits = (text: string) => text.replace(/\D/g, '');
    forms.push(digits(parsed.format('IDD', { fromCountry: m.region as CountryCode }) ?? ''));
    if (parsed.country === m.region) forms.push(digits(parsed.formatNational()), parsed.nationalNumber);
  }
  return [...new Set(forms.filter((form) => form !== '' && form !== '+'))];
}

/** Tables kept per index (an e164 build makes two: `e164:` and `unparsed:`); oldest first out. */
const MAX_TABLES = 12;
/** Values parsed between two yields to the event loop while an E.164 table is built (heartbeats go on). */
const PARSE_CHUNK = 2_000;

/**
 * Constant-time matching of stored values of one data version, for back-ends holding their entries
 * (csv, personal, phonebook): `entries` lists (stored value, entry) in priority order, the first entry
 * for a key wins. Tables are built on first use per region and suffix length; build a new index when
 * the data changes. Exact matching stays with the back-end's own map.
 */
export class NumberIndex<T> {
  private readonly built = new Map<string, Map<string, T>>();
  private readonly building = new Map<string, Promise<void>>();
  /** Per region, the E.164 form (or null) of every stored value, from the last complete build. */
  private readonly parsed: Map<string, Map<string, string | null>>;

  /**
   * `previous`: the index of the data version before, whose parse results are reused, so a version
   * that changed a few values only parses those (a phonebook write does not cost a full parse).
   * `onBuilt`: called after a table was added (a back-end publishing its tables sends them again).
   */
  constructor(
    private readonly entries: () => Iterable<readonly [string, T]>,
    previous?: NumberIndex<T>,
    private readonly onBuilt: () => void = () => {},
  ) {
    this.parsed = new Map(previous?.parsed);
  }

  /** The entry matching `exten` other than exactly; a promise only while a table is being built. */
  find(exten: string, m: NumberMatching): T | undefined | Promise<T | undefined> {
    const { probes } = matchKeys(exten, m);
    if (probes.length === 0) return undefined;
    const ready = this.ensure(probes[0][0], m);
    return ready ? ready.then(() => this.probe(probes)) : this.probe(probes);
  }

  /** The complete tables, by name (see MatchKeys.probes). */
  tables(): IterableIterator<[string, Map<string, T>]> {
    return this.built.entries();
  }

  private probe(probes: MatchKeys['probes']): T | undefined {
    for (const [table, key] of probes) {
      const found = this.built.get(table)?.get(key);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  /** Builds the table named `table` (and its companion) unless it exists; a promise while building. */
  private ensure(table: string, m: NumberMatching): Promise<void> | null {
    if (this.built.has(table)) return null;
    if (table.startsWith('suffix:')) {
      this.add(table, this.bySuffix(m.suffix_digits));
      this.onBuilt();
      return null;
    }
    let building = this.building.get(table);
    if (!building) {
      building = this.buildRegion(m).finally(() => this.building.delete(table));
      this.building.set(table, building);
    }
    return building;
  }

  private add(table: string, map: Map<string, T>): void {
    // Delete first: a rebuilt pair goes to the end together, so `e164:` always leaves before its companion.
    this.built.delete(table);
    remember(this.built, table, map, MAX_TABLES);
  }

  private bySuffix(digits: number): Map<string, T> {
    const map = new Map<string, T>();
    for (const [value, entry] of this.entries()) {
      const suffix = suffixOf(value, digits);
      if (suffix !== null && !map.has(suffix)) map.set(suffix, entry);
    }
    return map;
  }

  private async buildRegion(m: NumberMatching): Promise<void> {
    const byE164 = new Map<string, T>();
    const unparsedBySuffix = new Map<string, T>();
    const region = m.region ?? '';
    const known = this.parsed.get(region);
    const parsedNow = new Map<string, string | null>();
    let parsed = 0;
    for (const [value, entry] of this.entries()) {
      const digits = phoneDigits(value);
      if (digits === null) continue;
      let e164 = known && known.has(value) ? known.get(value)! : parsedNow.get(value);
      if (e164 === undefined) {
        if (++parsed % PARSE_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
        e164 = toE164(value, m.region);
      }
      parsedNow.set(value, e164);
      if (e164 !== null) {
        if (!byE164.has(e164)) byE164.set(e164, entry);
      } else if (digits.length >= m.suffix_digits) {
        const suffix = digits.slice(-m.suffix_digits);
        if (!unparsedBySuffix.has(suffix)) unparsedBySuffix.set(suffix, entry);
      }
    }
    remember(this.parsed, region, parsedNow, MAX_TABLES);
    const name = `${region}:${m.suffix_digits}`;
    this.add(`e164:${name}`, byE164);
    this.add(`unparsed:${name}`, unparsedBySuffix);
    this.onBuilt();
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value!);
}
