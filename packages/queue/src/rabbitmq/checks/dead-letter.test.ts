import { serviceUrl } from '@probe/services';
import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../../test/support/run.ts';
import { createTestQueue, type TestQueue } from '../../testing/index.ts';
import { rabbitmq } from '../rabbitmq-probe.ts';

const url = serviceUrl('amqp');

describe.skipIf(!url)('queue.processing.retry-dlq on RabbitMQ', () => {
  let queue: TestQueue | undefined;
  afterEach(async () => {
    await queue?.delete();
    queue = undefined;
  });

  it("the broker's own dead-lettering: requeued twice (redelivered), then rejected to the DLX with x-death", async () => {
    const result = await runCheck(rabbitmq({ url: url! }), 'queue.processing.retry-dlq');
    expect(result).toMatchObject({ status: 'pass', summary: 'a rejected message was redelivered twice, then dead-lettered with x-death reason "rejected"' });
    expect(result.evidence.broker).toMatchObject({ deliveries: 3, redelivered: [false, true, true], firstDeathReason: 'rejected' });
  });

  /** A queue with a dead-letter exchange, and its application consumer: it rejects poison (or, broken, acknowledges and drops it). */
  const withConsumer = async (drop: boolean) => {
    const setup = await createTestQueue(url!, { prefix: 'qt' });
    const dlx = await setup.exchange('.dlx', 'fanout');
    const work = await setup.related('.work', { arguments: { 'x-dead-letter-exchange': dlx } });
    const channel = await setup.connection.createChannel();
    await channel.consume(work, (message) => {
      if (!message) return;
      if (message.content.toString().includes('poison') && !drop) channel.nack(message, false, false);
      else channel.ack(message);
    });
    queue = setup;
    return { work, dlx };
  };

  it('a declared route passes when the consumer rejects the poison message to the dead-letter exchange', async () => {
    const { work, dlx } = await withConsumer(false);
    const result = await runCheck(rabbitmq({ url: url!, deadLetter: [{ queue: work, deadLetterExchange: dlx, poison: { value: 'poison pill' }, timeoutMs: 2_000 }] }), 'queue.processing.retry-dlq');
    expect(result).toMatchObject({ status: 'pass', summary: 'a rejected message was redelivered twice, then dead-lettered with x-death reason "rejected"; 1 declared route dead-lettered its poison message' });
    expect((result.evidence.routes as { xDeath: unknown[] }[])[0]!.xDeath).toEqual([{ reason: 'rejected', queue: work, exchange: '', count: 1 }]);
  });

  it('fails when the consumer acknowledges (drops) the poison message', async () => {
    const { work, dlx } = await withConsumer(true);
    const result = await runCheck(rabbitmq({ url: url!, deadLetter: [{ queue: work, deadLetterExchange: dlx, poison: { value: 'poison pill' }, timeoutMs: 600 }] }), 'queue.processing.retry-dlq');
    expect(result).toMatchObject({
      status: 'fail',
      summary: `${work}: the poison message was not dead-lettered to ${dlx} within 600 ms: the consumer acknowledged (dropped) it, keeps requeueing it, or the queue has no x-dead-letter-exchange`,
    });
  });
});
