// TallyHistogram stands in for prom-client's Histogram: the same observations give the same exposition
// text and JSON, series appearing in order of first observation, values past the last bound in +Inf only.
import { Histogram, Registry } from 'prom-client';
import t from 'tap';
import { TallyHistogram } from '../../host/tally-histogram.js';

const config = (registry: Registry) => ({
  name: 'dird_test_duration_seconds',
  help: 'Test latency',
  labelNames: ['route', 'method', 'status_code'],
  buckets: [0.001, 0.01, 0.1, 1],
  registers: [registry],
});
const observations: Array<[string, string, number, number]> = [
  ['/b', 'GET', 200, 0.0004],
  ['/a', 'GET', 200, 0.001],
  ['/b', 'GET', 200, 0.05],
  ['/b', 'GET', 404, 3],
  ['/a "quoted"\\', 'POST', 201, 0.1 + 0.2],
  ['/b', 'GET', 200, 1],
  ['/a', 'HEAD', 200, 0.0000001],
];

function both() {
  const expected = new Registry();
  const actual = new Registry();
  const reference = new Histogram(config(expected));
  const tally = new TallyHistogram(config(actual));
  for (const [route, method, status_code, seconds] of observations) {
    reference.observe({ route, method, status_code }, seconds);
    tally.series(route, method, status_code).observe(seconds);
  }
  return { expected, actual, tally };
}

t.test('same exposition text and JSON as prom-client', async (t) => {
  const { expected, actual } = both();
  t.equal(await actual.metrics(), await expected.metrics());
  t.same(await actual.getMetricsAsJSON(), await expected.getMetricsAsJSON());
});

t.test('a series is shown from its first observation, and after a reset only once observed again', async (t) => {
  const { expected, actual, tally } = both();
  const unused = tally.series('/never', 'GET', 200);
  t.equal(await actual.metrics(), await expected.metrics(), 'a series never observed is not shown');
  expected.resetMetrics();
  actual.resetMetrics();
  t.equal(await actual.metrics(), await expected.metrics(), 'empty after a reset');
  unused.observe(0.5);
  tally.series('/b', 'GET', 200).observe(0.002);
  const reference = expected.getSingleMetric('dird_test_duration_seconds') as Histogram;
  reference.observe({ route: '/never', method: 'GET', status_code: 200 }, 0.5);
  reference.observe({ route: '/b', method: 'GET', status_code: 200 }, 0.002);
  t.equal(await actual.metrics(), await expected.metrics(), 'series kept by callers count again');
});

t.test('the same label values give the same series; non-finite values are refused', async (t) => {
  const tally = new TallyHistogram(config(new Registry()));
  t.equal(tally.series('/a', 'GET', 200), tally.series('/a', 'GET', 200));
  t.not(tally.series('/a', 'GET', 200), tally.series('/a', 'GET', 404));
  t.throws(() => tally.series('/a', 'GET', 200).observe(Number.NaN), TypeError);
});
