// A source's metric series after it is deleted or renamed: gone, and not brought back by a call that
// read the source's old settings before the change (DirdMetrics.forgetSource).
import t from 'tap';
import { DirdMetrics } from '../../host/metrics.js';

const source = { uuid: 'u1', name: 'old', backend: 'ldap' };
const series = async (metrics: DirdMetrics) =>
  (await metrics.exposition()).split('\n').filter((line) => line.startsWith('dird_source_calls_total{') || line.startsWith('dird_cache_hits_total{')
    || line.startsWith('dird_source_call_duration_seconds_count{'));

t.test('deleted: its series go, and a late call does not bring them back', async (t) => {
  const metrics = new DirdMetrics();
  metrics.sourceMeter(source).answered('firstMatch', 0.001);
  metrics.cacheHit(source, 'reverse');
  t.equal((await series(metrics)).length, 3);
  metrics.forgetSource('u1', null);
  t.same(await series(metrics), []);
  metrics.sourceMeter(source).answered('firstMatch', 0.001);
  metrics.cacheHit(source, 'reverse');
  t.same(await series(metrics), [], 'a call that read the deleted source counts nowhere');
});

t.test('renamed: the old name stays gone, the new one counts', async (t) => {
  const metrics = new DirdMetrics();
  metrics.sourceMeter(source).answered('firstMatch', 0.001);
  metrics.forgetSource('u1', { name: 'new', backend: 'ldap' });
  metrics.sourceMeter(source).answered('firstMatch', 0.001);
  metrics.cacheHit(source, 'reverse');
  metrics.sourceMeter({ ...source, name: 'new' }).answered('search', 0.001);
  metrics.cacheHit({ ...source, name: 'new' }, 'reverse');
  const lines = await series(metrics);
  t.notOk(lines.some((line) => line.includes('source="old"')), 'no series under the old name');
  t.equal(lines.filter((line) => line.includes('source="new"')).length, 3, 'calls, latency and cache hits under the new name');
  metrics.forgetSource('u1', { name: 'old', backend: 'ldap' });
  metrics.sourceMeter(source).answered('list', 0.001);
  t.ok((await series(metrics)).some((line) => line.includes('source="old"')), 'renamed back: the old name counts again');
});
