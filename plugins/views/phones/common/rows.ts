// From lookup results to the (name, number) rows a phone lists (spec §1.6): one row per non-empty number
// column, labelled by the column's `number_display` when it has one, else by wazo-phoned's rule.
import type { Display, SourceResult } from '../../../../src/contracts.js';
import { formatResults } from '../../../../src/display.js';
import { compileTemplate } from '../../../../src/template.js';

export interface PhoneRow {
  name: string;
  number: string;
}

const NOT_DIALABLE = /[^0-9*#+()]/g;
const INTERNATIONAL_WITH_TRUNK_PREFIX = /^\+(\d+)\(\d*\)(.*)$/;

/** Keeps what a phone can dial; `+33(0)1…` becomes `00331…`; '' when nothing is left. */
export function cleanNumber(raw: string): string {
  const kept = raw.replace(NOT_DIALABLE, '');
  const international = INTERNATIONAL_WITH_TRUNK_PREFIX.exec(kept);
  const rewritten = international ? `00${international[1]}${international[2]}` : kept;
  return rewritten.replace(/[()]/g, '');
}

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

export function toRows(display: Display | null, results: SourceResult[]): PhoneRow[] {
  const columns = display?.columns ?? [];
  const nameIndex = columns.findIndex((column) => column.type === 'name');
  const numberIndexes = columns.flatMap((column, index) => (column.type === 'number' ? [index] : []));
  const formatted = formatResults(display, results).results;
  const rows: PhoneRow[] = [];
  formatted.forEach((result, i) => {
    const name = nameIndex >= 0 ? text(result.column_values[nameIndex]) : '';
    let first = true;
    for (const index of numberIndexes) {
      const raw = text(result.column_values[index]);
      if (raw === '') continue;
      const column = columns[index];
      const label = labelOf(column.number_display, results[i].fields, name, first ? null : column.title);
      first = false;
      const number = cleanNumber(raw);
      if (number !== '' && label !== null) rows.push({ name: label, number });
    }
  });
  return rows.sort(byNameThenNumber);
}

/** null when the column's `number_display` cannot be rendered (the row is skipped, as dird did). */
function labelOf(numberDisplay: string | null, fields: Record<string, unknown>, name: string, header: string | null): string | null {
  if (numberDisplay) {
    try {
      return compileTemplate(numberDisplay)(fields);
    } catch {
      return null;
    }
  }
  return header === null ? name : `${name} (${text(header).toLowerCase()})`;
}

/** Plain code-point order, so case matters (as phoned sorts). */
function byNameThenNumber(a: PhoneRow, b: PhoneRow): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.number !== b.number) return a.number < b.number ? -1 : 1;
  return 0;
}
