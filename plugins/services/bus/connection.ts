// One AMQP connection and channel kept open in the background: connect, run `setup` on the channel,
// and on any loss start over after an exponential backoff (bounded). Nobody waits for it: dird serves
// with or without a broker.
import amqp, { type Channel, type ChannelModel } from 'amqplib';
import type { Logger } from 'pino';

export interface ConnectionSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  /** First retry delay and its cap, in milliseconds. */
  retryInitialMs: number;
  retryMaxMs: number;
}

/** Gives up on a TCP connect or AMQP handshake that does not answer. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long close() waits for the broker to acknowledge the close. */
const CLOSE_TIMEOUT_MS = 3_000;

export type ConnectionState = 'connecting' | 'ready' | 'waiting' | 'closed';

export class BusConnection {
  private state: ConnectionState = 'waiting';
  private model: ChannelModel | null = null;
  private ready: Channel | null = null;
  private retries = 0;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<void> | null = null;

  constructor(
    private readonly settings: ConnectionSettings,
    /** Declares what the channel needs (exchange, queue, consumer); a throw counts as a failed attempt. */
    private readonly setup: (channel: Channel) => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.state === 'waiting' && !this.timer && !this.attempt) this.attempt = this.connect();
  }

  /** The open channel, once set up; null while disconnected. */
  channel(): Channel | null {
    return this.state === 'ready' ? this.ready : null;
  }

  status(): ConnectionState {
    return this.state;
  }

  private async connect(): Promise<void> {
    this.state = 'connecting';
    const { host, port, username, password } = this.settings;
    let model: ChannelModel | null = null;
    let lost = false;
    try {
      // An options object, not a URL: the password never ends up in a string that could be logged.
      model = await amqp.connect({ protocol: 'amqp', hostname: host, port, username, password }, { timeout: CONNECT_TIMEOUT_MS });
      const current = model;
      current.on('error', (error: Error) => this.log.warn({ reason: error.message }, 'message bus connection error'));
      current.on('close', () => {
        lost = true;
        if (this.model === current) this.lost();
      });
      if (this.closing()) throw new Error('closing');
      const channel = await current.createChannel();
      channel.on('error', (error: Error) => this.log.warn({ reason: error.message }, 'message bus channel error'));
      // A channel closed by the broker (a failed declaration, a deleted queue) ends the whole connection,
      // so the next attempt declares everything again.
      channel.on('close', () => void current.close().catch(() => undefined));
      await this.setup(channel);
      if (lost) throw new Error('connection lost during set-up');
      if (this.closing()) throw new Error('closing');
      this.model = current;
      this.ready = channel;
      this.state = 'ready';
      this.retries = 0;
      this.log.info({ host, port }, 'message bus connected');
    } catch (error) {
      await model?.close().catch(() => undefined);
      if (this.closing()) return;
      const delay = this.nextDelay();
      this.log.warn({ host, port, reason: (error as Error).message, retry_in_ms: delay }, 'message bus unreachable; retrying');
      this.schedule(delay);
    } finally {
      this.attempt = null;
    }
  }

  /** A method, not an inline test: TypeScript would narrow `state` across the awaits above. */
  private closing(): boolean {
    return this.state === 'closed';
  }

  private lost(): void {
    this.model = null;
    this.ready = null;
    if (this.state === 'closed') return;
    const delay = this.nextDelay();
    this.log.warn({ retry_in_ms: delay }, 'message bus connection lost; reconnecting');
    this.schedule(delay);
  }

  private schedule(delay: number): void {
    this.state = 'waiting';
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, delay);
    this.timer.unref();
  }

  /** initial × 2^retries, capped, with ±20 % jitter so several instances do not retry in step. */
  private nextDelay(): number {
    const { retryInitialMs, retryMaxMs } = this.settings;
    const base = Math.min(retryMaxMs, retryInitialMs * 2 ** Math.min(this.retries, 30));
    this.retries += 1;
    return Math.min(retryMaxMs, Math.round(base * (0.8 + Math.random() * 0.4)));
  }

  /** Stops reconnecting and closes the channel and connection (bounded: the broker may be gone). */
  async close(): Promise<void> {
    this.state = 'closed';
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const model = this.model;
    this.model = null;
    this.ready = null;
    const closing = Promise.all([this.attempt, model?.close()]).catch(() => undefined);
    let limit: NodeJS.Timeout | undefined;
    await Promise.race([closing, new Promise((resolve) => { limit = setTimeout(resolve, CLOSE_TIMEOUT_MS); })]);
    clearTimeout(limit);
  }
}
