import { AckPolicy, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { serviceUrl } from '@probe/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeConformance } from '@probe/testkit';
import { createTestStream, type TestStream } from '../testing/index.ts';
import { nats } from './nats-probe.ts';

const servers = serviceUrl('nats');
/** Streams other test files create and delete while this one runs. */
const TRANSIENT = /^(qt|probe)_/;

describe.skipIf(!servers)('nats conformance', () => {
  let orders: TestStream;
  let connection: NatsConnection;
  let jsm: JetStreamManager;
  /** Every stream that is not transient: message count and last sequence; the fixture consumer's ack floor. */
  const fingerprint = async () => {
    const streams: Record<string, string> = {};
    for await (const info of jsm.streams.list()) {
      if (!TRANSIENT.test(info.config.name)) streams[info.config.name] = `${info.state.messages}@${info.state.last_seq}`;
    }
    const consumer = await jsm.consumers.info(orders.name, 'billing');
    return { streams, billing: `${consumer.ack_floor.stream_seq}/${consumer.num_pending}` };
  };

  beforeAll(async () => {
    orders = await createTestStream(servers!, { prefix: 'conf' });
    await orders.send(['order 1', 'order 2', 'order 3'], 'created');
    await orders.jsm.consumers.add(orders.name, { durable_name: 'billing', ack_policy: AckPolicy.Explicit });
    connection = await connect({ servers: servers! });
    jsm = await jetstreamManager(connection);
  });
  afterAll(async () => {
    await connection?.close();
    await orders?.delete();
  });

  it('the fingerprint sees a message arrive (so equal fingerprints mean something)', async () => {
    const before = await fingerprint();
    await orders.send(['order 4'], 'created');
    expect(await fingerprint()).not.toEqual(before);
  });

  describeConformance({
    name: 'nats()',
    domain: 'queue',
    probe: () => nats({
      servers: servers!,
      streams: [{ name: orders.name, subjects: [`${orders.subject}.created`], storage: 'file' }],
      consumers: [{ stream: orders.name, name: 'billing' }],
      sampling: { samples: 2, intervalMs: 100 },
      ops: { throughputMessages: 300, messageBytes: 128, persistenceMessages: 10, orderingMessages: 10 },
    }),
    fingerprint,
    leftovers: async (runId) => {
      const left: string[] = [];
      for await (const name of jsm.streams.names()) if (name.includes(runId)) left.push(name);
      return left;
    },
  });
});
