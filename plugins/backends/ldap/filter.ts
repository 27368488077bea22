// LDAP filters of the ldap back-end (spec §4.3): RFC 4515 escaping, search / first match / list filters.
import { EqualityFilter, OrFilter, type Filter } from 'ldapts';
import { candidateDigits, dialledForms, type NumberMatching } from '../../../src/numbers.js';

/** RFC 4515 escaping of a user-supplied value. */
export function escapeValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** The single filter if there is one, else their OR. */
function or(filters: string[]): string {
  return filters.length === 1 ? filters[0] : `(|${filters.join('')})`;
}

export interface FilterSource {
  customFilter: string | null;
  searched: string[];
  matched: string[];
}

/** The admin's filter with every `%Q` replaced by the escaped term; parenthesised if the admin did not. */
function custom(filter: string, escaped: string): string {
  const replaced = filter.replaceAll('%Q', escaped);
  return replaced.startsWith('(') ? replaced : `(${replaced})`;
}

function combine(customFilter: string | null, columnFilters: string[], escaped: string): string | null {
  const own = customFilter === null ? null : custom(customFilter, escaped);
  if (own !== null && columnFilters.length > 0) return `(&${own}${or(columnFilters)})`;
  if (own !== null) return own;
  if (columnFilters.length > 0) return or(columnFilters);
  return null;
}

/** Substring match on the searched columns; an empty term asks for presence (`**` is not a filter). */
export function searchFilter(source: FilterSource, term: string): string | null {
  const t = escapeValue(term);
  const assertion = t === '' ? '*' : `*${t}*`;
  return combine(source.customFilter, source.searched.map((column) => `(${column}=${assertion})`), t);
}

/** Exact match on the first-matched columns. */
export function firstMatchFilter(source: FilterSource, exten: string): string | null {
  const t = escapeValue(exten);
  return combine(source.customFilter, source.matched.map((column) => `(${column}=${t})`), t);
}

export function matchAllFilter(source: FilterSource, extens: string[], m: NumberMatching | null = null): string | null {
  const filters = extens.map((exten) => (m ? numberFilter(source, exten, m) : firstMatchFilter(source, exten))).filter((f): f is string => f !== null);
  return filters.length === 0 ? null : or([...new Set(filters)]);
}

/**
 * Number matching (e164, suffix) on the first-matched columns: the exact value, the forms a stored
 * number of the same E.164 can be predicted to take, and values ending with the last seven digits.
 * The server's answers are candidates: the back-end keeps those that match (src/numbers.ts
 * sameNumber). Equality and substring matching on telephoneNumber syntax (telephoneNumber, mobile,
 * homePhone…) ignore spaces and hyphens, so `+33 1 23-45…` is found; other punctuation among the last
 * seven digits (`01.23.45.67.89`), or any punctuation on other syntaxes, defeats the substring, and
 * only the predicted forms are found.
 */
export function numberFilter(source: FilterSource, exten: string, m: NumberMatching): string | null {
  const values = [exten, ...dialledForms(exten, m)].map(escapeValue);
  const suffix = candidateDigits(exten, m);
  const assertions = [...new Set(values)].map((value) => `=${value}`);
  if (suffix !== null) assertions.push(`=*${suffix}`);
  const columnFilters = source.matched.flatMap((column) => assertions.map((assertion) => `(${column}${assertion})`));
  return combine(source.customFilter, columnFilters, escapeValue(exten));
}

/** Entries whose unique column is one of the ids. */
export function listFilter(uniqueColumn: string, ids: string[]): string | null {
  if (ids.length === 0) return null;
  return or(ids.map((id) => `(${uniqueColumn}=${escapeValue(id)})`));
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * Entries whose binary unique column holds one of the UUIDs, as 16 raw bytes in the UUID string's own
 * order. Built as filter objects: ldapts would re-encode the bytes of a `\xx` string filter as UTF-8.
 */
export function binaryListFilter(uniqueColumn: string, ids: string[]): Filter | null {
  const filters = ids
    .filter((id) => UUID.test(id))
    .map((id) => new EqualityFilter({ attribute: uniqueColumn, value: Buffer.from(id.replaceAll('-', ''), 'hex') }));
  if (filters.length === 0) return null;
  return filters.length === 1 ? filters[0] : new OrFilter({ filters });
}

/** 16 raw bytes as a canonical UUID string (plain big-endian order, like upstream); other lengths as hex. */
export function bytesToUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  if (bytes.length !== 16) return hex;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Attributes to ask for: every `{identifier}` of the format columns plus the unique column; [] means all. */
export function requestedAttributes(formatColumns: Record<string, string>, uniqueColumn: string | null): string[] {
  const names = new Set<string>();
  for (const template of Object.values(formatColumns)) {
    for (const match of template.matchAll(/\{(\w+)\}/g)) names.add(match[1]);
  }
  if (names.size === 0) return [];
  if (uniqueColumn) names.add(uniqueColumn);
  return [...names];
}
