// dird's queue on the wazo exchange: one binding per consumed event, messages handled one at a time and
// acknowledged once handled, so an event delivered while dird stops is handled again after restart.
import type { Channel, ConsumeMessage } from 'amqplib';
import type { Logger } from 'pino';
import { decodeEvent } from './messages.js';

export interface EventHandler {
  /** wazo's routing key, used only to bind on a topic exchange (a headers exchange matches on `name`). */
  routingKey: string;
  handle(data: Record<string, unknown>): Promise<void>;
}

export interface ConsumerSettings {
  exchange: string;
  exchangeType: string;
  queue: string;
}

export class EventConsumer {
  private inFlight: Promise<void> = Promise.resolve();
  private consuming: Channel | null = null;

  constructor(
    private readonly settings: ConsumerSettings,
    private readonly handlers: Record<string, EventHandler>,
    private readonly log: Logger,
  ) {}

  /** Declares the exchange, the queue and its bindings, then starts consuming on `channel`. */
  async setup(channel: Channel): Promise<void> {
    const { exchange, exchangeType, queue } = this.settings;
    await channel.assertExchange(exchange, exchangeType, { durable: true });
    await channel.assertQueue(queue, { durable: true, autoDelete: false, exclusive: false });
    for (const [name, handler] of Object.entries(this.handlers)) {
      if (exchangeType === 'headers') await channel.bindQueue(queue, exchange, '', { name, 'x-match': 'all' });
      else await channel.bindQueue(queue, exchange, handler.routingKey);
    }
    await channel.prefetch(1);
    channel.on('close', () => {
      if (this.consuming === channel) this.consuming = null;
    });
    await channel.consume(queue, (message) => {
      // null: the broker cancelled the consumer (queue deleted): close so the connection starts over.
      if (message === null) return void channel.close().catch(() => undefined);
      this.inFlight = this.inFlight.then(() => this.deliver(channel, message));
    });
    this.consuming = channel;
  }

  isConsuming(): boolean {
    return this.consuming !== null;
  }

  /** Resolves once the message being handled (if any) is done. */
  idle(): Promise<void> {
    return this.inFlight;
  }

  private async deliver(channel: Channel, message: ConsumeMessage): Promise<void> {
    try {
      const event = decodeEvent(message.properties.headers, message.content);
      const handler = this.handlers[event.name];
      if (handler) {
        this.log.debug({ event: event.name }, 'bus event received');
        await handler.handle(event.data);
      }
    } catch (error) {
      // As wazo-dird: a failing handler is logged and the consumer goes on (no redelivery loop).
      this.log.error({ reason: (error as Error).message, event: message.properties.headers?.name }, 'bus event not handled');
    }
    try {
      channel.ack(message);
    } catch {
      // The channel closed meanwhile: the broker delivers the message again, and handlers are idempotent.
    }
  }
}
