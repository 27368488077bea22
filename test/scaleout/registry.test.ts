// A request that read a source's config before a change landed (here or on another instance) may ask
// the registry for that old config after the change dropped the sandbox: the next request, carrying the
// current config, must not be served by the old one's sandbox.
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { http, startDird } from '../helpers/dird.js';

t.test('a sandbox whose config is out of date is replaced', async (t) => {
  const dird = await startDird();
  t.teardown(() => dird.close());
  const created = await http(dird.url, 'POST', '/0.1/backends/csv/sources', {
    name: 'people', file: join(packageRoot, 'test/fixtures/csv-core/people.csv'), unique_column: 'id',
    searched_columns: ['firstname'], first_matched_columns: ['number'], format_columns: { name: '{firstname}' },
  });
  const [old] = await dird.dird.store.sources.getMany([created.body.uuid]);
  const stale = dird.dird.sources.get(old);
  const [again] = await dird.dird.store.sources.getMany([created.body.uuid]);
  t.not(again, old, 'read twice: two objects');
  t.equal(dird.dird.sources.get(again), stale, 'equal configs share one sandbox');

  const current = { ...old, format_columns: { name: '{firstname}!' } };
  const fresh = dird.dird.sources.get(current);
  t.not(fresh, stale, 'a different config gets its own sandbox');
  t.equal(dird.dird.sources.get(current), fresh, 'which later requests with that config use');
  const [alice] = await fresh.search('alice', {} as any, Date.now() + 10_000);
  t.equal(alice?.fields.name, 'Alice!', 'and it answers with that config');
});
