// Settings of wazo-auth and wazo-confd as a source stores them (spec §4 "auth", "confd" sub-schemas),
// their JSON schemas, and their base URLs.

export interface ServiceSettings {
  host: string;
  port: number;
  https: boolean;
  verify_certificate: boolean | string;
  prefix: string | null;
  version: string;
  timeout?: number;
}
export interface AuthSettings extends ServiceSettings {
  key_file?: string;
  username?: string;
  password?: string;
}

const verifyCertificate = {
  anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'false'] }, { type: 'string', minLength: 1 }],
  default: true,
};

function serviceSchema(prefix: string, version: string) {
  return {
    host: { type: 'string', minLength: 1, default: 'localhost' },
    port: { type: 'integer', minimum: 1, maximum: 65535, default: 443 },
    https: { type: 'boolean', default: true },
    verify_certificate: verifyCertificate,
    prefix: { type: ['string', 'null'], default: prefix },
    version: { type: 'string', minLength: 1, default: version },
    timeout: { type: 'number', minimum: 0, maximum: 3660 },
  };
}

/** `auth` of wazo and conference sources: exactly one of key_file or username (+password). */
export const fullAuthSchema = {
  type: 'object',
  properties: {
    ...serviceSchema('/api/auth', '0.1'),
    key_file: { type: 'string', minLength: 1 },
    username: { type: 'string', minLength: 1 },
    password: { type: 'string' },
  },
  oneOf: [
    { required: ['key_file'], not: { required: ['username'] } },
    { required: ['username', 'password'], not: { required: ['key_file'] } },
  ],
};

const noCredsDefaults = { host: 'localhost', port: 443, https: true, verify_certificate: true, prefix: '/api/auth', version: '0.1' };

/** `auth` of google and office365 sources: where to ask for the user's external token. */
export const authWithoutCredsSchema = {
  type: 'object',
  properties: serviceSchema('/api/auth', '0.1'),
  default: noCredsDefaults,
};

export const confdSchema = {
  type: 'object',
  properties: serviceSchema('/api/confd', '1.1'),
  default: { host: 'localhost', port: 443, https: true, verify_certificate: true, prefix: '/api/confd', version: '1.1' },
};

/** `http(s)://host:port[prefix]/version` with defaults filled in. */
export function baseUrl(settings: Partial<ServiceSettings> | undefined, defaults: { prefix: string; version: string }): string {
  const s = settings ?? {};
  const host = String(s.host ?? 'localhost');
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const prefix = s.prefix === undefined ? defaults.prefix : s.prefix ?? '';
  return `${s.https === false ? 'http' : 'https'}://${bracketed}:${Number(s.port ?? 443)}${prefix}/${s.version ?? defaults.version}`;
}

export const authBaseUrl = (auth: Partial<AuthSettings> | undefined) => baseUrl(auth, { prefix: '/api/auth', version: '0.1' });
export const confdBaseUrl = (confd: Partial<ServiceSettings> | undefined) => baseUrl(confd, { prefix: '/api/confd', version: '1.1' });

/** verify_certificate as the HTTP client takes it ("true"/"false" strings are booleans). */
export function verifyOption(value: unknown): boolean | string {
  if (value === false || value === 'false') return false;
  if (typeof value === 'string' && value !== 'true') return value;
  return true;
}

export function timeoutMs(settings: { timeout?: unknown } | undefined, fallbackS = 10): number {
  const timeout = Number(settings?.timeout);
  return (Number.isFinite(timeout) && timeout > 0 ? timeout : fallbackS) * 1000;
}
