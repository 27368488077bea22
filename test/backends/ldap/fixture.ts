// The directory the ldap tests search: a few people with accents and special characters, and a bulk
// of entries beyond the server's size limit.
import t from 'tap';
import LdapBackend from '../../../plugins/backends/ldap/index.js';
import type { SourceConfig } from '../../../src/contracts.js';
import { PEOPLE_DN, person, type LdapEntry } from '../../helpers/slapd.js';

export const GUIDS = {
  alice: '00112233-4455-6677-8899-aabbccddeeff',
  bob: 'f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f',
};
export const SIZE_LIMIT = 100;
export const BULK = 250;

const withGuid = (entry: LdapEntry, guid: string): LdapEntry => ({
  ...entry,
  objectClass: ['inetOrgPerson', 'dirdGuidHolder'],
  objectGUID: Buffer.from(guid.replaceAll('-', ''), 'hex'),
});

export const people: LdapEntry[] = [
  withGuid(person('alice', {
    cn: 'Alice Ardent', givenName: 'Alice', sn: 'Ardent', telephoneNumber: '5551000001', mobile: '5552000001', l: 'Québec',
    mail: ['alice@example.org', 'alice.ardent@example.org'],
  }), GUIDS.alice),
  withGuid(person('bob', { cn: 'Bob Bernier', givenName: 'Bob', sn: 'Bernier', telephoneNumber: '5551000002', l: 'Montréal' }), GUIDS.bob),
  person('francois', { cn: 'François Garçon', givenName: 'François', sn: 'Garçon', telephoneNumber: '5551000003', l: 'Québec' }),
  person('weird', { cn: 'Weird (star*) Name', sn: 'Weird', telephoneNumber: '5551000004', l: 'Paris' }),
  ...Array.from({ length: BULK }, (_, i) => person(`bulk${i}`, { cn: `Bulk Person ${i}`, sn: 'Bulk', telephoneNumber: String(5559000000 + i) })),
];

/**
 * An ldap back-end loaded in the test process (no sandbox) on the slapd at `url`: matched on
 * telephoneNumber and mobile, generous timeouts; `extra` overrides. Unloaded at the test's end.
 */
export async function loadLdap(url: string, extra: Partial<SourceConfig> = {}): Promise<LdapBackend> {
  const loaded = new LdapBackend();
  await loaded.load({
    config: {
      uuid: 'u', tenant_uuid: 't', name: 'direct', backend: 'ldap', ldap_uri: url, ldap_base_dn: PEOPLE_DN,
      searched_columns: ['cn'], first_matched_columns: ['telephoneNumber', 'mobile'],
      format_columns: { name: '{cn}' }, ldap_network_timeout: 5, ldap_timeout: 5, ...extra,
    } as SourceConfig,
    main_config: {},
    host: { log: async () => {} },
  });
  t.teardown(() => loaded.unload());
  return loaded;
}
