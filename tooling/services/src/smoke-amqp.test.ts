import { connect } from 'amqplib';
import { describe, expect, it } from 'vitest';
import { serviceUrl } from './env.ts';

const url = serviceUrl('amqp');

describe.skipIf(!url)('RabbitMQ smoke', () => {
  it('publishes to a probe-named queue, consumes and acks, and deletes the queue', async () => {
    const connection = await connect(url!, { timeout: 2_000 });
    const channel = await connection.createChannel();
    const queue = `probe.services.test.${process.pid}.${Date.now()}`;
    try {
      await channel.assertQueue(queue, { durable: false });
      channel.sendToQueue(queue, Buffer.from('hello'), { messageId: queue });
      const body = await new Promise<string>((resolve) => {
        void channel.consume(queue, (message) => {
          if (!message) return;
          channel.ack(message);
          resolve(message.content.toString());
        });
      });
      expect(body).toBe('hello');
    } finally {
      const { messageCount } = await channel.deleteQueue(queue);
      expect(messageCount).toBe(0);
      await channel.close();
      await connection.close();
    }
  });
});
