// A small pool of LDAP connections for one source: each opened with StartTLS and bind as configured,
// replaced when it drops (a restarted server is picked up again on the next call), never reconnected
// behind our back without its TLS and bind.
import { readFileSync } from 'node:fs';
import { connect as netConnect, isIP } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { Client, type Entry, type SearchOptions } from 'ldapts';

export interface ConnectionSettings {
  url: string;
  baseDn: string;
  username: string | null;
  password: string | null;
  startTls: boolean;
  caFile: string | null;
  /** 0 means no limit. */
  networkTimeoutMs: number;
  operationTimeoutMs: number;
}

interface Slot {
  client: Client | null;
  opening: Promise<Client> | null;
  inFlight: number;
}

export class ConnectionPool {
  private readonly slots: Slot[];
  private closed = false;

  constructor(private readonly settings: ConnectionSettings, size: number) {
    this.slots = Array.from({ length: size }, () => ({ client: null, opening: null, inFlight: 0 }));
  }

  /** Opens one connection now, so the first lookup does not pay for it. */
  async warm(): Promise<void> {
    await this.connected(this.slots[0]);
  }

  /** A subtree search from the base DN on the least busy connection; retried once on a dropped connection. */
  async search(options: SearchOptions): Promise<Entry[]> {
    const slot = this.slots.reduce((best, slot) => (slot.inFlight < best.inFlight ? slot : best));
    slot.inFlight++;
    try {
      for (let attempt = 0; ; attempt++) {
        const client = await this.connected(slot);
        try {
          const result = await client.search(this.settings.baseDn, { scope: 'sub', ...options });
          return result.searchEntries;
        } catch (err) {
          if (client.isConnected) throw err;
          this.drop(slot, client);
          if (attempt > 0 || isTimeout(err)) throw err;
        }
      }
    } finally {
      slot.inFlight--;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map(async (slot) => {
      const client = slot.client ?? (await slot.opening?.catch(() => null));
      slot.client = null;
      await client?.unbind().catch(() => {});
    }));
  }

  private connected(slot: Slot): Promise<Client> {
    if (slot.client?.isConnected) return Promise.resolve(slot.client);
    if (slot.client) this.drop(slot, slot.client);
    if (!slot.opening) {
      slot.opening = this.open().then(
        (client) => {
          slot.opening = null;
          if (this.closed) {
            client.unbind().catch(() => {});
            throw new Error('ldap source closed');
          }
          slot.client = client;
          return client;
        },
        (err) => {
          slot.opening = null;
          throw err;
        },
      );
    }
    return slot.opening;
  }

  private drop(slot: Slot, client: Client): void {
    if (slot.client === client) slot.client = null;
    client.unbind().catch(() => {});
  }

  private async open(): Promise<Client> {
    const { url, username, password, startTls, caFile, networkTimeoutMs, operationTimeoutMs } = this.settings;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const tlsOptions: ConnectionOptions = { host, ...(isIP(host) ? {} : { servername: host }) };
    if (caFile) tlsOptions.ca = readFileSync(caFile);
    const secure = url.toLowerCase().startsWith('ldaps:');
    // ldapts reconnects a dropped client transparently, without StartTLS or bind: each client may
    // open its socket once, a dropped one is replaced by a new client.
    let opened = false;
    const once = <F extends (...args: any[]) => any>(connect: F) => ((...args: Parameters<F>) => {
      if (opened) throw new Error('LDAP connection lost');
      opened = true;
      return connect(...args);
    }) as F;
    const client = new Client({
      url,
      // ldapts speaks TLS from the start whenever tlsOptions are given.
      ...(secure ? { tlsOptions } : {}),
      strictDN: false,
      connectTimeout: networkTimeoutMs > 0 ? networkTimeoutMs : undefined,
      timeout: operationTimeoutMs > 0 ? operationTimeoutMs : undefined,
      ...(secure ? { createSecureConnection: once(tlsConnect) } : { createConnection: once(netConnect) }),
    });
    try {
      if (startTls && !secure) await client.startTLS(tlsOptions);
      // An anonymous bind too: it opens the connection now, so a dead server is seen here.
      await client.bind(username ?? '', password ?? '');
      return client;
    } catch (err) {
      await client.unbind().catch(() => {});
      throw err;
    }
  }
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timed? ?out/i.test(err.message);
}
