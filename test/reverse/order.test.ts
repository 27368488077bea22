// Reverse `order` (profile reverse options): first_answer takes the fastest match, priority the first
// matching source in profile order, both bounded by the profile timeout; REST reverse and GraphQL.
import t from 'tap';
import { startDird } from '../helpers/dird.js';
import { reverseClient } from './helpers.js';

const dird = await startDird();
t.teardown(() => dird.close());
const client = reverseClient(dird);

const slow = await client.source('slow', { number: '5000', delay_ms: 1500 });
const fast = await client.source('fast', { number: '5000', delay_ms: 0 });
const other = await client.source('other', { number: '6000', delay_ms: 0 });
const stuck = await client.source('stuck', { number: '5000', delay_ms: 60_000 });

for (const [name, sources, options] of [
  ['first', [slow, fast], { timeout: 10 }],
  ['prio', [slow, fast], { timeout: 10, order: 'priority' }],
  ['prio-other', [other, slow, fast], { timeout: 10, order: 'priority' }],
  ['prio-bounded', [stuck, fast], { timeout: 1, order: 'priority' }],
  ['prio-stuck', [stuck], { timeout: 0.5, order: 'priority' }],
  ['warm', [fast, other], { timeout: 10 }],
] as const) {
  const reply = await client.profile(name, [...sources], options);
  if (reply.statusCode !== 201) throw new Error(`profile ${name}: ${reply.body}`);
}
// Sandboxes start on first use: start them before the bounded lookups.
for (let attempt = 0; attempt < 50 && (await client.reverse('warm', '6000')) !== 'other'; attempt++);
await client.reverse('first', '5000');

t.test('first_answer (the default) returns the fastest matching source', async (t) => {
  t.equal(await client.reverse('first', '5000'), 'fast');
  t.same(await client.reverseMany('first', ['5000']), ['fast']);
});

t.test('priority returns the first matching source in profile order, even when slower', async (t) => {
  t.equal(await client.reverse('prio', '5000'), 'slow');
  t.equal(await client.reverse('prio-other', '5000'), 'slow', 'a source that does not match is passed over');
  t.equal(await client.reverse('prio-other', '6000'), 'other');
  t.equal(await client.reverse('prio-other', '7777'), null);
  t.same(await client.reverseMany('prio', ['5000']), ['slow']);
  t.same(await client.reverseMany('prio-other', ['5000', '6000', '7777']), ['slow', 'other', null], 'per number, in input order');
});

t.test('priority is bounded by the timeout: the best answer received by then wins', async (t) => {
  t.equal(await client.reverse('prio-bounded', '5000'), 'fast', 'the higher-priority source never answered in time');
  t.same(await client.reverseMany('prio-bounded', ['5000', '6000']), ['fast', null]);
  t.equal(await client.reverse('prio-stuck', '5000'), null, 'nothing received: no match, not a hang');
  t.same(await client.reverseMany('prio-stuck', ['5000']), [null]);
});

t.test('profile validation of the reverse order option', async (t) => {
  const ok = await client.profile('valid-order', [fast], { order: 'priority' });
  t.equal(ok.statusCode, 201, ok.body);
  t.equal(ok.json().services.reverse.options.order, 'priority', 'stored and returned');
  t.equal((await client.profile('default-order', [fast], { order: 'first_answer' })).statusCode, 201);
  for (const order of ['fastest', 1, true]) {
    const bad = await client.profile(`bad-${order}`, [fast], { order });
    t.equal(bad.statusCode, 400, `order ${JSON.stringify(order)}`);
    t.ok(bad.json().details?.['services.reverse.options.order'], `details name the option (${bad.body})`);
  }
  const unknown = await client.profile('unknown-key', [fast], { timeout: 1, ordering: 'priority' });
  t.equal(unknown.statusCode, 400, 'unknown option keys are still refused');
});
