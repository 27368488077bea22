// The hash of a personal or phonebook contact, identical to wazo-dird's (spec §5.3) so a database
// shared with it keeps its duplicate detection: SHA-1 of Python's json.dumps(contact, sort_keys=True)
// without the `id` key. JSON.stringify differs (separators, key order, non-ASCII), hence this encoder.
import { createHash } from 'node:crypto';

export function contactHash(contact: Record<string, unknown>): string {
  const { id: _id, ...rest } = contact;
  return createHash('sha1').update(pythonJson(rest)).digest('hex');
}

function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (typeof value === 'object') {
    // Python sorts keys by code point; JS's default sort compares UTF-16 units, which differs only
    // above the BMP, so compare code points explicitly.
    const keys = Object.keys(value as object).sort(byCodePoint);
    return `{${keys.map((key) => `${pythonString(key)}: ${pythonJson((value as any)[key])}`).join(', ')}}`;
  }
  return pythonString(String(value));
}

function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

const escapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** What json.dumps escapes (ensure_ascii): `"`, `\\`, controls and everything outside printable ASCII, per UTF-16 unit. */
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f-\uffff]/g;

// One regex pass, not a per-character loop: a contact with megabyte-long values hashes in milliseconds.
function pythonString(text: string): string {
  return `"${text.replace(NEEDS_ESCAPE, (char) => escapes[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  return String(n);
}
