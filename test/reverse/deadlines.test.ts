// The shared deadline list of reverse lookups: entries expire in deadline order, not before their time;
// removed entries never do; the one timer follows the earliest entry as entries come and go.
import t from 'tap';
import { Deadlines, type DeadlineEntry } from '../../plugins/services/reverse/deadlines.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function entries(deadlines: Deadlines, expired: string[]) {
  return (name: string, inMs: number): DeadlineEntry => {
    const entry: DeadlineEntry = {
      at: performance.now() + inMs,
      expire: () => {
        t.ok(performance.now() >= entry.at, `${name} not expired early`);
        expired.push(name);
      },
      prev: null,
      next: null,
    };
    deadlines.add(entry);
    return entry;
  };
}

t.test('expire in deadline order, whatever the order of adding; removed ones never', async (t) => {
  const deadlines = new Deadlines();
  const expired: string[] = [];
  const add = entries(deadlines, expired);
  add('c', 60);
  const b = add('b', 40);
  add('a', 20);
  add('d', 60);
  const e = add('e', 80);
  deadlines.remove(b);
  deadlines.remove(b);
  await sleep(30);
  t.same(expired, ['a']);
  deadlines.remove(e);
  await sleep(100);
  t.same(expired, ['a', 'c', 'd']);
});

t.test('the timer follows the earliest entry after the list empties', async (t) => {
  const deadlines = new Deadlines();
  const expired: string[] = [];
  const add = entries(deadlines, expired);
  deadlines.remove(add('gone', 10));
  add('late', 60);
  add('early', 5);
  await sleep(30);
  t.same(expired, ['early']);
  await sleep(60);
  t.same(expired, ['early', 'late']);
  add('again', 5);
  await sleep(30);
  t.same(expired, ['early', 'late', 'again']);
});
