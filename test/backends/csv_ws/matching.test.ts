// Number matching in the csv_ws back-end: the service filters by its own rule (here a substring), and
// of the rows it returns dird keeps those whose number matches under the profile's number matching.
import t from 'tap';
import CsvWsBackend from '../../../plugins/backends/csv_ws/index.js';
import type { CallArgs, SourceConfig } from '../../../src/contracts.js';
import type { NumberMatching } from '../../../src/numbers.js';
import { startService } from './service.js';

const service = await startService({
  rows: [['name', 'number'], ['Fr Paris', '0033123456789'], ['Fr Lyon', '+33 4 12 34 56 78']],
});
t.teardown(() => service.close());

const backend = new CsvWsBackend();
backend.load({
  config: {
    uuid: 'u', tenant_uuid: 't', name: 'ws', backend: 'csv_ws', lookup_url: `${service.url}/lookup`,
    searched_columns: ['name'], first_matched_columns: ['number'], format_columns: {},
  } as SourceConfig,
  main_config: {},
  host: { log: async () => {} } as any,
});
t.teardown(() => backend.unload());

const argsOf = (number_matching?: NumberMatching): CallArgs => ({ token: null, user_uuid: null, xivo_user_uuid: null, tenant_uuid: null, number_matching });
const e164 = argsOf({ mode: 'e164', region: 'FR', suffix_digits: 9 });

t.test('the rows the service returns are kept when their number matches', async (t) => {
  // The service finds `0033123456789` for `33123456789` (a substring); that is the same E.164 number.
  t.equal((await backend.firstMatch('33123456789', e164))?.name, 'Fr Paris');
  t.equal(await backend.firstMatch('33123456789', argsOf()), null, 'exact: the returned row is not equal');
  t.equal((await backend.firstMatch('0033123456789', argsOf()))?.name, 'Fr Paris', 'exact still matches the exact value');
  t.equal(await backend.firstMatch('0412345678', e164), null, 'a form the service does not find stays unfound');
});
