import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, testTopic } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { kafka } from '../kafka-probe.ts';

describe.skipIf(!brokers)('queue.mgmt.routing', () => {
  let orders: TestTopic;
  let events: TestTopic;
  beforeAll(async () => {
    [orders, events] = await Promise.all([testTopic({ partitions: 3 }), testTopic({ partitions: 1, configs: { 'cleanup.policy': 'compact', 'retention.ms': '86400000' } })]);
  });
  afterAll(() => Promise.all([orders?.delete(), events?.delete()]));

  it('passes when every declared topic matches', async () => {
    const result = await runCheck(kafka({
      brokers: brokers!,
      topics: [
        { name: orders.name, partitions: 3, replicationFactor: 1, cleanupPolicy: 'delete' },
        { name: events.name, partitions: 1, cleanupPolicy: 'compact', configs: { 'retention.ms': 86_400_000 } },
      ],
    }), 'queue.mgmt.routing');
    expect(result).toMatchObject({ status: 'pass', summary: '2 declared topics exist as declared' });
  });

  it('fails on a wrong partition count, replication factor and config, naming each, with the commands to see it', async () => {
    const result = await runCheck(kafka({
      brokers: brokers!,
      topics: [{ name: orders.name, partitions: 12, replicationFactor: 3, cleanupPolicy: 'compact', configs: { 'min.insync.replicas': '2' } }],
    }), 'queue.mgmt.routing');
    expect(result.status).toBe('fail');
    expect(result.summary).toBe(`${orders.name}: partitions 3, expected 12, replication factor 1, expected 3, cleanup.policy=delete, expected compact, min.insync.replicas=1, expected 2`);
    expect(result.evidence.reproduce).toEqual([
      `kafka-topics.sh --bootstrap-server ${brokers} --describe --topic ${orders.name}`,
      `kafka-configs.sh --bootstrap-server ${brokers} --describe --entity-type topics --entity-name ${orders.name}`,
    ]);
  });

  it('fails on a declared topic that does not exist', async () => {
    const result = await runCheck(kafka({ brokers: brokers!, topics: [{ name: `${orders.name}-missing` }, { name: orders.name }] }), 'queue.mgmt.routing');
    expect(result).toMatchObject({ status: 'fail', summary: `1 declared topic does not exist: ${orders.name}-missing` });
  });

  it('skips without declared topics', async () => {
    expect(await runCheck(kafka({ brokers: brokers! }), 'queue.mgmt.routing')).toMatchObject({ status: 'skip', reason: 'no topics declared (option `topics`)' });
  });
});
