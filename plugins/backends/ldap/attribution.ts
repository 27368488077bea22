// Which entries of one merged reverse search answer which of the numbers asked, so that each caller of
// a coalesced batch gets what its own search would have given. The server matched with each
// attribute's own rule, which we do not know: an identical value surely matched; a value equal only
// after loosening (case, spaces, hyphens: as loose as telephoneNumberMatch and caseIgnoreMatch) maybe
// did. Where a maybe decides the answer, the number is `unsure` and gets its own search.
import type { Entry } from 'ldapts';
import type { Fields } from '../../../src/contracts.js';
import { candidateDigits, dialledForms, sameNumber, type NumberMatching } from '../../../src/numbers.js';

type Membership = 'yes' | 'maybe' | 'no';
/** The index of the entry that answers, null for none, or `unsure`. */
export type Pick = number | null | 'unsure';

/** At least as loose as the equality rules of phone-like attributes. */
export function loosen(value: string): string {
  if (/^\+?[0-9]*$/.test(value)) return value;
  return value.normalize('NFKC').toLowerCase().replace(/[\s\u2010-\u2015-]/g, '');
}

interface Wanted {
  forms: Set<string>;
  looseForms: Set<string>;
  /** Number matching: the server also matched stored values ending with these digits (filter.ts). */
  suffix: string | null;
}

function wanted(exten: string, m: NumberMatching | null): Wanted {
  const forms = new Set(m ? [exten, ...dialledForms(exten, m)] : [exten]);
  return { forms, looseForms: new Set([...forms].map(loosen)), suffix: m ? candidateDigits(exten, m) : null };
}

/** Every value of the first-matched attributes (the server matches on any value, not only the first). */
export function matchedValues(entry: Entry, matched: string[]): string[] {
  const names = new Set(matched.map((name) => name.toLowerCase()));
  const values: string[] = [];
  for (const [name, raw] of Object.entries(entry)) {
    if (name === 'dn' || !names.has(name.toLowerCase())) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) values.push(Buffer.isBuffer(value) ? value.toString('utf8') : value);
  }
  return values;
}

function membership(values: string[], loose: string[], w: Wanted): Membership {
  if (values.some((v) => w.forms.has(v) || (w.suffix !== null && v.endsWith(w.suffix)))) return 'yes';
  if (loose.some((v) => w.looseForms.has(v) || (w.suffix !== null && v.endsWith(w.suffix)))) return 'maybe';
  return 'no';
}

/**
 * memberships[entry][exten]. The server returned each entry for at least one number: an entry only one
 * number may explain was surely returned for it; an entry none explains (a rule looser than ours) may
 * have been returned for any.
 */
function memberships(values: string[][], extens: string[], m: NumberMatching | null): Membership[][] {
  const wants = extens.map((exten) => wanted(exten, m));
  return values.map((entryValues) => {
    const loose = entryValues.map(loosen);
    const row = wants.map((w) => membership(entryValues, loose, w));
    const explaining = row.filter((mark) => mark !== 'no').length;
    if (explaining === 0) return row.map(() => 'maybe');
    if (explaining === 1) return row.map((mark) => (mark === 'maybe' ? 'yes' : mark));
    return row;
  });
}

/** Exact matching: the first entry, in the server's order, that the number's own search returns. */
export function pickExact(values: string[][], extens: string[]): Pick[] {
  const marks = memberships(values, extens, null);
  return extens.map((_, x) => {
    const first = marks.findIndex((row) => row[x] !== 'no');
    if (first === -1) return null;
    return marks[first][x] === 'yes' ? first : 'unsure';
  });
}

/**
 * Number matching, by the rule of a lone search: among the entries the number's own search returns, the
 * first with a value that is the number itself, else the first with a value that is the same number.
 * `values` holds every value of each entry's first-matched attributes (matchedValues).
 */
export function pickNumbers(values: string[][], extens: string[], m: NumberMatching): Pick[] {
  const marks = memberships(values, extens, m);
  return extens.map((exten, x) => {
    if (marks.some((row) => row[x] === 'maybe')) return 'unsure';
    const own = values.map((_, i) => i).filter((i) => marks[i][x] === 'yes');
    return pickNumber(exten, own.map((i) => values[i]), m, own);
  });
}

/** The rule of matchNumbers; `indexes` maps the candidates back to their place in the caller's list. */
export function pickNumber(exten: string, candidates: string[][], m: NumberMatching, indexes?: number[]): number | null {
  let at = candidates.findIndex((values) => values.includes(exten));
  if (at === -1) at = candidates.findIndex((values) => values.some((value) => sameNumber(exten, value, m)));
  if (at === -1) return null;
  return indexes ? indexes[at] : at;
}
