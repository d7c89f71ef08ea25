import amqp, { type ChannelModel } from 'amqplib';
import { serviceUrl } from '@probe/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConformance } from '@probe/testkit';
import { createTestQueue, type TestQueue } from '../testing/index.ts';
import { rabbitmq } from './rabbitmq-probe.ts';

const url = serviceUrl('amqp');

/** Names the RabbitMQ probe gives what it declares (AMQP cannot list queues, so leftovers are looked up by name). */
const PURPOSES = ['ops', 'persistence', 'throughput', 'dlx', 'dlq', 'work', 'cleanup', 'tap-0'];

describe.skipIf(!url)('rabbitmq conformance', () => {
  let orders: TestQueue;
  let dlq: string;
  let connection: ChannelModel;
  /** Ready messages and consumers of a queue (a passive declare on a throwaway channel). */
  const depth = async (queue: string) => {
    const channel = await connection.createChannel();
    channel.on('error', () => {});
    try {
      const reply = await channel.checkQueue(queue);
      return `${reply.messageCount}/${reply.consumerCount}`;
    } catch {
      return 'missing';
    } finally {
      await channel.close().catch(() => {});
    }
  };
  const fingerprint = async () => ({ orders: await depth(orders.name), dlq: await depth(dlq) });

  beforeAll(async () => {
    orders = await createTestQueue(url!, { prefix: 'conf' });
    await orders.send(['order 1', 'order 2', 'order 3']);
    dlq = await orders.related('.dlq');
    await orders.channel.sendToQueue(dlq, Buffer.from('dead'), { persistent: true });
    connection = await amqp.connect(url!);
    connection.on('error', () => {});
  });
  afterAll(async () => {
    await connection?.close();
    await orders?.delete();
  });

  it('the fingerprint sees a message arrive (so equal fingerprints mean something)', async () => {
    const before = await fingerprint();
    await orders.send(['order 4']);
    expect(await fingerprint()).not.toEqual(before);
  });

  describeConformance({
    name: 'rabbitmq()',
    domain: 'queue',
    probe: () => rabbitmq({
      url: url!,
      queues: [{ name: orders.name, durable: true, minConsumers: 0 }],
      dlqQueues: [dlq],
      sampling: { samples: 2, intervalMs: 100 },
      ops: { throughputMessages: 300, messageBytes: 128, persistenceMessages: 10, orderingMessages: 10 },
    }),
    fingerprint,
    leftovers: async (runId) => {
      const left: string[] = [];
      for (const purpose of PURPOSES) {
        const name = `probe.${runId}.${purpose}`;
        if ((await depth(name)) !== 'missing') left.push(name);
      }
      return left;
    },
  });
});
