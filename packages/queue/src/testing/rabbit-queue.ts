import { randomBytes } from 'node:crypto';
import amqp, { type Channel, type ChannelModel } from 'amqplib';

/** Options of {@link createTestQueue}. */
export interface TestQueueOptions {
  /** Queue arguments (`x-dead-letter-exchange`, `x-queue-type`, …). */
  arguments?: Record<string, unknown>;
  /** Default true. */
  durable?: boolean;
  /** Name prefix (default `test`): the queue is `<prefix>.<random>`. */
  prefix?: string;
}

/** A RabbitMQ queue that belongs to one test. */
export interface TestQueue {
  name: string;
  /** The test's own connection (close nothing yourself: `delete()` does). */
  connection: ChannelModel;
  /** A channel for the test's own publishing and consuming. */
  channel: Channel;
  /** Publish persistent messages to the queue (default exchange) and wait for the broker's confirms. */
  send(messages: (string | Buffer)[], headers?: Record<string, unknown>): Promise<void>;
  /** Declare `<name><suffix>` (a `.dlq`), deleted with this one; returns its name. */
  related(suffix: string, options?: { arguments?: Record<string, unknown> }): Promise<string>;
  /** Declare an exchange `<name><suffix>`, deleted with the queue; returns its name. */
  exchange(suffix: string, type?: 'direct' | 'fanout' | 'topic'): Promise<string>;
  /** Delete the queue, its related queues and exchanges, and close the connection. Idempotent. */
  delete(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A queue per test, deleted afterwards (with anything made through
 * `related` and `exchange`). Use in `beforeEach`/`afterEach` or with `await using`.
 */
export async function createTestQueue(url: string, options: TestQueueOptions = {}): Promise<TestQueue> {
  const connection = await amqp.connect(url, { timeout: 3_000 });
  connection.on('error', () => {});
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => {});
  const name = `${options.prefix ?? 'test'}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  await channel.assertQueue(name, { durable: options.durable ?? true, arguments: options.arguments ?? {} });
  const queues = new Set([name]);
  const exchanges = new Set<string>();
  let deleted: Promise<void> | undefined;
  const queue: TestQueue = {
    name, connection, channel,
    async send(messages, headers = {}) {
      for (const message of messages) channel.sendToQueue(name, Buffer.isBuffer(message) ? message : Buffer.from(message), { persistent: true, headers });
      await channel.waitForConfirms();
    },
    async related(suffix, related = {}) {
      const companion = `${name}${suffix}`;
      await channel.assertQueue(companion, { durable: true, arguments: related.arguments ?? {} });
      queues.add(companion);
      return companion;
    },
    async exchange(suffix, type = 'fanout') {
      const exchange = `${name}${suffix}`;
      await channel.assertExchange(exchange, type, { durable: false });
      exchanges.add(exchange);
      return exchange;
    },
    delete() {
      deleted ??= (async () => {
        const cleaner = await connection.createChannel();
        cleaner.on('error', () => {});
        for (const each of queues) await cleaner.deleteQueue(each);
        for (const exchange of exchanges) await cleaner.deleteExchange(exchange);
        await connection.close();
      })();
      return deleted;
    },
    [Symbol.asyncDispose]: () => queue.delete(),
  };
  return queue;
}
