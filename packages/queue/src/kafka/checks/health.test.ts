import { afterEach, describe, expect, it } from 'vitest';
import { brokers, testTopic } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { kafka } from '../kafka-probe.ts';

// A single broker only ever has healthy partitions: the partition rules are tested on real and
// edited metadata in partition-health.test.ts; here the defect is a missing broker.
describe.skipIf(!brokers)('queue.mgmt.health', () => {
  const topics: TestTopic[] = [];
  afterEach(async () => {
    await Promise.all(topics.splice(0).map((topic) => topic.delete()));
  });

  it('passes on a live single-broker cluster, naming brokers, controller and partitions', async () => {
    const topic = await testTopic({ partitions: 2 });
    topics.push(topic);
    const result = await runCheck(kafka({ brokers: brokers!, topics: [{ name: topic.name }] }), 'queue.mgmt.health');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^1 broker live \(controller 1\), every advertised listener reachable; \d+ partitions in \d+ topics?: none offline, under min ISR or under-replicated$/);
    expect(result.evidence.brokers).toEqual([{ nodeId: 1, advertised: brokers!.split(',')[0], reachable: true }]);
  });

  it('fails when fewer brokers are live than expected', async () => {
    const result = await runCheck(kafka({ brokers: brokers!, expect: { brokers: 3 } }), 'queue.mgmt.health');
    expect(result.status).toBe('fail');
    expect(result.summary).toBe('1 of 3 expected brokers are live (1)');
  });

  it('min.insync.replicas above the replication factor is not "under min ISR": brokers ≥ 3.7 cap it (the persistence check warns)', async () => {
    const topic = await testTopic({ partitions: 2, configs: { 'min.insync.replicas': '2' } });
    topics.push(topic);
    const result = await runCheck(kafka({ brokers: brokers!, topics: [{ name: topic.name }] }), 'queue.mgmt.health');
    expect(result.status).toBe('pass');
    expect(result.metrics).toContainEqual({ name: 'queue.kafka.offline_partitions', value: 0, unit: 'count' });
  });
});
