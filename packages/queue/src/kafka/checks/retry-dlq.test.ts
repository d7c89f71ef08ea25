import { afterEach, describe, expect, it } from 'vitest';
import { brokers, startApp, testTopic, type App } from '../../../test/support/kafka.ts';
import { runCheck, runProbe } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { kafka } from '../kafka-probe.ts';
import { retryTopicsOf } from './retry-dlq.ts';

interface Behaviour {
  /** Where dead letters go. */
  dlq: string;
  /** In-process attempts made before dead-lettering (reported in `x-attempts`). */
  attempts?: number;
  /** Add Spring-style error headers (default true). */
  errorHeaders?: boolean;
  /** The defect: swallow poison messages instead of dead-lettering them. */
  drop?: boolean;
  /** Spring non-blocking retries: first send the poison to this retry topic, whose consumer dead-letters it. */
  retryTopic?: string;
}

describe.skipIf(!brokers)('queue.processing.retry-dlq', () => {
  let input: TestTopic;
  const apps: App[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.stop();
    await input?.delete();
  });

  /** The application under test: a consumer that retries poison messages, then dead-letters them (or, broken, drops them). */
  const startConsumer = async (behaviour: Behaviour) => {
    const producer = input.kafka.producer();
    await producer.connect();
    const deadLetter = async (topic: string, message: { key: Buffer | null; value: Buffer | null; headers?: Record<string, unknown>; offset: string }) => {
      const attempts = behaviour.attempts ?? 3;
      await producer.send({
        topic: behaviour.dlq,
        messages: [{
          key: message.key, value: message.value,
          headers: {
            ...(message.headers as Record<string, Buffer>),
            ...(behaviour.errorHeaders === false ? {} : { 'kafka_dlt-exception-message': 'cannot parse', 'kafka_dlt-original-topic': topic, 'kafka_dlt-original-offset': message.offset }),
            ...(behaviour.retryTopic ? {} : { 'x-attempts': String(attempts) }),
          },
        }],
      });
    };
    const main = await startApp(input.kafka, {
      groupId: input.ownGroup('app'), topics: [input.name],
      handle: async ({ topic, message }) => {
        if (!message.value?.toString().includes('poison') || behaviour.drop) return;
        if (behaviour.retryTopic) await producer.send({ topic: behaviour.retryTopic, messages: [{ key: message.key, value: message.value, headers: message.headers }] });
        else await deadLetter(topic, message);
      },
    });
    apps.push(main);
    if (behaviour.retryTopic) {
      apps.push(await startApp(input.kafka, { groupId: input.ownGroup('retry'), topics: [behaviour.retryTopic], handle: async ({ topic, message }) => deadLetter(topic, message) }));
    }
    await Promise.all(apps.map((app) => app.joined));
    apps.push({ ...main, stop: () => producer.disconnect() });
  };
  const probe = (options: { attempts?: number; timeoutMs?: number } = {}) =>
    kafka({ brokers: brokers!, dlq: [{ input: input.name, poison: { value: 'poison pill' }, timeoutMs: options.timeoutMs ?? 3_000, ...(options.attempts ? { attempts: options.attempts } : {}) }] });

  it('passes: retried 3 times (attempts header), dead-lettered to <topic>.DLT with payload and error headers', async () => {
    input = await testTopic();
    await startConsumer({ dlq: await input.related('.DLT') });
    const result = await runCheck(probe({ attempts: 3 }), 'queue.processing.retry-dlq');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(new RegExp(`^poison messages were dead-lettered with payload and error headers: ${input.name.replaceAll('.', '\\.')} → ${input.name.replaceAll('.', '\\.')}\\.DLT in \\d+ ms$`));
    expect((result.evidence.routes as Record<string, unknown>[])[0]).toMatchObject({ attempts: 3, errorHeaders: ['kafka_dlt-exception-message'] });
    expect(result.metrics.map((metric) => metric.name)).toEqual(['queue.time_to_dlq_ms']);
  });

  it("dlq-health in the same run leaves the probe's own poison message out of the DLQ's size", async () => {
    input = await testTopic();
    const dlq = await input.related('.DLT');
    await startConsumer({ dlq });
    const probe = kafka({ brokers: brokers!, dlq: [{ input: input.name, poison: { value: 'poison pill' } }], discoverDlqTopics: false, sampling: { samples: 2, intervalMs: 200 } });
    const { results } = await runProbe(probe, { only: ['queue.processing.retry-dlq', 'queue.processing.dlq-health'] });
    expect(results.get('queue.processing.retry-dlq')!.status).toBe('pass');
    expect(results.get('queue.processing.dlq-health')).toMatchObject({ status: 'pass', summary: `1 dead-letter topic (${dlq}): 0 messages, no growth in 200 ms` });
    expect(Number((await input.endOffsets())[0])).toBe(1);
  });

  it('fails when the consumer drops the poison message instead of dead-lettering it', async () => {
    input = await testTopic();
    const dlq = await input.related('.DLT');
    await startConsumer({ dlq, drop: true });
    const result = await runCheck(probe({ timeoutMs: 800 }), 'queue.processing.retry-dlq');
    expect(result).toMatchObject({ status: 'fail', summary: `${input.name}: the poison message did not reach ${dlq} within 800 ms (0 retries seen): the consumer dropped it, or is stuck retrying it` });
    expect((result.evidence.routes as Record<string, unknown>[])[0]!.reproduce).toBe(`kcat -b ${brokers} -C -t ${dlq} -o -10 -e -f '%p %o %k %h %s\\n'`);
  });

  it('fails when the attempts differ from the declared retry count', async () => {
    input = await testTopic();
    await startConsumer({ dlq: await input.related('.DLT'), attempts: 3 });
    expect(await runCheck(probe({ attempts: 5 }), 'queue.processing.retry-dlq')).toMatchObject({ status: 'fail', summary: `${input.name}: 3 attempts before dead-lettering, expected 5` });
  });

  it('counts attempts on Spring retry topics and accepts the -dlt suffix (Spring Kafka ≥ 3.3)', async () => {
    input = await testTopic();
    const retry = await input.related('-retry');
    await startConsumer({ dlq: await input.related('-dlt'), retryTopic: retry });
    const result = await runCheck(probe({ attempts: 2 }), 'queue.processing.retry-dlq');
    expect(result.status).toBe('pass');
    expect((result.evidence.routes as Record<string, unknown>[])[0]).toMatchObject({ dlq: `${input.name}-dlt`, retryTopics: [retry], attempts: 2 });
  });

  it('warns when the dead letter carries no error headers', async () => {
    input = await testTopic();
    const dlq = await input.related('.DLT');
    await startConsumer({ dlq, errorHeaders: false });
    expect(await runCheck(probe(), 'queue.processing.retry-dlq')).toMatchObject({ status: 'warn', summary: `${input.name}: the dead letter on ${dlq} carries no error headers (exception, cause, reason)` });
  });

  it('fails when no dead-letter topic exists; skips without declared routes', async () => {
    input = await testTopic();
    expect(await runCheck(probe(), 'queue.processing.retry-dlq')).toMatchObject({ status: 'fail', summary: `${input.name}: no dead-letter topic: ${input.name}.DLT or ${input.name}-dlt does not exist` });
    expect(await runCheck(kafka({ brokers: brokers! }), 'queue.processing.retry-dlq')).toMatchObject({ status: 'skip' });
  });

  it('retryTopicsOf finds Spring retry topics of one input only', () => {
    expect(retryTopicsOf('orders', ['orders', 'orders-retry-1000', 'orders-retry-0', 'orders.retry', 'orders-dlt', 'orders2-retry'])).toEqual(['orders-retry-0', 'orders-retry-1000', 'orders.retry']);
  });
});
