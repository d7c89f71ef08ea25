import { ignoreKafkajsTimeoutWarning } from '@probe/services';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../../test/helpers.ts';
import { proxiedSocketFactory } from '../testing/socket-factory.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { toxic } from './toxics.ts';

const brokers = process.env.PROBE_KAFKA_BROKERS?.split(',');

/**
 * The local broker advertises 127.0.0.1:9092 (its only PLAINTEXT listener). A client
 * bootstrapped through a proxy learns that address from the metadata and connects to it
 * directly, so a second listener advertised at the proxy's address is the server-side
 * cure (see the README); here, with nothing new started, the client-side cure is a
 * socketFactory that maps the advertised address onto the proxy.
 */
describe.skipIf(!brokers)('fault proxy in front of the real Kafka broker', () => {
  const topic = `probe.resilience.${process.pid}.${Date.now()}`;
  const broker = brokers![0]!;
  let admin: Admin;
  let proxy: FaultProxy;
  const producers: Producer[] = [];
  const producer = async (kafka: Kafka) => {
    const created = kafka.producer({ retry: { retries: 0 }, allowAutoTopicCreation: false });
    producers.push(created);
    await created.connect();
    return created;
  };
  const payload = (bytes: number) => [{ value: Buffer.alloc(bytes, 'k') }];

  beforeAll(async () => {
    ignoreKafkajsTimeoutWarning();
    admin = new Kafka({ clientId: 'probe-resilience-admin', brokers: brokers!, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    proxy = await startFaultProxy({ name: 'kafka_broker_1', upstream: broker });
  });
  afterEach(async () => {
    await Promise.all(producers.splice(0).map((created) => created.disconnect().catch(() => {})));
    await proxy.reset();
  });
  afterAll(async () => {
    await proxy?.close();
    await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin?.disconnect();
  });

  it('bootstrapped through the proxy alone, only metadata passes it: produce traffic bypasses it for the advertised address', async () => {
    const kafka = new Kafka({ clientId: 'probe-resilience-bypass', brokers: [proxy.listen], logLevel: logLevel.NOTHING });
    const client = await producer(kafka);
    await client.send({ topic, messages: payload(10) });   // metadata for the topic, then the first produce
    const before = structuredClone(proxy.counters);
    for (let index = 0; index < 5; index++) await client.send({ topic, messages: payload(20_000) });
    expect(before.upstream.received).toBeGreaterThan(0);                              // the seed connection did pass
    expect(proxy.counters.upstream.received - before.upstream.received).toBeLessThan(20_000); // 100 KB produced elsewhere
    await proxy.setEnabled(false);
    await expect(client.send({ topic, messages: payload(10) })).resolves.toBeDefined();   // "down" does not even touch it
  });

  it('with the advertised address mapped onto the proxy, metadata and produce requests all pass through it', async () => {
    const kafka = new Kafka({ clientId: 'probe-resilience-mapped', brokers: [proxy.listen], socketFactory: proxiedSocketFactory({ [broker]: proxy.listen }), logLevel: logLevel.NOTHING });
    const client = await producer(kafka);
    await client.send({ topic, messages: payload(10) });
    const before = structuredClone(proxy.counters);
    for (let index = 0; index < 5; index++) await client.send({ topic, messages: payload(20_000) });
    expect(proxy.counters.upstream.received - before.upstream.received).toBeGreaterThan(100_000);
    expect(proxy.counters.downstream.sent - before.downstream.sent).toBeGreaterThan(0);   // the acks came back through it
  });

  it('latency on the mapped broker slows each produce round trip by the declared delay', async () => {
    const kafka = new Kafka({ clientId: 'probe-resilience-latency', brokers: [proxy.listen], socketFactory: proxiedSocketFactory({ [broker]: proxy.listen }), logLevel: logLevel.NOTHING });
    const client = await producer(kafka);
    const time = async () => {
      const started = performance.now();
      await client.send({ topic, acks: 1, messages: payload(100) });
      return performance.now() - started;
    };
    await time();
    const base = median([await time(), await time(), await time()]);
    await proxy.addToxic(toxic.latency(200));
    const slowed = median([await time(), await time(), await time()]);
    expect(slowed - base).toBeGreaterThanOrEqual(190);
    expect(slowed - base).toBeLessThan(330);
  });

  it('down on the mapped broker makes produce fail at once; back up, producing works again', async () => {
    const kafka = new Kafka({
      clientId: 'probe-resilience-down', brokers: [proxy.listen], socketFactory: proxiedSocketFactory({ [broker]: proxy.listen }),
      logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 500,
    });
    const client = await producer(kafka);
    await client.send({ topic, messages: payload(10) });
    await proxy.setEnabled(false);
    const started = performance.now();
    await expect(client.send({ topic, messages: payload(10) })).rejects.toThrow(/Connection|ECONNREFUSED|closed/i);
    expect(performance.now() - started).toBeLessThan(2_000);
    await proxy.setEnabled(true);
    const again = await producer(kafka);
    await expect(again.send({ topic, messages: payload(10) })).resolves.toBeDefined();
  });
});
