// The shared logic of the phone views: numbers, rows, paging, labels, the address allow-list.
import t from 'tap';
import type { Display, SourceResult } from '../../src/contracts.js';
import { AllowList } from '../../plugins/services/phone_api/allow-list.js';
import { labelsFor } from '../../plugins/views/phones/common/labels.js';
import { withQuery } from '../../plugins/views/phones/common/links.js';
import { fitPage, paginate } from '../../plugins/views/phones/common/paging.js';
import { cleanNumber, toRows } from '../../plugins/views/phones/common/rows.js';

const relations = { xivo_id: null, agent_id: null, user_id: null, user_uuid: null, endpoint_id: null, source_entry_id: null };
const result = (fields: Record<string, unknown>): SourceResult =>
  ({ fields, relations, source: 's', backend: 'csv', is_personal: false, is_deletable: false });
const column = (title: string, field: string, type: string | null, numberDisplay: string | null = null) =>
  ({ title, field, type, default: null, number_display: numberDisplay });
const display = (columns: Display['columns']): Display => ({ uuid: 'd', tenant_uuid: 't', name: 'd', columns });

t.test('numbers keep what a phone dials; +cc(0) becomes 00cc', async (t) => {
  t.equal(cleanNumber('+33(0)123456789'), '0033123456789');
  t.equal(cleanNumber('+33 (0)1 23 45 67 89'), '0033123456789');
  t.equal(cleanNumber('(555) 123-4567 ext. *9#'), '5551234567*9#');
  t.equal(cleanNumber('+1 555 0100'), '+15550100');
  t.equal(cleanNumber('n/a'), '');
});

t.test('rows: first name column, every number column, later numbers suffixed with the header', async (t) => {
  const columns = display([
    column('Nom', 'name', 'name'), column('Autre nom', 'other', 'name'),
    column('Numéro', 'phone', 'number'), column('Mobile', 'mobile', 'number'), column('E-mail', 'email', 'email'),
  ]);
  const rows = toRows(columns, [
    result({ name: 'bob', other: 'x', phone: '2', mobile: '3', email: 'b@x' }),
    result({ name: 'Alice', phone: '', mobile: '06 12' }),
    result({ name: 'Carol', phone: 'n/a', mobile: '7' }),
    result({ name: null, phone: '9' }),
  ]);
  t.same(rows, [
    { name: '', number: '9' },
    { name: 'Alice', number: '0612' },
    { name: 'Carol (mobile)', number: '7' },
    { name: 'bob', number: '2' },
    { name: 'bob (mobile)', number: '3' },
  ], 'code-point order (upper case first), a first number cleaned to nothing still suffixes the next');
});

t.test('rows: a number column with number_display is labelled by it', async (t) => {
  const columns = display([
    column('Name', 'name', 'name'),
    column('Office', 'phone', 'number', '{name} at the office'),
    column('Mobile', 'mobile', 'number'),
    column('Broken', 'fax', 'number', '{name'),
  ]);
  t.same(toRows(columns, [result({ name: 'Dan', phone: '1', mobile: '2', fax: '3' })]), [
    { name: 'Dan (mobile)', number: '2' },
    { name: 'Dan at the office', number: '1' },
  ], 'an unrenderable number_display skips its row');
  t.same(toRows(null, [result({ name: 'x', phone: '1' })]), [], 'no display, no rows');
});

t.test('paging: prev and next exactly when they exist', async (t) => {
  const all = [1, 2, 3, 4, 5];
  t.match(paginate(all, 0, 2), { rows: [1, 2], total: 5, next: 2, prev: null });
  t.match(paginate(all, 2, 2), { rows: [3, 4], next: 4, prev: 0 });
  t.match(paginate(all, 4, 2), { rows: [5], next: null, prev: 2 });
  t.match(paginate(all, 1, 2), { prev: 0 }, 'prev never goes below 0');
  t.match(paginate(all, 3, null), { rows: [4, 5], next: null, prev: null }, 'no limit: no links');
  t.match(paginate(all, 9, 2), { rows: [], next: null, prev: 7 });
});

t.test('fitPage shortens the page until the document fits, never cutting it', async (t) => {
  const all = Array.from({ length: 10 }, (_, i) => i);
  // 40 bytes a row (a real entry is never under 32), plus the `|next=…` tail.
  const render = (p: ReturnType<typeof paginate<number>>) => `${'x'.repeat(p.rows.length * 40)}|next=${p.next}`;
  t.equal(fitPage(all, 0, 10, 230, render), `${'x'.repeat(200)}|next=5`);
  t.equal(fitPage(all, 2, null, 300, render), `${'x'.repeat(280)}|next=9`, 'without a limit too');
  t.equal(fitPage(all, 0, 10, 10_000, render), `${'x'.repeat(400)}|next=null`, 'a page that fits is whole');
  t.equal(fitPage(all, 0, 10, null, render), `${'x'.repeat(400)}|next=null`);
  t.equal(fitPage(all, 0, 10, 1, render), `${'x'.repeat(40)}|next=1`, 'one row at least');
});

t.test('links percent-encode their values', async (t) => {
  t.equal(withQuery('http://h/p', [['term', 'a b&c=d/é'], ['limit', null], ['offset', 0]]), 'http://h/p?term=a%20b%26c%3Dd%2F%C3%A9&offset=0');
});

t.test('labels follow Accept-Language, English otherwise', async (t) => {
  t.equal(labelsFor('fr-CA').no_entries, 'Aucune entrée');
  t.equal(labelsFor('de-DE,de;q=0.9').no_entries, 'Keine Einträge');
  t.equal(labelsFor('es').search, 'Buscar');
  t.equal(labelsFor('it;q=0.5, ja').next_page, 'Pagina successiva');
  t.equal(labelsFor('ja').no_entries, 'No entries');
  t.equal(labelsFor(undefined).no_entries, 'No entries');
  t.equal(labelsFor('*').no_entries, 'No entries');
});

t.test('allow-list: CIDRs of both families; a mapped IPv4 peer counts as IPv4', async (t) => {
  const list = new AllowList(['192.168.1.0/24', '10.0.0.1', '2001:db8::/32']);
  t.ok(list.allows('192.168.1.77'));
  t.ok(list.allows('::ffff:192.168.1.77'));
  t.ok(list.allows('10.0.0.1'));
  t.notOk(list.allows('10.0.0.2'));
  t.ok(list.allows('2001:db8:1::5'));
  t.notOk(list.allows('2001:db9::1'));
  t.notOk(list.allows(undefined));
  t.notOk(list.allows('not-an-ip'));
  t.notOk(new AllowList([]).allows('127.0.0.1'), 'an empty list refuses everybody');
  t.throws(() => new AllowList(['192.168.1.0/33']), /not a CIDR/);
  t.throws(() => new AllowList('10.0.0.0/8'), /must be a list/);
});
