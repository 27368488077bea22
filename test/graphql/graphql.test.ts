// POST /0.1/graphql (spec §2.10, §9): `me` / `user` contacts by numbers over csv and wazo sources, with
// a slow and a refusing confd in the profile; per-root-field ACLs; bad requests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { FakeWazoAuth } from '../auth/fake-wazo-auth.js';
import { fakeConfd } from '../helpers/fake-confd.js';
import { http, startDird } from '../helpers/dird.js';

// The query the Wazo JS SDK's findMultipleContactsByNumber sends.
const SDK_QUERY = `
query GetMultipleContacts($profile: String!, $numbers: [String!]!) {
  me {
    userUuid
    contacts(profile: $profile, extens: $numbers) {
      edges {
        node {
          firstname
          lastname
          wazoReverse
          wazoBackend
          email
          wazoSourceEntryId
          wazoSourceName
          ... on WazoContact {
            userUuid
            userId
          }
        }
      }
    }
  }
}`;

const work = mkdtempSync(join(tmpdir(), 'dird-graphql-'));
const csv = (name: string, rows: string[]) => {
  const file = join(work, `${name}.csv`);
  writeFileSync(file, ['id,firstname,lastname,number,email', ...rows].join('\n') + '\n');
  return file;
};
const carol = 'cccccccc-0000-4000-8000-000000000003';
const auth = await new FakeWazoAuth({ tokens: {}, tenants: [], service: { username: 'svc', password: 'pw', tenant_uuid: '00000000-0000-4000-8000-00000000000a' } }).start();
const validToken = (token: string) => auth.knows(token);
const confdUsers = [{ id: 3, uuid: carol, firstname: 'Carol', lastname: 'Wazo', exten: '1003', line_id: 33 }];
const good = await fakeConfd({ uuid: 'x', users: confdUsers, validToken }).start();
const slow = await fakeConfd({ uuid: 'x', users: [{ id: 4, uuid: carol, firstname: 'Late', lastname: 'Answer', exten: '1004' }], validToken }).start();
slow.delayMs = 3000;
const refusing = await fakeConfd({ uuid: 'x', users: confdUsers, validToken }).start();
refusing.forcedStatus = 404;

const dird = await startDird({ config: { auth: { static_tokens: {
  'hello-only': { user_uuid: '00000000-0000-4000-8000-0000000000e1', tenant_uuid: '00000000-0000-4000-8000-00000000000a', acl: ['dird.graphql.hello'] },
} } } });
t.teardown(async () => {
  await dird.close();
  await Promise.all([auth.stop(), good.stop(), slow.stop(), refusing.stop()]);
});
const headers = { 'x-auth-token': dird.tokens.admin };

async function source(backend: string, payload: Record<string, unknown>) {
  const response = await dird.inject({ method: 'POST', url: `/0.1/backends/${backend}/sources`, headers, payload });
  if (response.statusCode !== 200) throw new Error(`${backend} source: ${response.body}`);
  return { uuid: response.json().uuid as string };
}
const format = { reverse: '{firstname} {lastname}' };
const wazo = (name: string, port: number) => source('wazo', {
  name, first_matched_columns: ['exten'], format_columns: format,
  auth: { host: '127.0.0.1', port: auth.port, https: false, prefix: null, username: 'svc', password: 'pw' },
  confd: { host: '127.0.0.1', port, https: false, prefix: null },
});
const sources = [
  await source('csv', { name: 'first', file: csv('first', ['1,Alice,Aa,1001,alice@example.com']), unique_column: 'id', first_matched_columns: ['number'], format_columns: format }),
  await source('csv', { name: 'second', file: csv('second', ['7,Bob,Bb,1002,']), unique_column: 'id', first_matched_columns: ['number'], format_columns: format }),
  await wazo('good', good.port),
  await wazo('slow', slow.port),
  await wazo('refusing', refusing.port),
];
await dird.inject({ method: 'POST', url: '/0.1/profiles', headers, payload: {
  name: 'default', services: { reverse: { sources, options: { timeout: 0.5 } } },
} });

const graphql = (body: unknown, token = dird.tokens.admin) => http(dird.url, 'POST', '/0.1/graphql', body, { 'X-Auth-Token': token });

// Sandboxes start and fetch their first token on first use: wait for that before the timed lookups.
for (let attempt = 0; attempt < 50; attempt++) {
  const warm = await graphql({ query: SDK_QUERY, variables: { profile: 'default', numbers: ['1003'] } });
  if (warm.body?.data?.me?.contacts?.edges?.[0]?.node) break;
}

t.test('the SDK query: one edge per number in input order, null where nothing matched', async (t) => {
  const numbers = ['1002', '9999', '1001', '1003', '1004'];
  const { status, body } = await graphql({ query: SDK_QUERY, variables: { profile: 'default', numbers } });
  t.equal(status, 200);
  t.equal(body.errors, undefined);
  t.equal(body.data.me.userUuid, dird.users.admin);
  const nodes = body.data.me.contacts.edges.map((edge: any) => edge.node);
  t.equal(nodes.length, numbers.length);
  t.same(nodes[0], { firstname: 'Bob', lastname: 'Bb', wazoReverse: 'Bob Bb', wazoBackend: 'csv', email: '', wazoSourceEntryId: '7', wazoSourceName: 'second' });
  t.equal(nodes[1], null, 'unknown number');
  t.match(nodes[2], { firstname: 'Alice', email: 'alice@example.com', wazoSourceName: 'first' });
  t.same(nodes[3], { firstname: 'Carol', lastname: 'Wazo', wazoReverse: 'Carol Wazo', wazoBackend: 'wazo', email: null, wazoSourceEntryId: '3', wazoSourceName: 'good', userUuid: carol, userId: 3 });
  t.equal(nodes[4], null, 'the slow source’s answer came after the profile timeout; the others are all there');
});

t.test('user(uuid) and edges with cursors and page info', async (t) => {
  const query = `{ user(uuid: "${carol}") { uuid contacts(profile: "default", extens: ["1001", "1002"], first: 1) {
    edges { cursor node { __typename firstname } } pageInfo { hasNextPage endCursor } } } }`;
  const { body } = await graphql({ query });
  t.equal(body.data.user.uuid, carol);
  t.same(body.data.user.contacts.edges.map((e: any) => e.node), [{ __typename: 'Contact', firstname: 'Alice' }]);
  t.equal(body.data.user.contacts.pageInfo.hasNextPage, true);
  t.equal(typeof body.data.user.contacts.edges[0].cursor, 'string');
});

t.test('no numbers: no edges; unknown or missing profile: an unknown-profile error', async (t) => {
  const empty = await graphql({ query: '{ me { contacts(profile: "default", extens: []) { edges { node { firstname } } } } }' });
  t.same(empty.body.data.me.contacts.edges, []);
  for (const args of ['profile: "nope", extens: ["1001"]', 'extens: ["1001"]']) {
    const { status, body } = await graphql({ query: `{ me { contacts(${args}) { edges { node { firstname } } } } }` });
    t.equal(status, 200);
    t.same(body.data, { me: { contacts: null } });
    t.equal(body.errors[0].extensions.error_id, 'unknown-profile');
    t.same(body.errors[0].path, ['me', 'contacts']);
  }
});

t.test('each root field checks its own ACL', async (t) => {
  const { status, body } = await graphql({ query: '{ hello me { userUuid } }' }, 'hello-only');
  t.equal(status, 200);
  t.same(body.data, { hello: 'world', me: null });
  t.equal(body.errors.length, 1);
  t.match(body.errors[0], { message: 'Unauthorized', path: ['me'], extensions: { error_id: 'unauthorized' } });
  t.equal(body.errors[0].extensions.details.required_access, 'dird.graphql.me');
  const none = await graphql({ query: '{ user(uuid: "x") { uuid } }' }, dird.tokens.noacl);
  t.same(none.body.data, { user: null });
  const schema = await graphql({ query: '{ __schema { queryType { name } } }' }, dird.tokens.noacl);
  t.same(schema.body, { data: { __schema: { queryType: { name: 'Query' } } } }, 'introspection needs no ACL');
});

t.test('bad requests are 400 with a message; GET runs ?query= like POST', async (t) => {
  t.same((await graphql({})).body, { errors: [{ message: 'Must provide query string.' }] });
  t.equal((await graphql({})).status, 400);
  const syntax = await graphql({ query: '{ me { ' });
  t.equal(syntax.status, 400);
  t.match(syntax.body.errors[0].message, /Syntax Error/);
  const unknownField = await graphql({ query: '{ nope }' });
  t.equal(unknownField.status, 400);
  t.match(unknownField.body.errors[0].message, /nope/);
  const badVariables = await graphql({ query: SDK_QUERY, variables: { profile: 'default' } });
  t.equal(badVariables.status, 400);
  t.match(badVariables.body.errors[0].message, /numbers/, 'the error names the missing variable');
  const wrongType = await graphql({ query: SDK_QUERY, variables: { profile: 'default', numbers: [{ n: 1 }] } });
  t.equal(wrongType.status, 400);
  t.equal(wrongType.body.data, undefined);
  const two = 'query A { hello } query B { me { userUuid } }';
  t.same((await graphql({ query: two, operationName: 'A' })).body, { data: { hello: 'world' } }, 'operationName picks the operation');
  t.same((await graphql({ query: two, operationName: 'B' })).body, { data: { me: { userUuid: dird.users.admin } } });
  const unnamed = await graphql({ query: two });
  t.equal(unnamed.status, 400, 'several operations and no operationName');
  t.match(unnamed.body.errors[0].message, /operation name/i);
  const unknownOperation = await graphql({ query: two, operationName: 'C' });
  t.equal(unknownOperation.status, 400);
  t.match(unknownOperation.body.errors[0].message, /C/);
  t.same((await graphql({ query: two, operationName: 'A' })).body, { data: { hello: 'world' } }, 'a refused name does not stick to the query');
  t.equal((await graphql([1, 2])).status, 400);
  const get = await http(dird.url, 'GET', '/0.1/graphql?query=%7Bhello%7D');
  t.same(get.body, { data: { hello: 'world' } });
  const getNone = await http(dird.url, 'GET', '/0.1/graphql');
  t.equal(getNone.status, 400);
  t.same(getNone.body, { errors: [{ message: 'Must provide query string.' }] });
});
