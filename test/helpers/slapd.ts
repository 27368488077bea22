// A real, throwaway OpenLDAP slapd for tests and benches: its own slapd.conf (mdb back-end), data
// directory and free port on 127.0.0.1, loaded offline with slapadd. Fails loudly when slapd is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'ldapts';

const SLAPD = ['/usr/sbin/slapd', '/usr/local/sbin/slapd'].find((path) => existsSync(path));
const SLAPADD = ['/usr/sbin/slapadd', '/usr/local/sbin/slapadd'].find((path) => existsSync(path));
const SCHEMAS = '/etc/ldap/schema';
const MODULES = ['/usr/lib/ldap', '/usr/lib/x86_64-linux-gnu/ldap', '/usr/lib/aarch64-linux-gnu/ldap']
  .find((path) => existsSync(join(path, 'back_mdb.so')) || existsSync(join(path, 'back_mdb.la')));

export const BASE_DN = 'dc=example,dc=org';
export const PEOPLE_DN = `ou=people,${BASE_DN}`;
export const ADMIN_DN = `cn=admin,${BASE_DN}`;
export const ADMIN_PASSWORD = 'admin-secret';
/** A non-root account: unlike the rootdn, it is subject to the size limit. */
export const READER_DN = `cn=reader,${BASE_DN}`;
export const READER_PASSWORD = 'reader-secret';

/** An AD-like binary GUID attribute (OpenLDAP has none), with the equality rule AD gives it. */
const GUID_SCHEMA = `attributetype ( 1.3.6.1.4.1.99999.1.1 NAME 'objectGUID'
  EQUALITY octetStringMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 SINGLE-VALUE )
objectclass ( 1.3.6.1.4.1.99999.2.1 NAME 'dirdGuidHolder' SUP top AUXILIARY MAY objectGUID )
`;

export type LdapValue = string | Buffer | Array<string | Buffer>;
export type LdapEntry = { dn: string } & Record<string, LdapValue>;

export interface SlapdOptions {
  entries?: LdapEntry[];
  /** Entries a non-paged search may return (the server's size limit); paged searches are not capped. */
  sizeLimit?: number;
  /** PEM files: then slapd also listens with ldaps:// and accepts StartTLS. */
  tls?: { cert: string; key: string };
}

export interface Slapd {
  url: string;
  port: number;
  ldapsUrl: string | null;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** An inetOrgPerson under ou=people. */
export function person(uid: string, attributes: Record<string, LdapValue>): LdapEntry {
  return { dn: `uid=${uid},${PEOPLE_DN}`, objectClass: ['inetOrgPerson'], uid, ...attributes };
}

export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  if (!SLAPD || !SLAPADD || !MODULES) {
    throw new Error('slapd is not installed (Debian: apt-get install slapd ldap-utils); the LDAP tests need a real one');
  }
  const work = mkdtempSync(join(tmpdir(), 'dird-slapd-'));
  const data = join(work, 'data');
  mkdirSync(data);
  writeFileSync(join(work, 'guid.schema'), GUID_SCHEMA);
  const limit = options.sizeLimit ?? 500;
  const tls = options.tls
    ? `TLSCertificateFile ${options.tls.cert}\nTLSCertificateKeyFile ${options.tls.key}\n`
    : '';
  const conf = join(work, 'slapd.conf');
  writeFileSync(conf, `include ${SCHEMAS}/core.schema
include ${SCHEMAS}/cosine.schema
include ${SCHEMAS}/inetorgperson.schema
include ${join(work, 'guid.schema')}
pidfile ${join(work, 'slapd.pid')}
modulepath ${MODULES}
moduleload back_mdb
${tls}database mdb
maxsize 268435456
suffix "${BASE_DN}"
rootdn "${ADMIN_DN}"
rootpw ${ADMIN_PASSWORD}
directory ${data}
limits * size.soft=${limit} size.hard=${limit} size.prtotal=unlimited
index objectClass eq
index telephoneNumber,mobile eq
index cn,sn,givenName eq,sub
`);
  const entries: LdapEntry[] = [
    { dn: BASE_DN, objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' },
    { dn: PEOPLE_DN, objectClass: ['organizationalUnit'], ou: 'people' },
    { dn: READER_DN, objectClass: ['person', 'simpleSecurityObject'], cn: 'reader', sn: 'reader', userPassword: READER_PASSWORD },
    ...(options.entries ?? []),
  ];
  const ldif = join(work, 'data.ldif');
  writeFileSync(ldif, entries.map(toLdif).join('\n'));
  const added = spawnSync(SLAPADD, ['-q', '-f', conf, '-l', ldif], { encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`slapadd failed: ${added.stderr}`);

  const port = await freePort();
  const tlsPort = options.tls ? await freePort() : null;
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = tlsPort ? `ldaps://127.0.0.1:${tlsPort}` : null;
  let child: ChildProcess | null = null;

  const start = async () => {
    const listeners = [`${url}/`, ...(ldapsUrl ? [`${ldapsUrl}/`] : [])].join(' ');
    const proc = spawn(SLAPD, ['-d', '0', '-f', conf, '-h', listeners], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr!.on('data', (chunk) => { stderr += chunk; });
    for (let attempt = 0; attempt < 200; attempt++) {
      if (proc.exitCode !== null) throw new Error(`slapd exited with ${proc.exitCode}: ${stderr}`);
      if (await answers(url)) return;
      await sleep(25);
    }
    proc.kill('SIGKILL');
    throw new Error(`slapd did not answer on ${url} within 5 s: ${stderr}`);
  };
  const stop = async () => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  };
  await start();
  return {
    url, port, ldapsUrl, start, stop,
    async close() {
      await stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ url, connectTimeout: 200, timeout: 500 });
  try {
    await client.bind(READER_DN, READER_PASSWORD);
    return true;
  } catch {
    return false;
  } finally {
    await client.unbind().catch(() => {});
  }
}

function toLdif(entry: LdapEntry): string {
  const lines = [line('dn', entry.dn)];
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'dn') continue;
    for (const one of Array.isArray(value) ? value : [value]) lines.push(line(name, one));
  }
  return lines.join('\n') + '\n';
}

/** Plain when safe, else base64 (non-ASCII, binary, leading space/colon/<). */
function line(name: string, value: string | Buffer): string {
  if (typeof value === 'string' && /^[\x21-\x39\x3b\x3d-\x7e][\x20-\x7e]*$/.test(value) && !value.endsWith(' ')) {
    return `${name}: ${value}`;
  }
  return `${name}:: ${Buffer.from(value).toString('base64')}`;
}
