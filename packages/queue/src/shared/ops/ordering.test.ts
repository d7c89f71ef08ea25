import { describe, expect, it } from 'vitest';
import { BROKERS, broker } from '../../../test/support/brokers.ts';
import { testTopic } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import { orderReport, partitionsOf } from './ordering.ts';

describe.each(BROKERS)('queue.ops.ordering on $name', (fixture) => {
  it.skipIf(!fixture.url)('messages with one key come back in the order sent', async () => {
    const result = await runCheck(fixture.probe(), 'queue.ops.ordering');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^20 messages with one key landed( on partition \d)? and were consumed in order$/);
    expect(result.evidence).toMatchObject({ sent: 20, received: 20, inversions: [], missing: [], duplicates: [] });
  });
});

describe.skipIf(!broker('kafka').url)('queue.ops.ordering on Kafka: keys of declared keyed topics stay on one partition', () => {
  const keys = ['order-1', 'order-2', 'order-3', 'order-4'];

  it('passes when producers use the key to choose the partition', async () => {
    const topic = await testTopic({ partitions: 3 });
    try {
      await topic.send(keys.flatMap((key) => [1, 2, 3].map((seq) => ({ key, value: `${key}#${seq}` }))));
      const result = await runCheck(broker('kafka').probe({ topics: [{ name: topic.name, keyed: true }] }), 'queue.ops.ordering');
      expect(result.status).toBe('pass');
      expect(result.summary).toMatch(/; each key stays on one partition in 1 keyed topic$/);
    } finally {
      await topic.delete();
    }
  });

  it('fails when a producer spreads one key over partitions (an explicit partition per message, as a round-robin producer does)', async () => {
    const topic = await testTopic({ partitions: 3 });
    try {
      await topic.send(keys.flatMap((key) => [0, 1, 2].map((partition) => ({ key, value: `${key}@${partition}`, partition }))));
      const result = await runCheck(broker('kafka').probe({ topics: [{ name: topic.name, keyed: true }] }), 'queue.ops.ordering');
      expect(result.status).toBe('fail');
      expect(result.summary).toBe(`${topic.name}: 4 keys on more than one partition (order-1 on 0,1,2, order-2 on 0,1,2, order-3 on 0,1,2 and 1 more)`);
      expect((result.evidence.keyedTopics as Record<string, { reproduce: string }>)[topic.name]!.reproduce).toMatch(/^kcat -b \S+ -C -t /);
    } finally {
      await topic.delete();
    }
  });
});

describe('orderReport', () => {
  it('in order', () => {
    expect(orderReport([0, 1, 2, 3], 4)).toEqual({ inversions: [], missing: [], duplicates: [] });
  });
  it('reports each message that arrives after a later one, missing ones and duplicates', () => {
    expect(orderReport([0, 2, 1, 3, 3, 5], 6)).toEqual({ inversions: [[1, 2]], missing: [4], duplicates: [3] });
  });
});

describe('partitionsOf', () => {
  it('lists the distinct partitions of receipts; none for brokers without partitions', () => {
    expect(partitionsOf([{ id: 'a', partition: 2, position: '0' }, { id: 'b', partition: 0, position: '1' }, { id: 'c', partition: 2, position: '2' }])).toEqual([0, 2]);
    expect(partitionsOf([{ id: 'a', position: '-' }])).toEqual([]);
  });
});
