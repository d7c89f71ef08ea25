import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { serviceUrl } from './env.ts';

const url = serviceUrl('nats');

describe.skipIf(!url)('NATS JetStream smoke', () => {
  it('adds a stream, publishes, consumes with a durable consumer, acks, and deletes the stream', async () => {
    const connection = await connect({ servers: url!, timeout: 2_000 });
    const manager = await jetstreamManager(connection);
    const stream = `probe_services_test_${process.pid}_${Date.now()}`;
    const subject = `${stream}.events`;
    try {
      await manager.streams.add({ name: stream, subjects: [`${stream}.>`] });
      const ack = await jetstream(connection).publish(subject, 'hello');
      expect(ack).toMatchObject({ stream, seq: 1 });
      await manager.consumers.add(stream, { durable_name: 'probe', ack_policy: 'explicit' });
      const consumer = await jetstream(connection).consumers.get(stream, 'probe');
      const message = await consumer.next({ expires: 2_000 });
      expect(message?.string()).toBe('hello');
      await message?.ackAck();
      expect((await consumer.info()).num_ack_pending).toBe(0);
    } finally {
      await manager.streams.delete(stream).catch(() => false);
      await connection.close();
    }
    const names = [];
    const check = await connect({ servers: url!, timeout: 2_000 });
    for await (const name of (await jetstreamManager(check)).streams.names()) names.push(name);
    await check.close();
    expect(names).not.toContain(stream);
  });
});
