// Directory queries through the HTTP API on both stores: lookup, lookup for a user, headers, reverse.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { packageRoot } from '../../src/config/load.js';
import { databases, useDatabase } from '../helpers/databases.js';
import { http, startDird, tokens } from '../helpers/dird.js';

const people = join(packageRoot, 'test/fixtures/csv-core/people.csv');

for (const database of databases) {
  t.test(database.name, async (t) => {
    const dird = await startDird({ dbUri: await useDatabase(t, database) });
    t.teardown(() => dird.close());
    const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
      http(dird.url, method, path, body, headers);
    const work = mkdtempSync(join(tmpdir(), 'dird-dir-'));
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const editable = join(work, 'editable.csv');
    copyFileSync(people, editable);

    const display = (await api('POST', '/0.1/displays', {
      name: 'main',
      columns: [
        { title: 'Firstname', field: 'firstname' },
        { title: 'Lastname', field: 'lastname', type: 'name' },
        { title: 'Number', field: 'phone', type: 'number' },
        { title: 'Missing', field: 'nope' },
        { title: 'Defaulted', field: 'nope', default: 'dflt' },
        { title: 'Fieldless', default: 'static' },
      ],
    })).body;
    const csv = (await api('POST', '/0.1/backends/csv/sources', {
      name: 'people', file: editable, unique_column: 'id',
      searched_columns: ['firstname', 'lastname'], first_matched_columns: ['number'],
      format_columns: { phone: '{number}', reverse: '{firstname} {lastname}' },
    })).body;
    const sample = (await api('POST', '/0.1/backends/sample/sources', { name: 'sample', searched_columns: ['firstname'] })).body;
    const sources = [{ uuid: csv.uuid }, { uuid: sample.uuid }];
    const profile = await api('POST', '/0.1/profiles', {
      name: 'main', display: { uuid: display.uuid },
      services: { lookup: { sources, options: { timeout: 2 } }, reverse: { sources, options: { timeout: 1 } } },
    });
    t.equal(profile.status, 201, 'profile created');

    t.test('lookup formats results with the profile display', async (t) => {
      const { status, body } = await api('GET', '/0.1/directories/lookup/main?term=ALI');
      t.equal(status, 200);
      t.same(body.column_headers, ['Firstname', 'Lastname', 'Number', 'Missing', 'Defaulted', 'Fieldless']);
      t.same(body.column_types, [null, 'name', 'number', null, null, null]);
      t.equal(body.term, 'ALI');
      t.same(body.results.filter((r: any) => r.source === 'people'), [{
        column_values: ['Alice', 'Ardent', '5551000001', null, 'dflt', 'static'],
        relations: { xivo_id: null, agent_id: null, user_id: null, user_uuid: null, endpoint_id: null, source_entry_id: '1' },
        source: 'people',
        backend: 'csv',
      }]);
    });

    t.test('an empty term matches everything searchable; several sources are merged', async (t) => {
      const { body } = await api('GET', '/0.1/directories/lookup/main?term=');
      t.same(body.results.map((r: any) => r.source).sort(), ['people', 'people', 'sample']);
    });

    t.test('lookup for a user and headers', async (t) => {
      const byUser = await api('GET', `/0.1/directories/lookup/main/${dird.users.admin}?term=bob`);
      t.equal(byUser.status, 200);
      t.same(byUser.body.results.map((r: any) => r.column_values[0]).sort(), ['Bob', 'John'], 'csv match and the sample entry');
      const headers = await api('GET', '/0.1/directories/lookup/main/headers');
      t.same(headers.body, {
        column_headers: ['Firstname', 'Lastname', 'Number', 'Missing', 'Defaulted', 'Fieldless'],
        column_types: [null, 'name', 'number', null, null, null],
      });
    });

    t.test('reverse finds the first match, or answers an empty match', async (t) => {
      const found = await api('GET', `/0.1/directories/reverse/main/${dird.users.admin}?exten=5551000002`);
      t.equal(found.status, 200);
      t.equal(found.body.display, 'Bob Bernier');
      t.equal(found.body.source, 'people');
      t.equal(found.body.fields.lastname, 'Bernier');
      const sampleHit = await api('GET', `/0.1/directories/reverse/main/${dird.users.admin}?exten=555`);
      t.equal(sampleHit.body.source, 'sample', 'a second source can answer');
      const miss = await api('GET', `/0.1/directories/reverse/main/${dird.users.admin}?exten=0000`);
      t.same(miss.body, { display: null, exten: '0000', fields: {}, source: null });
    });

    t.test('errors: unknown profile, missing parameters, auth', async (t) => {
      const unknown = await api('GET', '/0.1/directories/lookup/nope?term=a');
      t.equal(unknown.status, 404);
      t.match(unknown.body, { reason: ['The profile `nope` does not exist'], status_code: 404 });
      t.ok(Array.isArray(unknown.body.timestamp), 'legacy error shape');
      const unknownForUser = await api('GET', `/0.1/directories/lookup/nope/${dird.users.admin}?term=a`);
      t.match(unknownForUser.body, { error_id: 'unknown-profile', details: { uuid: 'nope' } });
      t.same((await api('GET', '/0.1/directories/lookup/main')).body, { message: { term: 'term is missing' } });
      const noExten = await api('GET', `/0.1/directories/reverse/main/${dird.users.admin}`);
      t.equal(noExten.status, 400);
      t.same(noExten.body, { message: { exten: 'Missing required parameter in the query string' } });
      const noToken = await api('GET', '/0.1/directories/lookup/main?term=a', undefined, { 'X-Auth-Token': '' });
      t.equal(noToken.status, 401);
      const noAcl = await api('GET', '/0.1/directories/lookup/main?term=a', undefined, { 'X-Auth-Token': tokens.noacl });
      t.equal(noAcl.status, 401);
      t.equal(noAcl.body.status_code, 401, 'auth errors keep the legacy shape on legacy routes');
    });

    t.test('profiles are looked up in the request tenant only', async (t) => {
      const sub = await api('GET', '/0.1/directories/lookup/main?term=a', undefined, { 'X-Auth-Token': tokens.sub });
      t.equal(sub.status, 404, 'a sub-tenant does not see its parent profile');
      const other = await api('GET', '/0.1/directories/lookup/main?term=a', undefined, { 'X-Auth-Token': tokens.other });
      t.equal(other.status, 404);
      const viaHeader = await api('GET', '/0.1/directories/lookup/main?term=a', undefined, { 'Wazo-Tenant': dird.tenants.sub });
      t.equal(viaHeader.status, 404, 'Wazo-Tenant selects the sub-tenant');
      const reverse = (headers: Record<string, string>) => api('GET', `/0.1/directories/reverse/main/${dird.users.admin}?exten=5551000002`, undefined, headers);
      t.equal((await reverse({})).body.display, 'Bob Bernier', 'the profile is known in its own tenant');
      t.equal((await reverse({ 'X-Auth-Token': tokens.sub })).status, 404, 'reverse: not from a sub-tenant token');
      t.equal((await reverse({ 'Wazo-Tenant': dird.tenants.sub })).status, 404, 'reverse: not with Wazo-Tenant of a sub-tenant');
    });

    t.test('csv edits are visible on the next query', async (t) => {
      writeFileSync(editable, 'id,firstname,lastname,number\n7,Zed,Zulu,5557\n');
      const later = new Date(Date.now() + 5000);
      utimesSync(editable, later, later);
      let names: string[] = [];
      for (let attempt = 0; attempt < 20 && !names.includes('Zed'); attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        names = (await api('GET', '/0.1/directories/lookup/main?term=z')).body.results
          .filter((r: any) => r.source === 'people').map((r: any) => r.column_values[0]);
      }
      t.same(names, ['Zed']);
    });

    t.test('a source update changes the next lookup', async (t) => {
      const put = await api('PUT', `/0.1/backends/csv/sources/${csv.uuid}`, {
        name: 'people', file: editable, unique_column: 'id',
        searched_columns: ['firstname'], first_matched_columns: ['number'],
        format_columns: { phone: 'tel:{number}', reverse: '{lastname}, {firstname}' },
      });
      t.equal(put.status, 204);
      const { body } = await api('GET', '/0.1/directories/lookup/main?term=zed');
      t.equal(body.results.find((r: any) => r.source === 'people').column_values[2], 'tel:5557');
      const reverse = await api('GET', `/0.1/directories/reverse/main/${dird.users.admin}?exten=5557`);
      t.equal(reverse.body.display, 'Zulu, Zed');
    });

    t.test('a profile update changes the next reverse lookup', async (t) => {
      const reverse = () => api('GET', `/0.1/directories/reverse/main/${dird.users.admin}?exten=5557`);
      t.equal((await reverse()).body.source, 'people');
      const put = await api('PUT', `/0.1/profiles/${profile.body.uuid}`, {
        name: 'main', display: { uuid: display.uuid },
        services: { lookup: { sources, options: { timeout: 2 } }, reverse: { sources: [{ uuid: sample.uuid }], options: { timeout: 1 } } },
      });
      t.equal(put.status, 204);
      t.same((await reverse()).body, { display: null, exten: '5557', fields: {}, source: null }, 'people is no longer asked');
    });
  });
}
