// Result construction (spec §3.3): unique id from raw values, format_columns in order, strip, empty → null.
import t from 'tap';
import type { SourceConfig } from '../../src/contracts.js';
import { makeResultBuilder } from '../../src/result.js';

function source(extra: Partial<SourceConfig> = {}): SourceConfig {
  return {
    uuid: '00000000-0000-4000-8000-000000000001',
    tenant_uuid: '00000000-0000-4000-8000-0000000000aa',
    name: 'my_csv',
    backend: 'csv',
    searched_columns: [],
    first_matched_columns: [],
    format_columns: {},
    ...extra,
  };
}

t.test('source_entry_id comes from the raw unique column, before formatting', async (t) => {
  const build = makeResultBuilder({ source: source({ unique_column: 'id', format_columns: { id: 'formatted-{id}' } }) });
  const result = build({ id: 42, name: 'Alice' });
  t.equal(result.relations.source_entry_id, '42');
  t.equal(result.fields.id, 'formatted-42');
});

t.test('a missing unique column, or none configured, gives a null id', async (t) => {
  t.equal(makeResultBuilder({ source: source({ unique_column: 'id' }) })({ name: 'x' }).relations.source_entry_id, null);
  t.equal(makeResultBuilder({ source: source() })({ id: '7' }).relations.source_entry_id, null);
  t.equal(makeResultBuilder({ source: source({ unique_column: null }) })({ id: '7' }).relations.source_entry_id, null);
});

t.test('relations default to null and carry the source and backend names', async (t) => {
  const result = makeResultBuilder({ source: source({ unique_column: 'id' }) })({ id: 'a1' });
  t.same(result.relations, { xivo_id: null, agent_id: null, user_id: null, user_uuid: null, endpoint_id: null, source_entry_id: 'a1' });
  t.equal(result.source, 'my_csv');
  t.equal(result.backend, 'csv');
  t.equal(result.is_personal, false);
  t.equal(result.is_deletable, false);
});

t.test('a back-end may fill relations from the raw entry and set flags', async (t) => {
  const build = makeResultBuilder({
    source: source({ backend: 'wazo', format_columns: { id: 'x' } }),
    flags: { is_personal: true, is_deletable: true },
    relations: (fields) => ({ user_id: fields.id, xivo_id: 'xivo-1', source_entry_id: String(fields.id) }),
  });
  const result = build({ id: 5 });
  t.same(result.relations, { xivo_id: 'xivo-1', agent_id: null, user_id: 5, user_uuid: null, endpoint_id: null, source_entry_id: '5' });
  t.equal(result.is_personal, true);
  t.equal(result.is_deletable, true);
});

t.test('format columns apply in order, see earlier ones, and overwrite fields', async (t) => {
  const build = makeResultBuilder({
    source: source({
      format_columns: { name: '{firstname} {lastname}', label: '[{name}]', lastname: '{lastname!r}' },
    }),
  });
  const result = build({ firstname: 'Alice', lastname: 'Smith' });
  t.same(result.fields, { firstname: 'Alice', lastname: "'Smith'", name: 'Alice Smith', label: '[Alice Smith]' });
});

t.test('rendered values are stripped; empty and failing renders give null', async (t) => {
  const build = makeResultBuilder({
    source: source({
      format_columns: { padded: '  {a}\n', empty: '{missing} ', broken: '{numbers[0]}', bad_syntax: '{a', spaces: '\u3000{a}\x1c' },
    }),
  });
  const result = build({ a: 'x' });
  t.same(result.fields, { a: 'x', padded: 'x', empty: null, broken: null, bad_syntax: null, spaces: 'x' });
});

t.test('the raw entry is not modified', async (t) => {
  const raw = { name: 'Bob' };
  makeResultBuilder({ source: source({ format_columns: { name: 'Mr {name}', extra: '1' } }) })(raw);
  t.same(raw, { name: 'Bob' });
});

t.test('a format column named __proto__ is an ordinary field', async (t) => {
  const result = makeResultBuilder({ source: source({ format_columns: JSON.parse('{"__proto__": "{a}"}') }) })({ a: 'v' });
  t.equal(Object.getOwnPropertyDescriptor(result.fields, '__proto__')?.value, 'v');
  t.equal(Object.getPrototypeOf(result.fields), Object.prototype);
});
