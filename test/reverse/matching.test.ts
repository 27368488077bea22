// Reverse number matching through dird (profile options number_matching, default_region, suffix_digits)
// on the csv, personal and phonebook back-ends, over REST and GraphQL; profile validation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import type { SqlStore } from '../../src/storage/open.js';
import { startDird } from '../helpers/dird.js';
import { groups } from '../numbers/forms.js';

const dird = await startDird();
t.teardown(() => dird.close());
const headers = { 'x-auth-token': dird.tokens.admin };
const work = mkdtempSync(join(tmpdir(), 'dird-matching-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));

/** Stored in one form each; every other form must find them under e164. */
const contacts = [
  { name: 'Fr Paris', number: '(01) 23-45-67-89' },
  { name: 'Uk London', number: '+44 20 7946 0958' },
  { name: 'Us Sf', number: '415.555.2671' },
  { name: 'Ext', number: '1001' },
  { name: 'Sip', number: 'sip:alice@example.com' },
  { name: 'Odd', number: '+999 555 123 4567' },
];

async function call(method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, expected = [200, 201, 204]) {
  const reply = await dird.inject({ method, url, headers, payload: payload as any });
  if (!expected.includes(reply.statusCode)) throw new Error(`${method} ${url}: ${reply.statusCode} ${reply.body}`);
  return reply.body ? reply.json() : null;
}

const common = { first_matched_columns: ['number'], searched_columns: ['name'], format_columns: { reverse: '{name}' } };
const file = join(work, 'contacts.csv');
writeFileSync(file, `name,number\n${contacts.map((c) => `${c.name},"${c.number}"`).join('\n')}\n`);
const csv = await call('POST', '/0.1/backends/csv/sources', { name: 'csv', file, ...common });
for (const contact of contacts) await call('POST', '/0.1/personal', contact);
const personal = await call('POST', '/0.1/backends/personal/sources', { name: 'personal', ...common });
const book = await call('POST', '/0.1/phonebooks', { name: 'Company' });
for (const contact of contacts) await call('POST', `/0.1/phonebooks/${book.uuid}/contacts`, contact);
const phonebook = await call('POST', '/0.1/backends/phonebook/sources', { phonebook_uuid: book.uuid, ...common });

// The tenant's country (dird_tenant.country), the default region when a profile names none.
await (dird.dird.store as SqlStore).db.updateTable('dird_tenant').set({ country: 'FR' }).where('uuid', '=', dird.tenants.master).execute();

const modes = {
  exact: {},
  fr: { number_matching: 'e164', default_region: 'FR' },
  gb: { number_matching: 'e164', default_region: 'GB' },
  us: { number_matching: 'e164', default_region: 'US' },
  tenant: { number_matching: 'e164' },
  suffix: { number_matching: 'suffix' },
  suffix7: { number_matching: 'suffix', suffix_digits: 7 },
};
const backends = { csv, personal, phonebook };
for (const [backend, source] of Object.entries(backends)) {
  for (const [mode, options] of Object.entries(modes)) {
    await call('POST', '/0.1/profiles', { name: `${backend}-${mode}`, services: { reverse: { sources: [{ uuid: source.uuid }], options: { timeout: 10, ...options } } } });
  }
}

async function reverse(profile: string, exten: string): Promise<string | null> {
  const reply = await dird.inject({ url: `/0.1/directories/reverse/${profile}/${dird.users.admin}?exten=${encodeURIComponent(exten)}`, headers });
  if (reply.statusCode !== 200) throw new Error(`reverse ${profile}: ${reply.body}`);
  return reply.json().display;
}

for (const backend of Object.keys(backends)) {
  t.test(`${backend}: e164 finds a contact stored in any form`, async (t) => {
    for (const exten of groups.FR) t.equal(await reverse(`${backend}-fr`, exten), 'Fr Paris', `FR ${exten}`);
    for (const exten of groups.GB) t.equal(await reverse(`${backend}-gb`, exten), 'Uk London', `GB ${exten}`);
    for (const exten of groups.US) t.equal(await reverse(`${backend}-us`, exten), 'Us Sf', `US ${exten}`);
    t.equal(await reverse(`${backend}-fr`, '+44 20 7946 0958'), 'Uk London', 'international form in another region');
    t.equal(await reverse(`${backend}-fr`, '0044 20 7946 0958'), 'Uk London');
    t.equal(await reverse(`${backend}-fr`, '+1 415 555 2671'), 'Us Sf');
    t.equal(await reverse(`${backend}-fr`, '+33 1 23 45 67 80'), null, 'another number');
    t.equal(await reverse(`${backend}-fr`, '00999 555 123 4567'), 'Odd', 'numbers that do not parse: last 9 digits');
  });

  t.test(`${backend}: internal extensions and SIP URIs match exactly`, async (t) => {
    for (const mode of ['fr', 'suffix']) {
      t.equal(await reverse(`${backend}-${mode}`, '1001'), 'Ext');
      t.equal(await reverse(`${backend}-${mode}`, '01001'), null, `${mode}: 01001 is not 1001`);
      t.equal(await reverse(`${backend}-${mode}`, 'sip:alice@example.com'), 'Sip');
      t.equal(await reverse(`${backend}-${mode}`, 'sip:bob@example.com'), null);
    }
  });

  t.test(`${backend}: exact (the default) is unchanged`, async (t) => {
    t.equal(await reverse(`${backend}-exact`, '(01) 23-45-67-89'), 'Fr Paris', 'the stored form');
    t.equal(await reverse(`${backend}-exact`, '0123456789'), null, 'another form does not match');
    t.equal(await reverse(`${backend}-exact`, '+44 20 7946 0958'), 'Uk London');
    t.equal(await reverse(`${backend}-exact`, '+442079460958'), null);
  });

  t.test(`${backend}: default region from the tenant country; suffix mode`, async (t) => {
    t.equal(await reverse(`${backend}-tenant`, '0123456789'), 'Fr Paris', 'the tenant is in FR');
    t.equal(await reverse(`${backend}-tenant`, '+33 1 23 45 67 89'), 'Fr Paris');
    t.equal(await reverse(`${backend}-suffix`, '+33 1 23 45 67 89'), 'Fr Paris');
    t.equal(await reverse(`${backend}-suffix`, '1-415-555-2671'), 'Us Sf');
    t.equal(await reverse(`${backend}-suffix`, '+33 1 23 45 67 88'), null);
    t.equal(await reverse(`${backend}-suffix`, '555 2671'), null, 'fewer than 9 digits');
    t.equal(await reverse(`${backend}-suffix7`, '555 2671'), 'Us Sf', 'suffix_digits 7');
  });

  t.test(`${backend}: GraphQL contacts uses the same matching`, async (t) => {
    const query = 'query($p: String, $e: [String]) { me { contacts(profile: $p, extens: $e) { edges { node { wazoReverse } } } } }';
    const ask = async (profile: string, extens: string[]) => {
      const reply = await dird.inject({ method: 'POST', url: '/0.1/graphql', headers, payload: { query, variables: { p: profile, e: extens } } });
      return reply.json().data.me.contacts.edges.map((edge: any) => edge.node?.wazoReverse ?? null);
    };
    const extens = ['0033 1 23 45 67 89', '+1 (415) 555-2671', '1001', '0999999999'];
    t.same(await ask(`${backend}-fr`, extens), ['Fr Paris', 'Us Sf', 'Ext', null]);
    t.same(await ask(`${backend}-exact`, extens), [null, null, 'Ext', null], 'exact profile: only the exact value');
  });
}

t.test('personal: a new contact is found by the next lookup (the worker index follows writes)', async (t) => {
  t.equal(await reverse('personal-fr', '+33 6 12 34 56 78'), null);
  const created = await call('POST', '/0.1/personal', { name: 'Fr Mobile', number: '06 12 34 56 78' });
  t.equal(await reverse('personal-fr', '+33 6 12 34 56 78'), 'Fr Mobile');
  await call('PUT', `/0.1/personal/${created.id}`, { name: 'Fr Mobile', number: '06 12 34 56 79' });
  t.equal(await reverse('personal-fr', '+33 6 12 34 56 78'), null, 'an edited number is no longer found');
  t.equal(await reverse('personal-fr', '0033612345679'), 'Fr Mobile');
});

t.test("personal: every write is seen by the next lookup, also when the host answers from the user's published answers", async (t) => {
  const created = await call('POST', '/0.1/personal', { name: 'Round 0', number: '06 55 00 00 00' });
  for (let round = 1; round <= 5; round++) {
    t.equal(await reverse('personal-fr', '+33 6 55 00 00 00'), `Round ${round - 1}`);
    // Time for the worker to publish this version of the user's answers: the next lookups read them in the host.
    await new Promise((resolve) => setTimeout(resolve, 100));
    t.equal(await reverse('personal-fr', '0655000000'), `Round ${round - 1}`);
    await call('PUT', `/0.1/personal/${created.id}`, { name: `Round ${round}`, number: '06 55 00 00 00' });
  }
  t.equal(await reverse('personal-fr', '+33 6 55 00 00 00'), 'Round 5');
  await call('DELETE', `/0.1/personal/${created.id}`);
  t.equal(await reverse('personal-fr', '+33 6 55 00 00 00'), null, 'a deleted contact is no longer found');
});

t.test('phonebook: a new contact is found by the next lookup', async (t) => {
  t.equal(await reverse('phonebook-fr', '+33 6 98 76 54 32'), null);
  await call('POST', `/0.1/phonebooks/${book.uuid}/contacts`, { name: 'Pb Mobile', number: '06.98.76.54.32' });
  t.equal(await reverse('phonebook-fr', '+33 6 98 76 54 32'), 'Pb Mobile');
});

t.test('profile validation of the number-matching options', async (t) => {
  const post = (name: string, options: Record<string, unknown>) =>
    dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: { name, services: { reverse: { sources: [{ uuid: csv.uuid }], options } } } });
  const ok = await post('valid-matching', { number_matching: 'e164', default_region: 'GB', suffix_digits: 8 });
  t.equal(ok.statusCode, 201, ok.body);
  t.same(ok.json().services.reverse.options, { number_matching: 'e164', default_region: 'GB', suffix_digits: 8 }, 'stored and returned');
  for (const [option, value] of [
    ['number_matching', 'fuzzy'], ['number_matching', 1], ['default_region', 'XX'], ['default_region', 'fr'], ['default_region', 'FRA'],
    ['suffix_digits', 5], ['suffix_digits', 7.5], ['suffix_digits', 16], ['suffix_digits', 'nine'],
  ] as const) {
    const bad = await post(`bad-${option}-${value}`, { number_matching: 'e164', [option]: value });
    t.equal(bad.statusCode, 400, `${option} ${JSON.stringify(value)}`);
    const detail = bad.json().details?.[`services.reverse.options.${option}`];
    t.ok(detail?.[0]?.message, `the body names the option and says why (${bad.body.slice(0, 200)})`);
  }
});
