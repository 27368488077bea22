// Reverse order when sources answer at once from the answers they publish to the host (csv): the first
// match in profile order among them wins in both order modes, before any source asked through its worker
// (first_answer), after a higher-priority one that matches (priority).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { startDird } from '../helpers/dird.js';
import { reverseClient } from './helpers.js';

const dird = await startDird();
t.teardown(() => dird.close());
const client = reverseClient(dird);
const headers = { 'x-auth-token': dird.tokens.admin };
const work = mkdtempSync(join(tmpdir(), 'dird-published-order-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

async function csv(name: string, rows: string[]): Promise<{ uuid: string }> {
  const file = join(work, `${name}.csv`);
  writeFileSync(file, `firstname,number\n${rows.join('\n')}\n`);
  const reply = await dird.inject({ method: 'POST', url: '/0.1/backends/csv/sources', headers,
    payload: { name, file, first_matched_columns: ['number'], format_columns: { reverse: '{firstname}' } } });
  if (reply.statusCode !== 200) throw new Error(`csv ${name}: ${reply.body}`);
  return { uuid: reply.json().uuid };
}

const a = await csv('a', ['A,5000', 'A7,7000']);
const b = await csv('b', ['B,5000', 'B6,6000']);
const worker = await client.source('worker', { number: '5000', delay_ms: 50 });

for (const [name, sources, options] of [
  ['ab', [a, b], { timeout: 5 }],
  ['ba', [b, a], { timeout: 5 }],
  ['ab-prio', [a, b], { timeout: 5, order: 'priority' }],
  ['ba-prio', [b, a], { timeout: 5, order: 'priority' }],
  ['worker-b', [worker, b], { timeout: 5 }],
  ['worker-b-prio', [worker, b], { timeout: 5, order: 'priority' }],
  ['b-worker', [b, worker], { timeout: 5 }],
] as const) {
  const reply = await client.profile(name, [...sources], options);
  if (reply.statusCode !== 201) throw new Error(`profile ${name}: ${reply.body}`);
}
// Sandboxes start on first use, and publish their answers once loaded: let them, then look up.
for (let attempt = 0; attempt < 50 && (await client.reverse('worker-b', '5000')) !== 'B'; attempt++);
for (const profile of ['ab', 'ba']) for (let attempt = 0; attempt < 50 && (await client.reverse(profile, '7000')) !== 'A7'; attempt++);
await new Promise((resolve) => setTimeout(resolve, 200));

t.test('the first match in profile order wins among sources that answer at once, in both modes', async (t) => {
  t.equal(await client.reverse('ab', '5000'), 'A');
  t.equal(await client.reverse('ba', '5000'), 'B');
  t.equal(await client.reverse('ab-prio', '5000'), 'A');
  t.equal(await client.reverse('ba-prio', '5000'), 'B');
  t.equal(await client.reverse('ab', '6000'), 'B6', 'a source with no match is passed over');
  t.equal(await client.reverse('ba', '7000'), 'A7');
  t.equal(await client.reverse('ab', '9999'), null);
  t.same(await client.reverseMany('ab', ['5000', '6000', '9999']), ['B', 'B6', null], 'GraphQL merges in completion order, later overwriting');
});

t.test('an answer at once comes before a source asked through its worker, unless priority says otherwise', async (t) => {
  t.equal(await client.reverse('worker-b', '5000'), 'B', 'first_answer: the answer at once arrives first');
  t.equal(await client.reverse('worker-b-prio', '5000'), 'worker', 'priority: the first source in profile order that matches');
  t.equal(await client.reverse('worker-b-prio', '6000'), 'B6', 'priority: a higher-priority source without a match is waited for, then passed over');
  t.equal(await client.reverse('b-worker', '5000'), 'B', 'a match no source before it can beat ends the lookup');
  t.equal(await client.reverse('b-worker', '9999'), null);
});
