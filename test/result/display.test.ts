// Display → JSON (spec §3.3): headers, favorite/personal columns, defaults, missing display.
import t from 'tap';
import type { Display, DisplayColumn, SourceResult } from '../../src/contracts.js';
import { formatResults, headers } from '../../src/display.js';

function column(extra: Partial<DisplayColumn>): DisplayColumn {
  return { field: null, title: null, type: null, default: null, number_display: null, ...extra };
}

function display(columns: DisplayColumn[]): Display {
  return { uuid: 'd1', tenant_uuid: 't1', name: 'display', columns };
}

function result(fields: Record<string, unknown>, extra: Partial<SourceResult> = {}): SourceResult {
  return {
    fields,
    relations: { xivo_id: null, agent_id: null, user_id: null, user_uuid: null, endpoint_id: null, source_entry_id: String(fields.id ?? '') || null },
    source: 'my_csv',
    backend: 'csv',
    is_personal: false,
    is_deletable: false,
    ...extra,
  };
}

t.test('headers and types echo the columns, nulls included', async (t) => {
  const d = display([
    column({ title: 'Name', type: 'name', field: 'name' }),
    column({ type: 'number', field: 'phone' }),
    column({ title: 'Only title' }),
  ]);
  t.same(headers(d), { column_headers: ['Name', null, 'Only title'], column_types: ['name', 'number', null] });
});

t.test('values come from fields; default only when the key is absent; field-less columns give the default', async (t) => {
  const d = display([
    column({ title: 'Name', field: 'name', default: 'anonymous' }),
    column({ title: 'Phone', field: 'phone', default: 'none' }),
    column({ title: 'Missing', field: 'missing' }),
    column({ title: 'Static', default: 'fixed' }),
  ]);
  const formatted = formatResults(d, [result({ id: '1', name: 'Alice', phone: null }), result({ id: '2' })]);
  t.same(formatted.results.map((r) => r.column_values), [
    ['Alice', null, null, 'fixed'],
    ['anonymous', 'none', null, 'fixed'],
  ]);
  t.same(formatted.results[0], {
    column_values: ['Alice', null, null, 'fixed'],
    relations: { xivo_id: null, agent_id: null, user_id: null, user_uuid: null, endpoint_id: null, source_entry_id: '1' },
    source: 'my_csv',
    backend: 'csv',
  });
});

t.test('the first favorite column shows whether each result is a favorite', async (t) => {
  const d = display([
    column({ title: 'Name', field: 'name' }),
    column({ title: 'Fav', type: 'favorite', field: 'fav' }),
    column({ title: 'Fav again', type: 'favorite', field: 'other' }),
  ]);
  const results = [result({ id: '1', name: 'A', fav: 'raw' }), result({ id: '2', name: 'B' })];
  const favorites = { isFavorite: (r: SourceResult) => r.relations.source_entry_id === '2' };
  t.same(formatResults(d, results, favorites).results.map((r) => r.column_values), [
    ['A', false, null],
    ['B', true, null],
  ]);
  t.same(formatResults(d, results, undefined, true).results.map((r) => r.column_values), [
    ['A', true, null],
    ['B', true, null],
  ]);
  t.same(formatResults(d, results).results.map((r) => r.column_values), [
    ['A', false, null],
    ['B', false, null],
  ]);
});

t.test('personal columns show whether each result is a personal contact', async (t) => {
  const d = display([column({ title: 'Personal', type: 'personal', field: 'personal' }), column({ title: 'P2', type: 'personal', field: 'p2' })]);
  const results = [result({ id: '1', personal: 'raw' }), result({ id: '2' }, { is_personal: true, backend: 'personal' })];
  t.same(formatResults(d, results).results.map((r) => r.column_values), [
    [false, false],
    [true, true],
  ]);
});

t.test('the results given are not modified', async (t) => {
  const d = display([column({ type: 'favorite', field: 'fav' }), column({ type: 'personal', field: 'p' })]);
  const fields = { id: '1', fav: 'untouched' };
  formatResults(d, [result(fields)], { isFavorite: () => true });
  t.same(fields, { id: '1', fav: 'untouched' });
});

t.test('no display (or no columns) gives empty lists but keeps the results', async (t) => {
  const results = [result({ id: '1', name: 'A' })];
  for (const d of [null, display([])]) {
    const formatted = formatResults(d, results, { isFavorite: () => true });
    t.same(formatted.column_headers, []);
    t.same(formatted.column_types, []);
    t.same(formatted.results.map((r) => [r.column_values, r.source]), [[[], 'my_csv']]);
  }
  t.same(headers(null), { column_headers: [], column_types: [] });
});
