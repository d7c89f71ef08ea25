import { Kafka, logLevel } from 'kafkajs';
import { serviceUrl } from '@probe/services';
import { describe, expect, it } from 'vitest';
import { brokers } from '../../test/support/kafka.ts';
import { createTestQueue, createTestStream, createTestTopic, startKafka } from './index.ts';

describe('startKafka', () => {
  it.skipIf(!brokers)('uses the given brokers (PROBE_KAFKA_BROKERS) after a Kafka handshake', async () => {
    const kafka = await startKafka();
    expect(kafka).toMatchObject({ brokers: brokers!.split(','), source: 'given' });
    await kafka.stop();
  });

  it('rejects given brokers that are not Kafka, at once', async () => {
    await expect(startKafka({ brokers: '127.0.0.1:1' })).rejects.toMatchObject({ code: 'PROBE_ERR_UNREACHABLE' });
  });

  it('without brokers and without a Docker engine: a clear error in milliseconds, not a hang', async () => {
    const saved = { probe: process.env.PROBE_KAFKA_BROKERS, plain: process.env.KAFKA_BROKERS };
    delete process.env.PROBE_KAFKA_BROKERS;
    delete process.env.KAFKA_BROKERS;
    const started = performance.now();
    try {
      await expect(startKafka()).rejects.toThrow(/^startKafka: no brokers given \(set PROBE_KAFKA_BROKERS or KAFKA_BROKERS\) and no Docker engine for testcontainers/);
    } finally {
      if (saved.probe !== undefined) process.env.PROBE_KAFKA_BROKERS = saved.probe;
      if (saved.plain !== undefined) process.env.KAFKA_BROKERS = saved.plain;
    }
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe.skipIf(!brokers)('createTestTopic', () => {
  it('a topic per test, with related topics and groups, all gone after delete (also with await using)', async () => {
    const admin = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    let names: string[];
    {
      await using topic = await createTestTopic(brokers!, { partitions: 2, prefix: 'qt' });
      const dlt = await topic.related('.DLT');
      const group = topic.ownGroup('app');
      expect(topic.name).toMatch(/^qt\.[0-9a-z]+$/);
      expect(await topic.send([{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toHaveLength(1);
      expect(Object.values(await topic.endOffsets()).map(Number).reduce((sum, high) => sum + high, 0)).toBe(2);
      names = [topic.name, dlt, group];
      expect(await admin.listTopics()).toEqual(expect.arrayContaining([topic.name, dlt]));
    }
    const topics = await admin.listTopics();
    expect(names.filter((name) => topics.includes(name))).toEqual([]);
    await admin.disconnect();
  });
});

describe.skipIf(!serviceUrl('amqp'))('createTestQueue', () => {
  it('a queue per test, with related queues and exchanges, all gone after delete', async () => {
    const queue = await createTestQueue(serviceUrl('amqp')!, { prefix: 'qt' });
    const dlq = await queue.related('.dlq');
    const exchange = await queue.exchange('.dlx');
    await queue.send(['one', 'two']);
    expect((await queue.channel.checkQueue(queue.name)).messageCount).toBe(2);
    await queue.delete();
    const { connect } = await import('amqplib');
    const connection = await connect(serviceUrl('amqp')!);
    for (const [kind, name] of [['queue', queue.name], ['queue', dlq], ['exchange', exchange]] as const) {
      const channel = await connection.createChannel();
      channel.on('error', () => {});
      await expect(kind === 'queue' ? channel.checkQueue(name) : channel.checkExchange(name)).rejects.toMatchObject({ code: 404 });
    }
    await connection.close();
  });
});

describe.skipIf(!serviceUrl('nats'))('createTestStream', () => {
  it('a stream per test, gone after delete', async () => {
    const stream = await createTestStream(serviceUrl('nats')!, { prefix: 'qt' });
    await stream.send(['one', 'two']);
    expect((await stream.jsm.streams.info(stream.name)).state.messages).toBe(2);
    const names: string[] = [];
    await stream.delete();
    const { connect } = await import('@nats-io/transport-node');
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const connection = await connect({ servers: serviceUrl('nats')! });
    for await (const each of (await jetstreamManager(connection)).streams.names()) names.push(each);
    expect(names).not.toContain(stream.name);
    await connection.close();
  });
});
