// Phonebook CSV import (spec §5.5): the body decoded with its declared charset, parsed with a header
// row, and every row validated before anything is written. Each refusal is a 400 with its error id.
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { DirdError } from '../../../src/errors.js';
import { contactProblem } from './validation.js';

function importError(id: string, message: string, details: Record<string, unknown>): DirdError {
  return new DirdError(400, `phonebook-contact-import-${id}`, message, details, 'contacts');
}

/** The charset parameter of a Content-Type header; utf-8 when absent. */
export function charsetOf(contentType: string | undefined): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return match ? match[1] : 'utf-8';
}

/**
 * UTF-8 is decoded strictly (bad bytes are an error); other charsets through iconv-lite, since Node's
 * TextDecoder decodes windows-1252 as latin-1.
 */
function decode(body: Buffer, charset: string): string {
  const name = charset.toLowerCase();
  if (name === 'utf-8' || name === 'utf8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body); // drops a BOM
    } catch (err) {
      throw importError('bad-encoding', `The file is not valid ${charset}`, { error: String((err as Error).message), charset });
    }
  }
  if (!iconv.encodingExists(name)) {
    throw importError('bad-encoding', 'Unknown encoding', { error: `unknown encoding: ${charset}`, charset });
  }
  return iconv.decode(body, name);
}

/** One row of the file as a contact; cells beyond the header go under the key "null", like Python's DictReader. */
export type ImportedRow = Record<string, string | string[] | null>;

/** The rows of the file, or a 400 naming what is wrong with the file itself. */
export function readCsv(body: Buffer, contentType: string | undefined): ImportedRow[] {
  const text = decode(body, charsetOf(contentType));
  let records: string[][];
  try {
    records = parse(text, { relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] });
  } catch (err) {
    throw importError('invalid-file', 'The file is not valid CSV', { error: String((err as Error).message) });
  }
  const [header, ...rows] = records;
  if (!header || rows.length === 0) {
    throw importError('empty-file', 'The file contains no contact', {
      line_count: text === '' ? 0 : text.replace(/\r?\n$/, '').split(/\r?\n/).length,
      byte_count: body.length,
    });
  }
  const duplicates = [...new Set(header.filter((name, i) => header.indexOf(name) !== i))];
  if (duplicates.length) throw importError('duplicate-columns', 'The file has duplicate columns', { duplicates });
  return rows.map((cells) => {
    const row: ImportedRow = {};
    header.forEach((name, i) => {
      row[name] = i < cells.length ? cells[i] : null;
    });
    if (cells.length > header.length) row.null = cells.slice(header.length);
    return row;
  });
}

/** All rows valid, or a 400 listing every invalid one (nothing is written then). */
export function checkRows(rows: ImportedRow[]): Record<string, string | null>[] {
  const errors: { contact: ImportedRow; message: string; index: number }[] = [];
  rows.forEach((contact, index) => {
    const problem = 'null' in contact && Array.isArray(contact.null)
      ? 'Contacts cannot have null keys: the row has more cells than the header'
      : contactProblem(contact);
    if (problem) errors.push({ contact, message: problem, index });
  });
  if (errors.length) throw importError('bad-contacts', 'Some contacts are invalid; nothing was imported', { errors });
  return rows.map((row) => {
    const { id: _id, ...contact } = row;
    return contact as Record<string, string | null>;
  });
}
