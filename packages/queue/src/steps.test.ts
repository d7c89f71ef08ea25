import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineFlow, defineProbe, expectStep, run, type FlowStep, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { brokers, testTopic } from '../test/support/kafka.ts';
import { kafkaMessageStep } from './steps.ts';
import type { TestTopic } from './testing/index.ts';

async function runFlow(steps: FlowStep[]): Promise<{ result: Result; runId: string }> {
  const events = collectEvents();
  const summary = await run([defineProbe({ target: { kind: 'system', name: 'shop' }, checks: [defineFlow({ name: 'order', steps, timeoutMs: 8_000 })] })], { reporters: [events] });
  return { result: summary.results[0]!, runId: summary.runId };
}

type Output = Record<string, unknown>;
const outputs = (result: Result) => (result.evidence.steps as { output: Output }[]).map((step) => step.output);

describe.skipIf(!brokers)('kafkaMessageStep', () => {
  let topic: TestTopic;
  beforeAll(async () => { topic = await testTopic({ partitions: 3 }); });
  afterAll(() => topic?.delete());

  it('finds the message an earlier step caused, sent before it started reading or while it waits, and leaves no group behind', async () => {
    await topic.send([{ key: 'order-1', value: JSON.stringify({ orderId: 'order-1', totalCents: 30 }) }, { key: 'other', value: 'x' }]);
    const { result, runId } = await runFlow([
      { name: 'place', run: () => ({ id: 'order-1' }) },
      kafkaMessageStep({
        name: 'event', brokers: brokers!, topic: topic.name, match: (message, state) => message.key === (state.place as { id: string }).id,
        expect: (message) => expectStep((message.json as { totalCents: number }).totalCents === 30, 'wrong total'),
      }),
      { name: 'later', run: () => { setTimeout(() => void topic.send([{ key: 'order-2', value: '{"orderId":"order-2"}' }]), 300); } },
      kafkaMessageStep({ name: 'event-2', brokers: brokers!, topic: topic.name, match: (message) => message.key === 'order-2', withinMs: 3_000 }),
    ]);
    expect(result.status).toBe('pass');
    const [, event, , second] = outputs(result);
    expect(event).toMatchObject({ topic: topic.name, key: 'order-1', json: { orderId: 'order-1', totalCents: 30 } });
    expect(second).toMatchObject({ key: 'order-2' });
    const admin = topic.kafka.admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((id) => id.startsWith(`probe.${runId}.`));
    await admin.disconnect();
    expect(groups).toEqual([]);
  });

  it('fails naming the step when no message matches in time, with what it read and a kcat line', async () => {
    await topic.send([{ key: 'noise', value: 'n' }]);
    const { result } = await runFlow([kafkaMessageStep({ name: 'event', brokers: brokers!, topic: topic.name, match: (message) => message.key === 'never', withinMs: 500 })]);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(new RegExp(`failed at step 1/1 "event" \\(kafka\\): no message on ${topic.name.replace('.', '\\.')} matched within 500 ms \\(\\d+ read since `));
    const [output] = outputs(result);
    expect(output!.scanned).toBeGreaterThanOrEqual(1);
    expect(output!.reproduce).toMatch(new RegExp(`^kcat -b ${brokers} -C -t ${topic.name.replace('.', '\\.')} -o s@\\d+ -e`));
  });

  it('fails with the message when it does not hold what the flow expects', async () => {
    await topic.send([{ key: 'order-3', value: '{"totalCents":25}' }]);
    const { result } = await runFlow([kafkaMessageStep({
      name: 'event', brokers: brokers!, topic: topic.name, match: (message) => message.key === 'order-3',
      expect: (message) => ((message.json as { totalCents: number }).totalCents === 30 ? true : 'the event says 25, the API said 30'),
    })]);
    expect(result.summary).toMatch(/"event" \(kafka\): .* the event says 25, the API said 30$/);
    expect(outputs(result)[0]).toMatchObject({ key: 'order-3', value: '{"totalCents":25}' });
  });

  it('is an error when the brokers cannot be reached', async () => {
    const { result } = await runFlow([kafkaMessageStep({ name: 'event', brokers: '127.0.0.1:1', topic: 'x', match: () => true })]);
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_UNREACHABLE' } });
  });
});
