import { serviceUrl } from '@probe/services';
import type { Channel, ConsumeMessage } from 'amqplib';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck, waitFor } from '../../../test/support/run.ts';
import { createTestQueue, type TestQueue } from '../../testing/index.ts';
import { rabbitmq } from '../rabbitmq-probe.ts';
import { evaluateDepth } from './depth.ts';

const url = serviceUrl('amqp');
const sampling = { samples: 4, intervalMs: 150 };

describe.skipIf(!url)('RabbitMQ management checks', () => {
  const queues: TestQueue[] = [];
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.delete();
  });
  const testQueue = async (options: Parameters<typeof createTestQueue>[1] = {}) => {
    const queue = await createTestQueue(url!, { prefix: 'qt', ...options });
    queues.push(queue);
    return queue;
  };
  /** An application consumer on `queue` that handles each message with `handle` (prefetch `prefetch`). */
  const consume = async (queue: TestQueue, handle: (message: ConsumeMessage, channel: Channel) => void, prefetch = 10) => {
    const channel = await queue.connection.createChannel();
    await channel.prefetch(prefetch);
    await channel.consume(queue.name, (message) => { if (message) handle(message, channel); });
    return channel;
  };

  describe('queue.mgmt.health', () => {
    it('passes on a live broker, naming product and version', async () => {
      const result = await runCheck(rabbitmq({ url: url! }), 'queue.mgmt.health');
      expect(result.status).toBe('pass');
      expect(result.summary).toMatch(/^RabbitMQ \d+\.\d+\.\d+ \(\S+\): channel round trip [\d.]+ ms, publishers not blocked$/);
    });

    it('fails when the broker is older than the required version', async () => {
      const result = await runCheck(rabbitmq({ url: url!, expect: { minVersion: '99' } }), 'queue.mgmt.health');
      expect(result.status).toBe('fail');
      expect(result.summary).toMatch(/^RabbitMQ [\d.]+ is older than the required 99$/);
    });
  });

  describe('queue.mgmt.routing', () => {
    it('passes when declared queues and exchanges exist as declared', async () => {
      const queue = await testQueue({ arguments: { 'x-message-ttl': 60_000 } });
      const exchange = await queue.exchange('.events', 'fanout');
      const result = await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name, durable: true, arguments: { 'x-message-ttl': 60_000 } }], exchanges: [{ name: exchange, type: 'fanout', durable: false }] }), 'queue.mgmt.routing');
      expect(result).toMatchObject({ status: 'pass', summary: '2 declared exchanges and queues exist as declared' });
    });

    it('fails on a missing queue, a durability mismatch (in the broker\'s words) and a wrong exchange type', async () => {
      const queue = await testQueue({ durable: false });
      const exchange = await queue.exchange('.events', 'fanout');
      const result = await runCheck(rabbitmq({
        url: url!,
        queues: [{ name: `${queue.name}.missing` }, { name: queue.name, durable: true }],
        exchanges: [{ name: exchange, type: 'topic', durable: false }],
      }), 'queue.mgmt.routing');
      expect(result.status).toBe('fail');
      expect(result.summary).toBe([
        `exchange ${exchange}: inequivalent arg 'type' for exchange '${exchange}' in vhost '/': received 'topic' but current is 'fanout'`,
        `queue ${queue.name}.missing does not exist`,
        `queue ${queue.name}: inequivalent arg 'durable' for queue '${queue.name}' in vhost '/': received 'true' but current is 'false'`,
      ].join('; '));
    });

    it('an argument set on the queue but not declared is "not comparable", not a mismatch of the declared ones', async () => {
      const queue = await testQueue({ arguments: { 'x-max-length': 10 } });
      const result = await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name, durable: true }] }), 'queue.mgmt.routing');
      expect(result.summary).toMatch(new RegExp(`^queue ${queue.name.replaceAll('.', '\\.')} has x-max-length set, which is not declared: declare it to compare`));
    });
  });

  describe('queue.mgmt.backlog', () => {
    it('passes for a queue its consumer drains', async () => {
      const queue = await testQueue();
      await queue.send(['a', 'b', 'c']);
      await consume(queue, (message, channel) => channel.ack(message));
      await waitFor(async () => (await queue.channel.checkQueue(queue.name)).messageCount === 0, 2_000, 'the queue to drain');
      const result = await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name }], sampling }), 'queue.mgmt.backlog');
      expect(result).toMatchObject({ status: 'pass', summary: '1 declared queue drains (0 ready now) over 4 samples 150 ms apart' });
    });

    it('fails (STOP) for a queue with messages and no consumer', async () => {
      const queue = await testQueue();
      await queue.send(['a', 'b']);
      const result = await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name }], sampling }), 'queue.mgmt.backlog');
      expect(result).toMatchObject({ status: 'fail', summary: `queue ${queue.name} STOP: 2 ready and no consumer` });
    });

    it('warns (WARN) for a queue that never drains: a consumer stuck on unacknowledged messages while more arrive', async () => {
      const queue = await testQueue();
      await queue.send(['a', 'b', 'c']);
      await consume(queue, () => {}, 1);
      const pump = setInterval(() => { void queue.send(['more']); }, 100);
      try {
        const result = await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name }], sampling }), 'queue.mgmt.backlog');
        expect(result.status).toBe('warn');
        expect(result.summary).toMatch(new RegExp(`^queue ${queue.name.replaceAll('.', '\\.')} WARN: ready count never decreased \\(\\d+ → \\d+\\) with 1 consumers$`));
      } finally {
        clearInterval(pump);
      }
    });

    it('warns above the ready-messages threshold', async () => {
      const queue = await testQueue();
      await queue.send(['a', 'b', 'c']);
      const channel = await consume(queue, () => {}, 1);
      const result = await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name }], sampling, thresholds: { readyMessages: 1 } }), 'queue.mgmt.backlog');
      expect(result.summary).toContain(`queue ${queue.name} holds 2 ready messages (above 1)`);
      await channel.close();
    });
  });

  describe('queue.mgmt.scaling', () => {
    it('passes with enough consumers, fails with fewer than declared', async () => {
      const queue = await testQueue();
      await consume(queue, () => {});
      expect(await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name }] }), 'queue.mgmt.scaling')).toMatchObject({ status: 'pass', summary: `${queue.name}: 1 consumer` });
      expect(await runCheck(rabbitmq({ url: url!, queues: [{ name: queue.name, minConsumers: 2 }] }), 'queue.mgmt.scaling')).toMatchObject({
        status: 'fail', summary: `queue ${queue.name} has 1 consumer, fewer than 2`,
      });
    });
  });

  describe('queue.processing.dlq-health', () => {
    it('passes for an empty dead-letter queue, warns for one holding messages, fails for one growing', async () => {
      const queue = await testQueue();
      const probe = rabbitmq({ url: url!, dlqQueues: [queue.name], sampling: { samples: 2, intervalMs: 300 } });
      expect(await runCheck(probe, 'queue.processing.dlq-health')).toMatchObject({ status: 'pass', summary: '1 dead-letter queue: 0 messages, no growth in 300 ms' });
      await queue.send(['dead']);
      expect(await runCheck(probe, 'queue.processing.dlq-health')).toMatchObject({ status: 'warn', summary: `${queue.name} holds 1 message` });
      const pump = setInterval(() => { void queue.send(['dying']); }, 50);
      try {
        const result = await runCheck(probe, 'queue.processing.dlq-health');
        expect(result.status).toBe('fail');
        expect(result.summary).toMatch(new RegExp(`^${queue.name.replaceAll('.', '\\.')} grew by \\d+ during the 300 ms window: messages are failing now`));
      } finally {
        clearInterval(pump);
      }
    });
  });

  describe('queue.mgmt.cleanup', () => {
    it('the probe can delete the queues and exchanges it declares', async () => {
      expect(await runCheck(rabbitmq({ url: url! }), 'queue.mgmt.cleanup')).toMatchObject({ status: 'pass', summary: 'probe queues and exchanges can be deleted' });
    });
  });
});

describe('evaluateDepth', () => {
  it('OK when the queue empties within the window or drains', () => {
    expect(evaluateDepth([{ ready: 5, consumers: 1 }, { ready: 0, consumers: 1 }]).status).toBe('OK');
    expect(evaluateDepth([{ ready: 5, consumers: 1 }, { ready: 7, consumers: 1 }, { ready: 3, consumers: 1 }]).status).toBe('OK');
  });
  it('STOP without consumers, WARN when it never drains', () => {
    expect(evaluateDepth([{ ready: 2, consumers: 0 }, { ready: 2, consumers: 0 }])).toEqual({ status: 'STOP', rule: '2 ready and no consumer' });
    expect(evaluateDepth([{ ready: 2, consumers: 1 }, { ready: 4, consumers: 1 }]).status).toBe('WARN');
  });
});
