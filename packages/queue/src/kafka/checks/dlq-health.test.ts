import { afterEach, describe, expect, it } from 'vitest';
import { brokers, testTopic } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { kafka } from '../kafka-probe.ts';
import { kafkaOptionsSchema } from '../options.ts';
import { dlqTopicsOf } from './dlq-health.ts';

const sampling = { samples: 2, intervalMs: 400 };

describe.skipIf(!brokers)('queue.processing.dlq-health', () => {
  let dlq: TestTopic;
  let pump: NodeJS.Timeout | undefined;
  afterEach(async () => {
    clearInterval(pump);
    await dlq?.delete();
  });
  // discoverDlqTopics: false keeps other test files' dead-letter topics out of these results.
  const probe = (options: { dlqAgeMs?: number } = {}) => kafka({ brokers: brokers!, dlqTopics: [dlq.name], discoverDlqTopics: false, sampling, thresholds: options });

  it('passes for an empty dead-letter topic', async () => {
    dlq = await testTopic({ partitions: 2 });
    expect(await runCheck(probe(), 'queue.processing.dlq-health')).toMatchObject({ status: 'pass', summary: `1 dead-letter topic (${dlq.name}): 0 messages, no growth in 400 ms` });
  });

  it('warns about dead letters nobody handles, with the age of the oldest', async () => {
    dlq = await testTopic({ partitions: 2 });
    const twoDaysAgo = String(Date.now() - 2 * 86_400_000);
    await dlq.send([{ key: 'a', value: 'failed 1', timestamp: twoDaysAgo }, { key: 'b', value: 'failed 2' }]);
    const result = await runCheck(probe(), 'queue.processing.dlq-health');
    expect(result).toMatchObject({ status: 'warn', summary: `${dlq.name} holds 2 messages, the oldest 2 d old` });
    expect(result.metrics).toContainEqual({ name: 'queue.dlq_messages', value: 2, unit: 'count' });
  });

  it("does not count the probe's own marked poison messages (left by earlier runs' retry-dlq checks)", async () => {
    dlq = await testTopic();
    await dlq.send([{ value: 'poison', headers: { 'probe-run-id': 'earlier', 'probe-message-id': 'earlier-dlq-0' } }, { value: 'application failure' }]);
    const result = await runCheck(probe(), 'queue.processing.dlq-health');
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(new RegExp(`^${dlq.name.replace(/\./g, '\\.')} holds 1 message, the oldest [0-5] s old$`));   // seconds pass on a loaded machine
  });

  it('warns about old dead letters even under the size threshold', async () => {
    dlq = await testTopic();
    await dlq.send([{ value: 'failed', timestamp: String(Date.now() - 3 * 3_600_000) }]);
    const result = await runCheck(kafka({ brokers: brokers!, dlqTopics: [dlq.name], discoverDlqTopics: false, sampling, thresholds: { dlqMessages: 10, dlqAgeMs: 3_600_000 } }), 'queue.processing.dlq-health');
    expect(result).toMatchObject({ status: 'warn', summary: `${dlq.name}'s oldest message is 3 h old` });
  });

  it('fails when the dead-letter topic grows during the window', async () => {
    dlq = await testTopic();
    pump = setInterval(() => { void dlq.send([{ value: 'failing now' }]); }, 100);
    const result = await runCheck(probe(), 'queue.processing.dlq-health');
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(new RegExp(`^${dlq.name.replaceAll('.', '\\.')} grew by \\d+ during the 400 ms window: messages are failing now`));
  });

  it('skips when there is no dead-letter topic', async () => {
    expect(await runCheck(kafka({ brokers: brokers!, discoverDlqTopics: false }), 'queue.processing.dlq-health')).toMatchObject({ status: 'skip' });
  });
});

describe('dlqTopicsOf', () => {
  const existing = ['orders', 'orders.DLT', 'payments-dlt', 'audit.dlq', 'mail-dead-letter', 'probe.x.ops-dlq', 'dltx', 'custom-failures'];
  it('takes declared routes, listed topics and, unless turned off, topics named like dead-letter topics', () => {
    const options = kafkaOptionsSchema.parse({ brokers: 'k:9092', dlq: [{ input: 'orders', poison: { value: 'x' } }], dlqTopics: ['custom-failures', 'not-there'] });
    expect(dlqTopicsOf(options, existing)).toEqual(['audit.dlq', 'custom-failures', 'mail-dead-letter', 'orders.DLT', 'payments-dlt']);
    expect(dlqTopicsOf({ ...options, discoverDlqTopics: false }, existing)).toEqual(['custom-failures', 'orders.DLT']);
  });
});
