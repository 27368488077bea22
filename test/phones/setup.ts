// A dird with its phone API listening on loopback, a csv source of awkward names and a `default` profile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Test } from 'tap';
import type { PhoneApi } from '../../plugins/services/phone_api/index.js';
import { http, startDird, users, type TestDird } from '../helpers/dird.js';

export const user = users.admin;

/** Names that need escaping, then `Person 01`…`Person 40` to page through. */
export const awkward = [
  { firstname: 'Alice', lastname: 'Doe', phone: '1001', mobile: '+33(0)6 12 34 56 78' },
  { firstname: 'Bob & Co', lastname: '<Sales>', phone: '(1002)', mobile: '' },
  { firstname: 'Zoë "Z"', lastname: "O'Brien", phone: '1003', mobile: '' },
  { firstname: 'Nobody', lastname: 'Dialable', phone: 'n/a', mobile: 'none' },
];
export const persons = Array.from({ length: 40 }, (_, i) => ({
  firstname: 'Person', lastname: String(i + 1).padStart(2, '0'), phone: String(2001 + i), mobile: '',
}));
/** 30 contacts of ~400-character names: together more than a 10,000-byte phone object. */
export const longNames = Array.from({ length: 30 }, (_, i) => ({
  firstname: 'Quentin', lastname: `Q${String(i + 1).padStart(2, '0')} ${'x'.repeat(400)}`, phone: String(3001 + i), mobile: '',
}));

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export interface Phones {
  dird: TestDird;
  /** Base URL of the phone API, e.g. http://127.0.0.1:41234 */
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<{ status: number; type: string | null; text: string; headers: Headers }>;
}

export async function startPhones(t: Test, options: { config?: Record<string, any>; host?: string } = {}): Promise<Phones> {
  const dird = await startDird({
    config: { phone_api: { authorized_subnets: ['127.0.0.1/32', '::1/128'], ...(options.config ?? {}) } },
  });
  t.teardown(() => dird.close());
  const work = mkdtempSync(join(tmpdir(), 'dird-phones-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  const file = join(work, 'contacts.csv');
  const rows = [...awkward, ...persons, ...longNames].map((row, i) => [String(i + 1), row.firstname, row.lastname, row.phone, row.mobile]);
  writeFileSync(file, [['id', 'firstname', 'lastname', 'phone', 'mobile'], ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n');

  const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);
  const display = (await api('POST', '/0.1/displays', {
    name: 'phones',
    columns: [
      { title: 'Nom', field: 'name', type: 'name' },
      { title: 'Numéro', field: 'phone', type: 'number' },
      { title: 'Mobile', field: 'mobile', type: 'number' },
      { title: 'E-mail', field: 'email', type: 'email' },
    ],
  })).body;
  const source = (await api('POST', '/0.1/backends/csv/sources', {
    name: 'contacts', file, unique_column: 'id', searched_columns: ['firstname', 'lastname'],
    format_columns: { name: '{firstname} {lastname}' },
  })).body;
  const profile = await api('POST', '/0.1/profiles', {
    name: 'default', display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: source.uuid }], options: { timeout: 5 } } },
  });
  if (profile.status !== 201) throw new Error(`profile not created: ${JSON.stringify(profile.body)}`);

  const phoneApi = dird.dird.services.phone_api as PhoneApi;
  const url = await phoneApi.listen({ host: options.host ?? '127.0.0.1', port: 0 });
  return {
    dird, url,
    async get(path, headers = {}) {
      const response = await fetch(path.startsWith('http') ? path : url + path, { headers });
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text(), headers: response.headers };
    },
  };
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

/** Parses a document after checking it is well-formed; every element is an array, attributes are `@name`. */
export function parseXml(text: string): any {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`not well-formed XML: ${JSON.stringify(valid.err)}\n${text}`);
  if (!text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error(`no UTF-8 XML declaration:\n${text}`);
  return parser.parse(text);
}

/** The text of an element (array of one) or '' when it is empty. */
export function textOf(element: any): string {
  const node = Array.isArray(element) ? element[0] : element;
  if (node === undefined || node === null) return '';
  if (typeof node === 'string') return node;
  return node['#text'] ?? '';
}

export const encode = encodeURIComponent;
