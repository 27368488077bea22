// The `bus` service (spec §7): dird's link to the wazo message bus (RabbitMQ). It consumes
// auth_tenant_added, user_deleted and localization_edited, and lends other services `publish` (the
// favorites service announces favorite_added / favorite_deleted). The broker may be down at start or
// go away later: dird serves all the same, reconnects with backoff, and GET /status says so.
import type { Logger } from 'pino';
import type { ServiceLoadArgs, ServicePlugin } from '../../../src/contracts.js';
import { BusConnection } from './connection.js';
import { EventConsumer } from './consumer.js';
import { eventHandlers } from './handlers.js';
import { encodeEvent, type BusEvent } from './messages.js';

export type { BusEvent } from './messages.js';

/** How long shutdown waits for the event being handled. */
const IDLE_WAIT_MS = 2_000;

export class BusService {
  constructor(
    private readonly connection: BusConnection | null,
    private readonly consumer: EventConsumer | null,
    private readonly exchange: string,
    private readonly originUuid: string | null,
    private readonly log: Logger,
  ) {}

  /** Whether dird is connected and consuming its queue (GET /status `bus_consumer`). */
  consuming(): boolean {
    return this.connection?.channel() != null && (this.consumer?.isConsuming() ?? false);
  }

  /**
   * Publishes an event, best-effort: with the bus disabled it does nothing, with the broker unreachable it
   * logs a warning and drops the event. Never throws, so callers' API answers do not depend on the bus.
   */
  publish(event: BusEvent): boolean {
    if (!this.connection) return false;
    const channel = this.connection.channel();
    if (!channel) {
      this.log.warn({ event: event.name }, 'message bus unreachable; event not published');
      return false;
    }
    try {
      const { headers, body } = encodeEvent(event, this.originUuid);
      channel.publish(this.exchange, event.routingKey, body, { headers, contentType: 'application/json' });
      return true;
    } catch (error) {
      this.log.warn({ event: event.name, reason: (error as Error).message }, 'event not published');
      return false;
    }
  }

  /** Connects in the background (called once every service is loaded, so handlers find them). */
  start(): void {
    this.connection?.start();
  }

  async close(): Promise<void> {
    await this.connection?.close();
    // The event being handled may still write; let it finish, within the shutdown budget.
    let limit: NodeJS.Timeout | undefined;
    await Promise.race([this.consumer?.idle(), new Promise((resolve) => { limit = setTimeout(resolve, IDLE_WAIT_MS); })]);
    clearTimeout(limit);
  }
}

export default class BusServicePlugin implements ServicePlugin {
  private service?: BusService;

  load({ config, services, store, changes, log }: ServiceLoadArgs): BusService {
    const bus = config.bus ?? {};
    const exchange = String(bus.exchange_name ?? 'wazo-headers');
    if (!bus.enabled) {
      this.service = new BusService(null, null, exchange, null, log);
      return this.service;
    }
    const consumer = new EventConsumer(
      { exchange, exchangeType: String(bus.exchange_type ?? 'headers'), queue: String(bus.queue_name ?? 'dird') },
      eventHandlers(services, store, changes, log),
      log,
    );
    const connection = new BusConnection({
      host: String(bus.host ?? 'localhost'),
      port: Number(bus.port ?? 5672),
      username: String(bus.username ?? 'guest'),
      password: String(bus.password ?? 'guest'),
      retryInitialMs: Number(bus.reconnect_initial ?? 0.5) * 1000,
      retryMaxMs: Number(bus.reconnect_max ?? 30) * 1000,
    }, (channel) => consumer.setup(channel), log);
    this.service = new BusService(connection, consumer, exchange, config.uuid ?? null, log);
    return this.service;
  }

  start(): void {
    this.service?.start();
  }

  unload(): Promise<void> | void {
    return this.service?.close();
  }
}
