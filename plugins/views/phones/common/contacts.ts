// Whole contacts (a name, its parts, every number with its kind) for the phonebooks phones download,
// where the search pages list one row per number.
import type { Display, SourceResult } from '../../../../src/contracts.js';
import { formatResults } from '../../../../src/display.js';
import { cleanNumber } from './rows.js';

export type NumberKind = 'work' | 'mobile' | 'home' | 'fax' | 'other';

export interface PhonebookContact {
  name: string;
  firstname: string;
  lastname: string;
  numbers: { number: string; kind: NumberKind }[];
}

/** The kind of a number column, guessed from its header and field ('Mobile', 'phone_mobile'…). */
function kindOf(title: string | null, field: string | null, index: number): NumberKind {
  const words = `${title ?? ''} ${field ?? ''}`.toLowerCase();
  if (/mobile|cell|portable|handy|móvil|cellulare/.test(words)) return 'mobile';
  if (/fax/.test(words)) return 'fax';
  if (/home|domicile|privat/.test(words)) return 'home';
  return index === 0 ? 'work' : 'other';
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

/** Contacts with at least one dialable number, sorted by name (code-point order, as the search pages). */
export function toContacts(display: Display | null, results: SourceResult[]): PhonebookContact[] {
  const columns = display?.columns ?? [];
  const indexOf = (type: string) => columns.findIndex((column) => column.type === type);
  const [nameAt, firstAt, lastAt] = [indexOf('name'), indexOf('firstname'), indexOf('lastname')];
  const numberAt = columns.flatMap((column, index) => (column.type === 'number' ? [index] : []));
  const contacts: PhonebookContact[] = [];
  for (const { column_values: values } of formatResults(display, results).results) {
    const numbers = numberAt
      .map((index, n) => ({ number: cleanNumber(text(values[index])), kind: kindOf(columns[index].title, columns[index].field, n) }))
      .filter((entry) => entry.number !== '');
    if (numbers.length === 0) continue;
    const name = nameAt >= 0 ? text(values[nameAt]) : '';
    const space = name.search(/\s/);
    contacts.push({
      name,
      firstname: firstAt >= 0 ? text(values[firstAt]) : space < 0 ? name : name.slice(0, space),
      lastname: lastAt >= 0 ? text(values[lastAt]) : space < 0 ? '' : name.slice(space + 1),
      numbers,
    });
  }
  return contacts.sort((a, b) => (a.name === b.name ? 0 : a.name < b.name ? -1 : 1));
}
