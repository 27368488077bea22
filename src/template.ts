// Python `str.format` as wazo-dird applies it to format_columns (spec §3.3). A template compiles once
// into a render function; values render the way Python's str(), repr() and format() would.
// A missing or null top-level field renders as '' (then indexing it fails, as indexing '' does in Python).
import type { Fields } from './contracts.js';

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export type Render = (fields: Fields) => string;

type Accessor = { attr: string } | { index: string | number };
interface Field {
  name: string;
  path: Accessor[];
  conversion: string | null;
  spec: string | Part[];
}
type Part = string | Field;

const cache = new Map<string, Render>();
const CACHE_LIMIT = 10_000;
/** Python allows two levels: a field and the fields nested in its format spec. */
const RECURSION_DEPTH = 2;
/** Widths and precisions above this are refused rather than allocating huge strings. */
const MAX_WIDTH = 100_000;

/** The render function of a template, compiled on first use. It throws TemplateError on any error. */
export function compileTemplate(template: string): Render {
  let render = cache.get(template);
  if (render === undefined) {
    render = compile(template);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(template, render);
  }
  return render;
}

/** Renders once; throws TemplateError. */
export function formatTemplate(template: string, fields: Fields): string {
  return compileTemplate(template)(fields);
}

function compile(template: string): Render {
  let parts: Part[];
  try {
    parts = parseTemplate(template, RECURSION_DEPTH);
  } catch (err) {
    return () => {
      throw err;
    };
  }
  if (parts.length === 0) return () => '';
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const text = parts[0];
    return () => text;
  }
  return (fields) => renderParts(parts, fields);
}

// ---- parsing (CPython's MarkupIterator and FieldNameIterator rules) ----

function parseTemplate(t: string, depth: number): Part[] {
  if (depth < 0) throw new TemplateError('Max string recursion exceeded');
  const parts: Part[] = [];
  let literal = '';
  let i = 0;
  while (i < t.length) {
    const c = t[i++];
    if (c !== '{' && c !== '}') {
      literal += c;
      continue;
    }
    if (t[i] === c) {
      literal += c;
      i++;
      continue;
    }
    if (c === '}') throw new TemplateError("Single '}' encountered in format string");
    if (i >= t.length) throw new TemplateError("Single '{' encountered in format string");
    if (literal) parts.push(literal);
    literal = '';
    const [field, next] = parseField(t, i, depth);
    parts.push(field);
    i = next;
  }
  if (literal) parts.push(literal);
  return parts;
}

function parseField(t: string, start: number, depth: number): [Field, number] {
  let i = start;
  let c = '';
  for (;;) {
    if (i >= t.length) throw new TemplateError("expected '}' before end of string");
    c = t[i++];
    if (c === '{') throw new TemplateError("unexpected '{' in field name");
    if (c === '[') {
      while (i < t.length && t[i] !== ']') i++;
      continue;
    }
    if (c === '}' || c === ':' || c === '!') break;
  }
  const name = t.slice(start, i - 1);
  if (c === '}') return [makeField(name, null, '', depth), i];
  let conversion: string | null = null;
  if (c === '!') {
    if (i >= t.length) throw new TemplateError('end of string while looking for conversion specifier');
    conversion = t[i++];
    if (i < t.length) {
      const d = t[i++];
      if (d === '}') return [makeField(name, conversion, '', depth), i];
      if (d !== ':') throw new TemplateError("expected ':' after conversion specifier");
    }
  }
  const specStart = i;
  let open = 1;
  while (i < t.length) {
    const d = t[i++];
    if (d === '{') open++;
    else if (d === '}' && --open === 0) return [makeField(name, conversion, t.slice(specStart, i - 1), depth), i];
  }
  throw new TemplateError("unmatched '{' in format spec");
}

function makeField(fieldName: string, conversion: string | null, spec: string, depth: number): Field {
  const { name, path } = parseFieldName(fieldName);
  if (conversion !== null && conversion !== 'r' && conversion !== 's' && conversion !== 'a') {
    throw new TemplateError(`Unknown conversion specifier ${conversion}`);
  }
  // Python expands every format spec one level deeper, so a field at the last level is an error.
  const specParts = parseTemplate(spec, depth - 1);
  const staticSpec = specParts.length === 0 ? '' : specParts.length === 1 && typeof specParts[0] === 'string' ? specParts[0] : null;
  return { name, path, conversion, spec: staticSpec ?? specParts };
}

function parseFieldName(fieldName: string): { name: string; path: Accessor[] } {
  let i = 0;
  while (i < fieldName.length && fieldName[i] !== '.' && fieldName[i] !== '[') i++;
  const name = fieldName.slice(0, i);
  // Empty or numeric names are positional arguments; dird passes none.
  if (name === '' || /^[0-9]+$/.test(name)) throw new TemplateError('Replacement index out of range');
  const path: Accessor[] = [];
  while (i < fieldName.length) {
    const c = fieldName[i++];
    const start = i;
    if (c === '.') {
      while (i < fieldName.length && fieldName[i] !== '.' && fieldName[i] !== '[') i++;
      const attr = fieldName.slice(start, i);
      if (!attr) throw new TemplateError('Empty attribute in format string');
      path.push({ attr });
    } else if (c === '[') {
      while (i < fieldName.length && fieldName[i] !== ']') i++;
      if (i >= fieldName.length) throw new TemplateError("Missing ']' in format string");
      const key = fieldName.slice(start, i++);
      if (!key) throw new TemplateError('Empty attribute in format string');
      path.push({ index: /^[0-9]+$/.test(key) ? Number(key) : key });
    } else {
      throw new TemplateError("Only '.' or '[' may follow ']' in format field specifier");
    }
  }
  return { name, path };
}

// ---- rendering ----

function renderParts(parts: Part[], fields: Fields): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : renderField(part, fields);
  return out;
}

function renderField(field: Field, fields: Fields): string {
  let value = Object.hasOwn(fields, field.name) ? fields[field.name] : undefined;
  if (value === undefined || value === null) value = '';
  for (const step of field.path) value = access(value, step);
  if (field.conversion === 's') value = pyStr(value);
  else if (field.conversion === 'r') value = pyRepr(value, false);
  else if (field.conversion === 'a') value = pyRepr(value, true);
  const spec = typeof field.spec === 'string' ? field.spec : renderParts(field.spec, fields);
  return formatValue(value, spec);
}

function isDict(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function access(value: unknown, step: Accessor): unknown {
  if ('attr' in step) {
    // JSON objects have no Python attributes; their keys stand in for them.
    if (isDict(value) && Object.hasOwn(value, step.attr)) return value[step.attr];
    throw new TemplateError(`'${pyTypeName(value)}' object has no attribute '${step.attr}'`);
  }
  const key = step.index;
  if (typeof key === 'number') {
    if (Array.isArray(value)) {
      if (key < value.length) return value[key];
      throw new TemplateError('list index out of range');
    }
    if (typeof value === 'string') {
      const chars = Array.from(value);
      if (key < chars.length) return chars[key];
      throw new TemplateError('string index out of range');
    }
    // A digit index looks up the integer key, and JSON object keys are strings.
    if (isDict(value)) throw new TemplateError(`KeyError: ${key}`);
  } else {
    if (isDict(value)) {
      if (Object.hasOwn(value, key)) return value[key];
      throw new TemplateError(`KeyError: '${key}'`);
    }
    if (Array.isArray(value) || typeof value === 'string') {
      throw new TemplateError(`${pyTypeName(value)} indices must be integers or slices, not str`);
    }
  }
  throw new TemplateError(`'${pyTypeName(value)}' object is not subscriptable`);
}

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (Array.isArray(v)) return 'list';
  if (isDict(v)) return 'dict';
  return 'object';
}

// ---- Python str() and repr() ----

/** Python's str() of a JSON-like value. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v, false);
}

/** Python's repr() (or ascii() when asciiOnly) of a JSON-like value. */
export function pyRepr(v: unknown, asciiOnly: boolean): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return reprString(v, asciiOnly);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : (v < 0 || Object.is(v, -0) ? '-' : '') + floatRepr(Math.abs(v));
  if (Array.isArray(v)) return `[${Array.from(v, (item) => pyRepr(item, asciiOnly)).join(', ')}]`;
  if (isDict(v)) return `{${Object.entries(v).map(([k, item]) => `${reprString(k, asciiOnly)}: ${pyRepr(item, asciiOnly)}`).join(', ')}}`;
  return String(v);
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function reprString(s: string, asciiOnly: boolean): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote) out += '\\' + ch;
    else if (ESCAPES[ch]) out += ESCAPES[ch];
    else if (cp < 0x7f && cp >= 0x20) out += ch;
    else if (asciiOnly || cp < 0xa0 || (ch !== ' ' && NON_PRINTABLE.test(ch))) out += hexEscape(cp);
    else out += ch;
  }
  return out + quote;
}

function hexEscape(cp: number): string {
  if (cp < 0x100) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** Python's repr() of a non-negative float: shortest digits, exponent form outside [1e-4, 1e16). */
function floatRepr(a: number): string {
  if (Number.isNaN(a)) return 'nan';
  if (a === Infinity) return 'inf';
  const [mantissa, expText] = a.toExponential().split('e');
  const exp = Number(expText);
  const digits = mantissa.replace('.', '');
  if (exp >= -4 && exp < 16) {
    if (exp < 0) return '0.' + '0'.repeat(-exp - 1) + digits;
    const whole = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${whole}.${digits.slice(exp + 1) || '0'}`;
  }
  return (digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits) + exponentSuffix(exp);
}

function exponentSuffix(exp: number): string {
  return 'e' + (exp < 0 ? '-' : '+') + String(Math.abs(exp)).padStart(2, '0');
}

// ---- format(value, spec): the format spec mini-language ----

interface Spec {
  fill: string;
  fillGiven: boolean;
  align: string | null;
  sign: string;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  precision: number | null;
  type: string;
}

function formatValue(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  if (typeof value === 'string') return formatString(value, parseSpec(spec));
  if (typeof value === 'boolean') return formatInt(value ? 1n : 0n, parseSpec(spec));
  if (typeof value === 'bigint') return formatInt(value, parseSpec(spec));
  if (typeof value === 'number') {
    return Number.isInteger(value) ? formatInt(BigInt(value), parseSpec(spec)) : formatFloat(value, parseSpec(spec));
  }
  throw new TemplateError(`unsupported format string passed to ${pyTypeName(value)}.__format__`);
}

function isAlign(c: string | undefined): boolean {
  return c === '<' || c === '>' || c === '=' || c === '^';
}

function parseSpec(text: string): Spec {
  const c = Array.from(text);
  let i = 0;
  const spec: Spec = { fill: ' ', fillGiven: false, align: null, sign: '', z: false, alt: false, zero: false, width: 0, grouping: '', precision: null, type: '' };
  if (c.length >= 2 && isAlign(c[1])) {
    spec.fill = c[0];
    spec.fillGiven = true;
    spec.align = c[1];
    i = 2;
  } else if (isAlign(c[0])) {
    spec.align = c[0];
    i = 1;
  }
  if (c[i] === '+' || c[i] === '-' || c[i] === ' ') spec.sign = c[i++];
  if (c[i] === 'z') {
    spec.z = true;
    i++;
  }
  if (c[i] === '#') {
    spec.alt = true;
    i++;
  }
  if (!spec.fillGiven && c[i] === '0') {
    spec.zero = true;
    spec.fill = '0';
    i++;
  }
  const number = (): number | null => {
    let digits = '';
    while (i < c.length && c[i] >= '0' && c[i] <= '9') digits += c[i++];
    if (!digits) return null;
    const n = Number(digits);
    if (n > MAX_WIDTH) throw new TemplateError('Too many decimal digits in format string');
    return n;
  };
  spec.width = number() ?? 0;
  if (c[i] === ',' || c[i] === '_') spec.grouping = c[i++];
  if (c[i] === ',' || c[i] === '_') throw new TemplateError("Cannot specify both ',' and '_'.");
  if (c[i] === '.') {
    i++;
    spec.precision = number();
    if (spec.precision === null) throw new TemplateError('Format specifier missing precision');
  }
  if (c.length - i > 1) throw new TemplateError('Invalid format specifier');
  spec.type = c[i] ?? '';
  if (spec.grouping && !'defgEFG%'.includes(spec.type) && !(spec.grouping === '_' && 'boxX'.includes(spec.type))) {
    throw new TemplateError(`Cannot specify '${spec.grouping}' with '${spec.type}'.`);
  }
  return spec;
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Pads `prefix + body` to the spec's width; '=' puts the fill between sign/prefix and digits. */
function pad(prefix: string, body: string, spec: Spec, defaultAlign: string): string {
  const missing = spec.width - codePointLength(prefix) - codePointLength(body);
  if (missing <= 0) return prefix + body;
  const align = spec.align ?? defaultAlign;
  if (align === '<') return prefix + body + spec.fill.repeat(missing);
  if (align === '>') return spec.fill.repeat(missing) + prefix + body;
  if (align === '=') return prefix + spec.fill.repeat(missing) + body;
  const left = Math.floor(missing / 2);
  return spec.fill.repeat(left) + prefix + body + spec.fill.repeat(missing - left);
}

function formatString(s: string, spec: Spec): string {
  if (spec.type !== '' && spec.type !== 's') throw new TemplateError(`Unknown format code '${spec.type}' for object of type 'str'`);
  if (spec.sign) throw new TemplateError('Sign not allowed in string format specifier');
  if (spec.alt) throw new TemplateError('Alternate form (#) not allowed in string format specifier');
  if (spec.z) throw new TemplateError('Negative zero coercion (z) not allowed in format specifier');
  if (spec.align === '=') throw new TemplateError("'=' alignment not allowed in string format specifier");
  if (spec.grouping) throw new TemplateError(`Cannot specify '${spec.grouping}' with 's'.`);
  const body = spec.precision === null ? s : Array.from(s).slice(0, spec.precision).join('');
  return pad('', body, spec, '<');
}

/** Numbers align right; a '0' flag without explicit alignment pads after the sign. */
function numberSpec(spec: Spec): Spec {
  return spec.zero && spec.align === null ? { ...spec, align: '=' } : spec;
}

function signOf(negative: boolean, spec: Spec): string {
  if (negative) return '-';
  return spec.sign === '+' ? '+' : spec.sign === ' ' ? ' ' : '';
}

/** Groups `digits` (followed by `rest`); with '0'-fill and '=' alignment the padding zeros are grouped too. */
function groupDigits(prefix: string, digits: string, rest: string, spec: Spec, size: number): string {
  const group = (d: string) => {
    const out: string[] = [];
    for (let end = d.length; end > 0; end -= size) out.unshift(d.slice(Math.max(0, end - size), end));
    return out.join(spec.grouping);
  };
  let grouped = group(digits);
  if (spec.fill === '0' && spec.align === '=') {
    const target = spec.width - prefix.length - rest.length;
    while (grouped.length < target) grouped = group((digits = '0' + digits));
  }
  return grouped + rest;
}

function formatInt(n: bigint, rawSpec: Spec): string {
  const spec = numberSpec(rawSpec);
  if ('eEfFgG%'.includes(spec.type) && spec.type !== '') return formatFloat(Number(n), rawSpec);
  if (spec.precision !== null) throw new TemplateError('Precision not allowed in integer format specifier');
  if (spec.z) throw new TemplateError('Negative zero coercion (z) not allowed in integer format specifier');
  const negative = n < 0n;
  const abs = negative ? -n : n;
  if (spec.type === 'c') {
    if (spec.sign) throw new TemplateError("Sign not allowed with integer format specifier 'c'");
    if (spec.alt) throw new TemplateError("Alternate form (#) not allowed with integer format specifier 'c'");
    if (negative || abs > 0x10ffffn) throw new TemplateError('%c arg not in range(0x110000)');
    return pad('', String.fromCodePoint(Number(abs)), spec, '>');
  }
  const bases: Record<string, [number, string]> = { '': [10, ''], d: [10, ''], n: [10, ''], b: [2, '0b'], o: [8, '0o'], x: [16, '0x'], X: [16, '0X'] };
  const base = bases[spec.type];
  if (!base) throw new TemplateError(`Unknown format code '${spec.type}' for object of type 'int'`);
  let digits = abs.toString(base[0]);
  if (spec.type === 'X') digits = digits.toUpperCase();
  const prefix = signOf(negative, spec) + (spec.alt ? base[1] : '');
  if (spec.grouping) digits = groupDigits(prefix, digits, '', spec, base[0] === 10 ? 3 : 4);
  return pad(prefix, digits, spec, '>');
}

function formatFloat(x: number, rawSpec: Spec): string {
  const spec = numberSpec(rawSpec);
  const type = spec.type === 'n' ? 'g' : spec.type;
  if (!'eEfFgG%'.includes(type)) throw new TemplateError(`Unknown format code '${type}' for object of type 'float'`);
  let negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let body: string;
  if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'nan' : 'inf';
  else if (type === '') body = spec.precision === null ? floatRepr(a) : general(a, spec.precision, spec.alt, true);
  else if (type === 'f' || type === 'F') body = fixed(a, spec.precision ?? 6) + (spec.alt && spec.precision === 0 ? '.' : '');
  else if (type === 'e' || type === 'E') body = exponential(a, spec.precision ?? 6, spec.alt);
  else if (type === 'g' || type === 'G') body = general(a, spec.precision ?? 6, spec.alt, false);
  else body = fixed(a * 100, spec.precision ?? 6) + (spec.alt && spec.precision === 0 ? '.' : '');
  if (type === '%') body += '%';
  if (type === 'E' || type === 'F' || type === 'G') body = body.toUpperCase();
  if (spec.z && negative && !/[1-9]/.test(body.split(/[eE]/)[0])) negative = false;
  if (Number.isNaN(a)) negative = false;
  const prefix = signOf(negative, spec);
  if (spec.grouping && Number.isFinite(a)) {
    const whole = /^[0-9]*/.exec(body)![0];
    body = groupDigits(prefix, whole, body.slice(whole.length), spec, 3);
  }
  return pad(prefix, body, spec, '>');
}

/** Fixed notation with Python's rounding (half-even on the exact binary value; JS rounds ties up). */
function fixed(a: number, precision: number): string {
  if (a >= 1e21) return BigInt(a).toString() + (precision > 0 ? '.' + '0'.repeat(precision) : '');
  if (precision > 100) return fixed(a, 100) + '0'.repeat(precision - 100);
  const text = a.toFixed(precision);
  return isHalfway(a, precision) ? evenLastDigit(text) : text;
}

/** [mantissa digits 'd.ddd', exponent] rounded to `precision` fraction digits, Python style. */
function exponentParts(a: number, precision: number): [string, number] {
  const [mantissa, expText] = a.toExponential(Math.min(precision, 100)).split('e');
  const exp = Number(expText);
  const padded = precision > 100 ? mantissa + '0'.repeat(precision - 100) : mantissa;
  if (a === 0) return [padded, 0];
  const trueExp = Number(a.toExponential().split('e')[1]);
  // A tie rounded up past a power of ten already landed on the even neighbour.
  return [exp === trueExp && isHalfway(a, precision - trueExp) ? evenLastDigit(padded) : padded, exp];
}

function exponential(a: number, precision: number, alt: boolean): string {
  const [mantissa, exp] = exponentParts(a, precision);
  return mantissa + (alt && precision === 0 ? '.' : '') + exponentSuffix(exp);
}

/** 'g' (or the no-type form with a precision, which keeps a '.0' and switches to exponent one digit sooner). */
function general(a: number, precision: number, alt: boolean, noType: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const exp = a === 0 ? 0 : exponentParts(a, p - 1)[1];
  const strip = (s: string) => (alt || !s.includes('.') ? s : s.replace(/0+$/, '').replace(/\.$/, ''));
  if (exp >= -4 && exp < (noType ? p - 1 : p)) {
    let text = strip(fixed(a, p - 1 - exp));
    if (alt && !text.includes('.')) text += '.';
    if (noType && !text.includes('.')) text += '.0';
    return text;
  }
  let mantissa = strip(exponentParts(a, p - 1)[0]);
  if (alt && !mantissa.includes('.')) mantissa += '.';
  return mantissa + exponentSuffix(exp);
}

function evenLastDigit(text: string): string {
  const last = text.charCodeAt(text.length - 1) - 48;
  return last % 2 === 1 ? text.slice(0, -1) + String(last - 1) : text;
}

/** Whether a·10^k lies exactly halfway between two integers. */
function isHalfway(a: number, k: number): boolean {
  if (a === 0 || !Number.isFinite(a)) return false;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, a);
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  let exp2 = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exp2 = biased - 1075;
  }
  let num = 2n * mantissa;
  let den = 1n;
  if (exp2 >= 0) num <<= BigInt(exp2);
  else den <<= BigInt(-exp2);
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  return num % den === 0n && (num / den) % 2n === 1n;
}
