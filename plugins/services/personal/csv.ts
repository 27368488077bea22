// Personal contacts as CSV (spec §5.4 import, §5.4b export).
//
// Spreadsheet formulas: export prefixes `'` to any cell starting with = + - @ TAB CR (or with `'`
// itself), so a spreadsheet opening the file shows text instead of running `=cmd|…`. Import removes
// exactly that prefix again (a leading `'` followed by one of those characters), so import(export)
// gives back the stored values unchanged. A value a user typed as `'=x` therefore exports as `''=x`.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { PersonalContact } from '../../../src/storage/personal.js';

const FORMULA_START = /^[=+\-@\t\r']/;
const NEUTRALISED = /^'[=+\-@\t\r']/;

export function neutralise(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function restore(value: string): string {
  return NEUTRALISED.test(value) ? value.slice(1) : value;
}

/** Header = sorted union of every key (incl. id); CRLF line ends; null = empty cell. */
export function exportCsv(contacts: PersonalContact[]): string {
  const keys = [...new Set(contacts.flatMap((contact) => Object.keys(contact)))].sort();
  const rows = contacts.map((contact) => keys.map((key) => neutralise(contact[key] ?? '')));
  // csv-stringify quotes only the record delimiter (CRLF) by default; a lone LF or CR must be quoted too.
  return stringify([keys.map(neutralise), ...rows], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}

export interface ParsedRow {
  /** Physical lines consumed up to the end of this row (the header is line 1). */
  line: number;
  fields?: Record<string, string>;
  errors?: string[];
}

export class CsvFileError extends Error {}

/** Decodes the body with the Content-Type charset (default utf-8; a UTF-8 BOM is dropped). */
export function decode(body: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new CsvFileError(`unknown charset: ${charset}`);
  }
  try {
    return decoder.decode(body);
  } catch {
    throw new CsvFileError(`the body is not valid ${charset}`);
  }
}

/** Rows of the file; per-row problems are reported on the row, whole-file problems thrown. */
export function parseImport(text: string): ParsedRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = (parse as (input: string, options: object) => any)(text, {
      delimiter: ',',
      quote: '"',
      escape: '"',
      // LF ends a row, CRLF too (mixed in one file is fine).
      record_delimiter: ['\r\n', '\n'],
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
    });
  } catch (error: any) {
    throw new CsvFileError(`invalid CSV: ${error?.message ?? error}`);
  }
  if (records.length === 0) return [];
  const [head, ...body] = records;
  const headers = head.record.map(restore);
  const seen = new Set<string>();
  const duplicates = [...new Set(headers.filter((name) => (seen.has(name) ? true : (seen.add(name), false))))];
  if (duplicates.length > 0) throw new CsvFileError(`duplicate columns in the header: ${duplicates.join(', ')}`);
  const emptyHeader = headers.includes('');
  return body.map(({ record, info }) => {
    const line = info.lines;
    const cells = record.map(restore);
    if (cells.length > headers.length) return { line, errors: ['too many fields'] };
    if (cells.length < headers.length) return { line, errors: ['missing fields'] };
    if (emptyHeader) return { line, errors: ['"" is a forbidden in keys'] };
    return { line, fields: Object.fromEntries(headers.map((name, i) => [name, cells[i]])) };
  });
}
