// Several dird instances on one PostgreSQL database act as one service: every change published on one
// instance (a source, display or profile written, phonebook contacts touched) is relayed to the others
// with LISTEN/NOTIFY, so their caches and sandboxes drop what is stale before their next request.
//
// Why LISTEN/NOTIFY and not the RabbitMQ bus: it needs nothing besides the database the instances
// already share (and whose writes the messages describe), it works with the bus disabled, and a
// notification only goes out after the write it describes is committed: publishers call publish() once
// the store has returned, and NOTIFY is sent then on a pooled connection, as its own statement. It is
// not sent inside the write's transaction: that would thread the relay through every repository, and
// the only gap it would close is a process dying between its commit and its NOTIFY. Handling is
// idempotent (drop, re-read from the database on next use), so order and duplicates do not matter.
//
// One dedicated connection LISTENs. When it drops (database restart, pg_terminate_backend, network)
// it is reconnected with backoff; once LISTENing again, everything is invalidated (kind `all`), since
// notifications sent meanwhile were lost. A periodic ping notices a connection that died silently.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from 'pino';
import type { ChangeKind } from '../src/contracts.js';
import type { ChangeHub } from './changes.js';

export const CHANNEL = 'dird_changes';
/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more. */
const MAX_PAYLOAD = 7900;
const KINDS = new Set<ChangeKind>(['source', 'display', 'profile', 'phonebook', 'personal', 'tenant', 'all']);

export interface RelaySettings {
  initialBackoffMs: number;
  maxBackoffMs: number;
  pingMs: number;
  connectTimeoutMs: number;
}
const DEFAULTS: RelaySettings = { initialBackoffMs: 100, maxBackoffMs: 10_000, pingMs: 15_000, connectTimeoutMs: 10_000 };

/** On the wire: origin instance, kind, uuid, detail. */
interface Message {
  o: string;
  k: ChangeKind;
  u: string;
  d: string[] | null;
}

/** The payload of a change, shortened to what NOTIFY carries (less detail means more is re-read). */
export function encodeChange(origin: string, kind: ChangeKind, uuid: string, detail: string[] | null): string {
  const full = JSON.stringify({ o: origin, k: kind, u: uuid, d: detail } satisfies Message);
  if (Buffer.byteLength(full) <= MAX_PAYLOAD) return full;
  const coarse = JSON.stringify({ o: origin, k: kind, u: uuid, d: null } satisfies Message);
  if (Buffer.byteLength(coarse) <= MAX_PAYLOAD) return coarse;
  return JSON.stringify({ o: origin, k: 'all', u: '*', d: null } satisfies Message);
}

function decodeChange(payload: string): Message | null {
  const message = JSON.parse(payload);
  const valid = message && typeof message.o === 'string' && KINDS.has(message.k) && typeof message.u === 'string'
    && (message.d === null || (Array.isArray(message.d) && message.d.every((id: unknown) => typeof id === 'string')));
  return valid ? message : null;
}

export class ChangeRelay {
  /** This process; its own notifications come back to it and are skipped. */
  readonly instance = randomUUID();
  private readonly settings: RelaySettings;
  private client: pg.Client | null = null;
  private listening = false;
  private closed = false;
  /** Until the first attempt to listen ends, nothing can be cached from before it. */
  private firstAttempt = true;
  private backoffMs: number;
  private retry: NodeJS.Timeout | null = null;
  private readonly ping: NodeJS.Timeout;

  constructor(
    private readonly uri: string,
    private readonly hub: ChangeHub,
    /** Sends a NOTIFY on the store's pool (it works while the listening connection is down). */
    private readonly notify: (channel: string, payload: string) => Promise<unknown>,
    private readonly log: Logger,
    settings: Partial<RelaySettings> = {},
  ) {
    this.settings = { ...DEFAULTS, ...settings };
    this.backoffMs = this.settings.initialBackoffMs;
    this.ping = setInterval(() => void this.checkAlive(), this.settings.pingMs).unref();
    hub.outbox = (kind, uuid, detail) => this.send(kind, uuid, detail);
  }

  /** Connects and LISTENs; a failure is logged and retried in the background (startup goes on). */
  start(): Promise<void> {
    return this.connect();
  }

  status(): 'ok' | 'fail' {
    return this.listening ? 'ok' : 'fail';
  }

  /** The server process id of the listening connection (operators and tests can find it). */
  listenerPid(): number | null {
    return this.listening ? ((this.client as unknown as { processID?: number }).processID ?? null) : null;
  }

  private send(kind: ChangeKind, uuid: string, detail: string[] | null): void {
    this.notify(CHANNEL, encodeChange(this.instance, kind, uuid, detail)).catch((err: Error) =>
      this.log.warn({ kind, uuid, reason: err.message }, 'change not relayed to other instances'));
  }

  private receive(payload: string | undefined): void {
    try {
      const message = payload ? decodeChange(payload) : null;
      if (!message) return this.log.warn({ payload }, 'unreadable change notification ignored');
      if (message.o === this.instance) return;
      this.hub.deliver(message.k, message.u, message.d);
    } catch (err) {
      this.log.warn({ err, payload }, 'change notification not applied');
    }
  }

  private async connect(): Promise<void> {
    this.retry = null;
    if (this.closed) return;
    const client = new pg.Client({
      connectionString: this.uri,
      application_name: 'dird change relay',
      keepAlive: true,
      connectionTimeoutMillis: this.settings.connectTimeoutMs,
    });
    this.client = client;
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => this.receive(message.payload));
    const first = this.firstAttempt;
    this.firstAttempt = false;
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.client !== client) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listening = true;
    this.backoffMs = this.settings.initialBackoffMs;
    if (!first) {
      this.log.info('change relay listening (again); every cache invalidated');
      this.hub.deliver('all', '*', null);
    }
  }

  /** Both 'error' and 'end' may fire for one loss: only the first counts. */
  private lost(client: pg.Client, err: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    const wasListening = this.listening;
    this.listening = false;
    client.end().catch(() => undefined);
    if (this.closed) return;
    const fields = { reason: err?.message ?? 'connection closed', retry_ms: this.backoffMs };
    if (wasListening) this.log.warn(fields, 'change relay connection lost; other instances\' changes are not seen until it is back');
    else if (this.backoffMs === this.settings.initialBackoffMs) this.log.warn(fields, 'change relay cannot listen; retrying');
    else this.log.debug(fields, 'change relay cannot listen yet');
    this.retry = setTimeout(() => void this.connect(), this.backoffMs);
    this.backoffMs = Math.min(this.backoffMs * 2, this.settings.maxBackoffMs);
  }

  private async checkAlive(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('no answer to a ping')), this.settings.connectTimeoutMs);
    });
    try {
      await Promise.race([client.query('SELECT 1'), timeout]);
    } catch (err) {
      this.lost(client, err as Error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hub.outbox = null;
    clearInterval(this.ping);
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }
}
