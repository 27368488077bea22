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

/** A client and whether its socket is still open (ldapts loses track of it after StartTLS). */
interface Connection {
  client: Client;
  closed: boolean;
}

interface Slot {
  client: Connection | null;
  opening: Promise<Connection> | null;
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
        const connection = await this.connected(slot);
        try {
          const result = await connection.client.search(this.settings.baseDn, { scope: 'sub', ...options });
          return result.searchEntries;
        } catch (err) {
          if (isOpen(connection)) throw err;
          this.drop(slot, connection);
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
      const connection = slot.client ?? (await slot.opening?.catch(() => null));
      slot.client = null;
      await connection?.client.unbind().catch(() => {});
    }));
  }

  private connected(slot: Slot): Promise<Connection> {
    if (slot.client && isOpen(slot.client)) return Promise.resolve(slot.client);
    if (slot.client) this.drop(slot, slot.client);
    if (!slot.opening) {
      slot.opening = this.open().then(
        (connection) => {
          slot.opening = null;
          if (this.closed) {
            connection.client.unbind().catch(() => {});
            throw new Error('ldap source closed');
          }
          slot.client = connection;
          return connection;
        },
        (err) => {
          slot.opening = null;
          throw err;
        },
      );
    }
    return slot.opening;
  }

  private drop(slot: Slot, connection: Connection): void {
    if (slot.client === connection) slot.client = null;
    connection.closed = true;
    connection.client.unbind().catch(() => {});
  }

  private async open(): Promise<Connection> {
    const { url, username, password, startTls, caFile, networkTimeoutMs, operationTimeoutMs } = this.settings;
    const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
    const tlsOptions: ConnectionOptions = { host, ...(isIP(host) ? {} : { servername: host }) };
    if (caFile) tlsOptions.ca = readFileSync(caFile);
    const secure = url.toLowerCase().startsWith('ldaps:');
    // ldapts reconnects a dropped client transparently, without StartTLS or bind: each client may
    // open its socket once, a dropped one is replaced by a new client.
    let opened = false;
    let connection: Connection | null = null;
    let closedEarly = false;
    const once = <F extends (...args: any[]) => any>(connect: F) => ((...args: Parameters<F>) => {
      if (opened) throw new Error('LDAP connection lost');
      opened = true;
      const socket = connect(...args);
      socket.once('close', () => {
        if (connection) connection.closed = true;
        else closedEarly = true;
      });
      return socket;
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
      connection = { client, closed: closedEarly };
      return connection;
    } catch (err) {
      await client.unbind().catch(() => {});
      throw err;
    }
  }
}

function isOpen(connection: Connection): boolean {
  return !connection.closed && connection.client.isConnected;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && /timed? ?out/i.test(err.message);
}
