// The ldap back-end over TLS against a real slapd: ldaps:// and StartTLS, verified with the source's CA
// file; an unknown CA answers nothing. A StartTLS source keeps its TLS when it reconnects.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { http, startDird } from '../../helpers/dird.js';
import { makeCertificates } from '../../helpers/certificates.js';
import { PEOPLE_DN, READER_DN, READER_PASSWORD, startSlapd } from '../../helpers/slapd.js';
import { people } from './fixture.js';

const work = mkdtempSync(join(tmpdir(), 'dird-ldap-tls-'));
t.teardown(() => rmSync(work, { recursive: true, force: true }));
const { ca, cert, key } = makeCertificates(work);
const slapd = await startSlapd({ entries: people.slice(0, 3), tls: { cert, key } });
t.teardown(() => slapd.close());
const dird = await startDird();
t.teardown(() => dird.close());
const api = (method: string, path: string, body?: unknown) => http(dird.url, method, path, body);
const display = (await api('POST', '/0.1/displays', { name: 'tls', columns: [{ title: 'Name', field: 'name' }] })).body;

let count = 0;
/** A profile over one ldap source with the given fields; answers the names a lookup finds. */
async function searcher(extra: Record<string, unknown>) {
  const source = await api('POST', '/0.1/backends/ldap/sources', {
    name: `tls${++count}`, ldap_base_dn: PEOPLE_DN, ldap_username: READER_DN, ldap_password: READER_PASSWORD,
    ldap_network_timeout: 5, ldap_timeout: 5,
    searched_columns: ['cn'], first_matched_columns: ['telephoneNumber'], format_columns: { name: '{cn}', reverse: '{cn}' },
    ...extra,
  });
  if (source.status !== 200) throw new Error(JSON.stringify(source.body));
  const name = `tls${count}`;
  await api('POST', '/0.1/profiles', {
    name, display: { uuid: display.uuid }, services: { lookup: { sources: [{ uuid: source.body.uuid }], options: { timeout: 15 } } },
  });
  return async (term: string) => {
    const { status, body } = await api('GET', `/0.1/directories/lookup/${name}?term=${term}`);
    if (status !== 200) throw new Error(JSON.stringify(body));
    return body.results.map((r: any) => r.column_values[0]);
  };
}

t.test('ldaps:// with the CA file', async (t) => {
  t.same(await (await searcher({ ldap_uri: slapd.ldapsUrl, ldap_tls_ca_file: ca }))('bob'), ['Bob Bernier']);
});

t.test('ldaps:// with an unknown CA answers nothing', async (t) => {
  t.same(await (await searcher({ ldap_uri: slapd.ldapsUrl }))('bob'), []);
});

t.test('StartTLS with the CA file, also after the server restarted', async (t) => {
  const search = await searcher({ ldap_uri: slapd.url, ldap_starttls: true, ldap_tls_ca_file: ca });
  t.same(await search('bob'), ['Bob Bernier']);
  await slapd.stop();
  t.same(await search('bob'), []);
  await slapd.start();
  t.same(await search('bob'), ['Bob Bernier']);
});

t.test('StartTLS with an unknown CA answers nothing', async (t) => {
  t.same(await (await searcher({ ldap_uri: slapd.url, ldap_starttls: true }))('bob'), []);
});
