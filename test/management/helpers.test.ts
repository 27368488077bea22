// The pure pieces of the management plugins: list parameters, in-memory lists, body validation.
import { Ajv } from 'ajv';
import t, { type Test } from 'tap';
import { createChangeFeed } from '../../host/changes.js';
import { parseDisplayBody } from '../../plugins/services/display/index.js';
import { parseProfileBody } from '../../plugins/services/profile/index.js';
import { SourceService } from '../../plugins/services/source/index.js';
import { listInMemory } from '../../plugins/views/common/in-memory.js';
import { listQuerySchema, parseListQuery } from '../../plugins/views/common/list-params.js';
import type { BackendInfo } from '../../src/contracts.js';
import { InvalidDataError } from '../../src/errors.js';
import type { Store } from '../../src/storage/store.js';

function invalid(t: Test, fn: () => unknown): Record<string, any> {
  try {
    fn();
  } catch (error) {
    t.type(error, InvalidDataError);
    return (error as InvalidDataError).details;
  }
  t.fail('expected InvalidDataError');
  return {};
}

t.test('list query schema and parsing', async (t) => {
  const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, allErrors: true });
  const validate = ajv.compile(listQuerySchema({ order: ['name', 'backend'], searchable: ['uuid', 'name'] }));
  const query = (q: Record<string, unknown>) => {
    const copy = { ...q };
    return validate(copy) ? copy : null;
  };
  for (const value of ['true', 'TRUE', 'yes', 'Y', 'on', '1', 't']) {
    t.equal(parseListQuery(query({ recurse: value }), []).recurse, true, `recurse=${value}`);
  }
  for (const value of ['false', 'No', 'off', '0', 'f', 'n']) {
    t.equal(parseListQuery(query({ recurse: value }), []).recurse, false, `recurse=${value}`);
  }
  t.equal(query({ recurse: 'maybe' }), null);
  t.equal(query({ order: 'uuid' }), null);
  t.equal(query({ direction: 'sideways' }), null);
  t.equal(query({ offset: '-1' }), null);
  const parsed = parseListQuery(query({ limit: '5', offset: '2', search: 'x', name: 'n', other: 'ignored' }), ['uuid', 'name']);
  t.same(parsed, {
    params: { order: 'name', direction: 'asc', offset: 2, limit: 5, search: 'x', filters: { name: 'n' } },
    recurse: false,
  });
  t.same(parseListQuery(query({}), ['name']).params, { order: 'name', direction: 'asc', offset: 0 }, 'defaults');
});

t.test('in-memory lists', async (t) => {
  const items = [{ n: 'b' }, { n: null }, { n: 'É' }, { n: 'a' }, { n: '' }, { n: 'e' }];
  const order = (direction: 'asc' | 'desc') =>
    listInMemory(items, { order: 'n', direction }, { insensitive: ['n'] }).items.map((i) => i.n);
  t.same(order('asc'), ['a', 'b', 'É', 'e', null, ''], 'missing values last, accents folded, stable');
  t.same(order('desc'), [null, '', 'É', 'e', 'b', 'a'], 'missing values first in desc');
  const sensitive = listInMemory([{ n: 'b' }, { n: 'B' }, { n: 'a' }], { order: 'n' }).items.map((i) => i.n);
  t.same(sensitive, ['B', 'a', 'b'], 'case-sensitive unless told');
  const page = listInMemory(items, { filters: { n: 'a' }, offset: 0 });
  t.same(page, { total: 6, filtered: 1, items: [{ n: 'a' }] });
  const searched = listInMemory(items, { search: 'e', order: 'n', limit: 1, offset: 1 }, { matches: (i, s) => String(i.n).includes(s) });
  t.same(searched, { total: 6, filtered: 1, items: [] }, 'offset past the matches');
});

t.test('display bodies', async (t) => {
  t.same(parseDisplayBody({ name: 'd', columns: [{ title: 'T', extra: 1 }] }), {
    name: 'd',
    columns: [{ field: null, title: 'T', type: null, default: null, number_display: null }],
  });
  const empty = invalid(t, () => parseDisplayBody({ name: 'd', columns: [{ title: 'x' }, { unknown: 1 }] }));
  t.same(empty, { 'columns.1': [{ constraint_id: 'not_empty', constraint: 'not_empty', message: 'Empty columns are now allowed' }] });
  const missing = invalid(t, () => parseDisplayBody({ columns: [] }));
  t.same(missing.name, [{ constraint_id: 'required', constraint: 'required', message: 'Missing data for required field.' }]);
  t.same(missing.columns, [{ constraint_id: 'length', constraint: { min: 1 }, message: 'Shorter than minimum length 1.' }]);
  const long = invalid(t, () => parseDisplayBody({ name: 'x'.repeat(513), columns: [{ field: null, title: 3 }] }));
  t.same(long.name[0].constraint, { min: 1, max: 512 });
  t.same(long['columns.0.title'], [{ constraint_id: 'type', constraint: 'string', message: 'Not a valid string.' }]);
  t.same(invalid(t, () => parseDisplayBody(null))._schema[0].constraint_id, 'type');
  t.same(invalid(t, () => parseDisplayBody({ name: null, columns: [{ field: 'f' }] })).name[0].constraint_id, 'not_null');
});

t.test('profile bodies', async (t) => {
  const uuid = '00000000-0000-4000-8000-000000000001';
  t.same(parseProfileBody({ name: 'p', services: { lookup: {}, reverse: { sources: [{ uuid, x: 1 }], options: { timeout: 1 } } } }), {
    name: 'p',
    display: null,
    services: { lookup: { sources: [], options: {} }, reverse: { sources: [{ uuid }], options: { timeout: 1 } } },
  });
  const details = invalid(t, () => parseProfileBody({ name: 'p', services: { lookup: { options: { timeout: 0, other: 1 } }, reverse: { foo: 1 } } }));
  t.same(details['services.lookup.options.timeout'][0].constraint_id, 'range');
  t.same(details['services.lookup.options.other'][0].constraint_id, 'unknown');
  t.same(details['services.reverse.foo'][0].constraint_id, 'unknown');
  t.same(invalid(t, () => parseProfileBody({ name: 'p', display: { uuid: 'x' }, services: {} }))['display.uuid'][0].constraint, 'uuid');
});

t.test('source bodies', async (t) => {
  const service = new SourceService({} as Store, { list: () => [], get: () => undefined }, createChangeFeed());
  const strict: BackendInfo = {
    name: 'strict',
    configSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      required: ['url'],
      properties: { url: { type: 'string', format: 'uri' }, mode: { enum: ['a', 'b'], default: 'a' } },
    },
  };
  const open: BackendInfo = { name: 'open', configSchema: { type: 'object', properties: {}, additionalProperties: true } };
  const none: BackendInfo = { name: 'none', configSchema: null };
  t.same(service.parse(strict, { name: 's', url: 'https://x', junk: 1, uuid: 'u' }), {
    name: 's', url: 'https://x', mode: 'a', searched_columns: [], first_matched_columns: [], format_columns: {},
  }, 'defaults applied, unknown and read-only fields dropped');
  t.same(service.parse(open, { name: 's', junk: 1 }).junk, 1, 'a schema allowing more keeps more');
  t.same(service.parse(none, { name: 's', junk: { a: 1 }, backend: 'x' }), {
    name: 's', junk: { a: 1 }, searched_columns: [], first_matched_columns: [], format_columns: {},
  }, 'no schema: any field but the read-only ones');
  const details = invalid(t, () => service.parse(strict, { name: 's', url: 'not a url', mode: 'c', searched_columns: 'a' }));
  t.same(details.url[0].constraint_id, 'type');
  t.same(details.mode, [{ constraint_id: 'enum', constraint: { choices: ['a', 'b'] }, message: 'Must be one of: a, b.' }]);
  t.same(details.searched_columns[0].constraint_id, 'type');
  t.same(invalid(t, () => service.parse(strict, { name: 's' })).url[0].constraint_id, 'required');
  const unknown = await service.create('missing', 't', { name: 's' }).catch((error) => error);
  t.match(unknown, { errorId: 'unknown-backend', status: 404 });
});
