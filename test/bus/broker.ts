// The test's own side of the real RabbitMQ (127.0.0.1:5672): an exchange and queue names of its own
// (so parallel tests and other users of the broker never see each other's messages), publishing events
// as wazo-auth and wazo-confd do, capturing what dird publishes, and removing everything at the end.
import { randomBytes, randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Test } from 'tap';

export const BROKER_PORT = Number(process.env.DIRD_TEST_AMQP_PORT ?? 5672);

export interface Captured {
  routingKey: string;
  headers: Record<string, unknown>;
  body: any;
}

export interface TestBroker {
  exchange: string;
  /** The queue name dird is configured with. */
  queue: string;
  /** The `bus` config section for a dird using this broker (through `port`, e.g. a proxy's). */
  busConfig(port?: number): Record<string, unknown>;
  /** Publishes `name` with `data` the way wazo services do. */
  publish(name: string, data: Record<string, unknown>, routingKey?: string): Promise<void>;
  /** Starts collecting the messages dird publishes under these event names. */
  capture(names: string[]): Promise<{ messages: Captured[]; next(count?: number): Promise<Captured[]> }>;
  /** Consumers on dird's queue, per the broker. */
  consumers(): Promise<number>;
  /** Deletes dird's queue under it (as an operator could). */
  deleteQueue(): Promise<void>;
}

/** Polls `check` every 50 ms until it returns a truthy value, at most `limitMs`; returns the last value. */
export async function eventually<T>(check: () => Promise<T> | T, limitMs = 20_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function useTestBroker(t: Test): Promise<TestBroker> {
  const id = randomBytes(5).toString('hex');
  const exchange = `dird-test-${id}`;
  const queue = `dird-test-${id}-dird`;
  const model: ChannelModel = await amqp.connect({ protocol: 'amqp', hostname: '127.0.0.1', port: BROKER_PORT, username: 'guest', password: 'guest' })
    .catch((error: Error) => {
      throw new Error(`RabbitMQ unreachable at 127.0.0.1:${BROKER_PORT}: ${error.message}`);
    });
  const channel: Channel = await model.createChannel();
  // Declared as dird declares it, so whichever comes first the other agrees.
  await channel.assertExchange(exchange, 'headers', { durable: true });
  t.teardown(async () => {
    await channel.deleteQueue(queue).catch(() => undefined);
    await channel.deleteExchange(exchange).catch(() => undefined);
    await model.close().catch(() => undefined);
  });

  return {
    exchange,
    queue,
    busConfig: (port = BROKER_PORT) => ({
      enabled: true, host: '127.0.0.1', port, username: 'guest', password: 'guest',
      exchange_name: exchange, exchange_type: 'headers', queue_name: queue, reconnect_initial: 0.1, reconnect_max: 1,
    }),
    async publish(name, data, routingKey = name) {
      const headers = {
        name,
        origin_uuid: randomUUID(),
        timestamp: new Date().toISOString().slice(0, -1),
        required_access: `event.${name}`,
        required_acl: `events.${routingKey}`,
      };
      channel.publish(exchange, routingKey, Buffer.from(JSON.stringify({ ...headers, data })), { headers, contentType: 'application/json' });
    },
    async capture(names) {
      const { queue: own } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
      for (const name of names) await channel.bindQueue(own, exchange, '', { name, 'x-match': 'all' });
      const messages: Captured[] = [];
      await channel.consume(own, (message: ConsumeMessage | null) => {
        if (!message) return;
        messages.push({
          routingKey: message.fields.routingKey,
          headers: message.properties.headers ?? {},
          body: JSON.parse(message.content.toString('utf8')),
        });
      }, { noAck: true });
      let taken = 0;
      return {
        messages,
        async next(count = 1) {
          await eventually(() => messages.length >= taken + count, 10_000);
          const out = messages.slice(taken, taken + count);
          taken += out.length;
          return out;
        },
      };
    },
    async consumers() {
      return (await channel.checkQueue(queue)).consumerCount;
    },
    async deleteQueue() {
      await channel.deleteQueue(queue);
    },
  };
}
