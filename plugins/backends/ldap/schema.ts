// The ldap back-end's own source fields (spec §4 table), plus TLS options beyond upstream.
const nullableString = (maxLength: number) => ({
  anyOf: [{ type: 'string', minLength: 1, maxLength }, { type: 'null' }],
  default: null,
});

export const configSchema: Record<string, unknown> = {
  type: 'object',
  properties: {
    ldap_uri: { type: 'string', minLength: 1, maxLength: 256, pattern: '^[lL][dD][aA][pP][sS]?://' },
    ldap_base_dn: { type: 'string', minLength: 1, maxLength: 1024 },
    ldap_username: nullableString(1024),
    ldap_password: nullableString(1024),
    ldap_custom_filter: nullableString(1024),
    /** Seconds to open the TCP (and TLS) connection; absent means 0.3. */
    ldap_network_timeout: { type: 'number', minimum: 0 },
    /** Seconds for one LDAP operation; absent means 1.0. */
    ldap_timeout: { type: 'number', minimum: 0 },
    unique_column: nullableString(128),
    unique_column_format: { type: 'string', enum: ['string', 'binary_uuid'], default: 'string' },
    /** Upgrade an ldap:// connection with StartTLS before binding. */
    ldap_starttls: { type: 'boolean', default: false },
    /** PEM file of the CA(s) that sign the server's certificate; null means the system's CAs. */
    ldap_tls_ca_file: nullableString(1024),
  },
  required: ['ldap_uri', 'ldap_base_dn'],
};
