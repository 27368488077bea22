// Who sees which phonebook: master (parent of sub), sub, and other (unrelated), with and without
// Wazo-Tenant and recurse. Phonebook item routes see the request tenant only (spec §1.2).
import t from 'tap';
import type { Client, TokenName } from '../management/setup.js';
import { onEveryDatabase, postRaw } from './setup.js';

const tenantNames = ['master', 'sub', 'other'] as const;

await onEveryDatabase(t, async (t, { as, dird }) => {
  const books: Record<string, { uuid: string; contact: string }> = {};
  for (const name of tenantNames) {
    const client = as(name === 'master' ? 'admin' : name);
    const { body } = await client.post('/0.1/phonebooks', { name: 'Shared name' });
    t.equal(body.tenant_uuid, dird.tenants[name], `created in ${name}`);
    const { body: contact } = await client.post(`/0.1/phonebooks/${body.uuid}/contacts`, { firstname: name });
    books[name] = { uuid: body.uuid, contact: contact.id };
  }
  const listed = async (client: Client, query: Record<string, string> = {}) =>
    ((await client.get('/0.1/phonebooks', query)).body.items as any[]).map((p) => p.tenant_uuid).sort();
  const uuidsOf = (...names: (keyof typeof dird.tenants)[]) => names.map((n) => dird.tenants[n]).sort();

  await t.test('lists', async (t) => {
    t.same(await listed(as('admin')), uuidsOf('master'));
    t.same(await listed(as('admin'), { recurse: 'true' }), uuidsOf('master', 'sub'), 'recurse adds sub-tenants');
    t.same(await listed(as('admin', dird.tenants.sub)), uuidsOf('sub'), 'Wazo-Tenant of a sub-tenant');
    t.same(await listed(as('sub')), uuidsOf('sub'));
    t.same(await listed(as('sub'), { recurse: 'true' }), uuidsOf('sub'));
    t.same(await listed(as('other'), { recurse: 'true' }), uuidsOf('other'));
    t.equal((await as('admin', dird.tenants.other).get('/0.1/phonebooks')).status, 401, 'a tenant the token cannot see');
    t.equal((await as('sub', dird.tenants.master).get('/0.1/phonebooks')).status, 401, 'nor its parent');
    t.equal((await as('other', dird.tenants.sub).get('/0.1/phonebooks')).status, 401);
  });

  const cases: [TokenName, string | undefined, keyof typeof books, boolean][] = [
    ['admin', undefined, 'master', true],
    ['admin', undefined, 'sub', false],
    ['admin', dird.tenants.sub, 'sub', true],
    ['admin', undefined, 'other', false],
    ['sub', undefined, 'sub', true],
    ['sub', undefined, 'master', false],
    ['sub', undefined, 'other', false],
    ['other', undefined, 'other', true],
    ['other', undefined, 'master', false],
    ['other', undefined, 'sub', false],
  ];
  for (const [token, tenant, owner, allowed] of cases) {
    await t.test(`${token}${tenant ? ' as sub' : ''} on ${owner}'s phonebook: ${allowed ? 'allowed' : '404'}`, async (t) => {
      const client = as(token, tenant);
      const { uuid, contact } = books[owner];
      const item = `/0.1/phonebooks/${uuid}`;
      const expect = allowed ? 200 : 404;
      t.equal((await client.get(item)).status, expect, 'GET phonebook');
      t.equal((await client.get(`${item}/contacts`)).status, expect, 'GET contacts');
      t.equal((await client.get(`${item}/contacts/${contact}`)).status, expect, 'GET contact');
      if (allowed) return;
      // Writes are refused and change nothing.
      t.equal((await client.put(item, { name: 'Hijacked' })).status, 404, 'PUT phonebook');
      t.equal((await client.post(`${item}/contacts`, { firstname: 'intruder' })).status, 404, 'POST contact');
      t.equal((await client.put(`${item}/contacts/${contact}`, { firstname: 'intruder' })).status, 404, 'PUT contact');
      t.equal((await client.delete(`${item}/contacts/${contact}`)).status, 404, 'DELETE contact');
      if (!tenant) t.equal((await postRaw(dird, `${item}/contacts/import`, 'firstname\nintruder\n', 'text/csv', token)).status, 404, 'import');
      t.equal((await client.delete(item)).status, 404, 'DELETE phonebook');
      const ownerClient = as(owner === 'master' ? 'admin' : (owner as TokenName));
      t.same((await ownerClient.get(item)).body.name, 'Shared name', 'the phonebook is untouched');
      t.same((await ownerClient.get(`${item}/contacts`)).body.items.map((c: any) => c.firstname), [owner], 'its contacts too');
    });
  }

  await t.test('phonebook sources follow the same tenants', async (t) => {
    const sub = await as('sub').post('/0.1/backends/phonebook/sources', { phonebook_uuid: books.master.uuid });
    t.equal(sub.status, 404, "a sub-tenant cannot make a source of its parent's phonebook");
    const other = await as('other').post('/0.1/backends/phonebook/sources', { phonebook_uuid: books.sub.uuid });
    t.equal(other.status, 404);
  });
});
