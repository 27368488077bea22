import t from 'tap';
import { ChangeLog } from '../../plugins/services/phonebook/changes.js';

t.test('versions and the contacts changed since one', async (t) => {
  const log = new ChangeLog();
  t.equal(log.version('pb'), 0);
  t.same(log.since('pb', 0, 10), [], 'nothing changed yet');
  log.record('pb', ['a']);
  log.record('pb', ['b', 'a']);
  t.equal(log.version('pb'), 2);
  t.equal(log.version('other'), 0, 'per phonebook');
  t.same(log.since('pb', 0, 10)!.sort(), ['a', 'b']);
  t.same(log.since('pb', 1, 10)!.sort(), ['a', 'b']);
  t.same(log.since('pb', 2, 10), []);
  t.equal(log.since('pb', 0, 1), null, 'too many changes: reload');
  t.equal(log.since('pb', 3, 10), null, 'a version from the future (another host life): reload');
  log.record('pb', null);
  t.equal(log.since('pb', 2, 10), null, 'anything changed: reload');
  log.record('pb', Array.from({ length: 5000 }, (_, i) => `c${i}`));
  t.equal(log.since('pb', 3, 100_000), null, 'a huge write is logged as anything changed');
});

t.test('the log is bounded', async (t) => {
  const log = new ChangeLog();
  for (let i = 0; i < 1500; i++) log.record('pb', [`c${i}`]);
  t.equal(log.since('pb', 10, 10_000), null, 'too old: reload');
  t.same(log.since('pb', 1499, 10), ['c1499']);
});
