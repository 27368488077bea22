// csv_ws list (spec §4.2), used directly: needs unique_column and list_url, GETs list_url without parameters.
import t from 'tap';
import CsvWsBackend from '../../../plugins/backends/csv_ws/index.js';
import type { SourceConfig } from '../../../src/contracts.js';
import { startService } from './service.js';

const ws = await startService({ rows: [['id', 'name'], ['1', 'Alice'], ['2', 'Bob'], ['3', 'Carol']] });
t.teardown(() => ws.close());

async function backend(extra: Partial<SourceConfig>) {
  const loaded = new CsvWsBackend();
  await loaded.load({
    config: {
      uuid: 'u', tenant_uuid: 't', name: 'ws', backend: 'csv_ws', searched_columns: ['name'], first_matched_columns: [],
      format_columns: {}, lookup_url: `${ws.url}/lookup`, ...extra,
    },
    main_config: {},
    host: { log: async () => {} },
  });
  t.teardown(() => loaded.unload());
  return loaded;
}

t.test('rows whose unique value is asked for, from list_url', async (t) => {
  const src = await backend({ unique_column: 'id', list_url: `${ws.url}/list` });
  t.same(await src.list(['3', '1', '9']), [{ id: '1', name: 'Alice' }, { id: '3', name: 'Carol' }]);
  t.same([...ws.queries.at(-1)!], [], 'no query parameters');
});

t.test('without unique_column or list_url: nothing, and no request', async (t) => {
  const before = ws.queries.length;
  t.same(await (await backend({ list_url: `${ws.url}/list` })).list(['1']), []);
  t.same(await (await backend({ unique_column: 'id' })).list(['1']), []);
  t.equal(ws.queries.length, before);
});

t.test('no first-matched column: no match, no request', async (t) => {
  const before = ws.queries.length;
  t.equal(await (await backend({})).firstMatch('1'), null);
  t.equal(ws.queries.length, before);
});
