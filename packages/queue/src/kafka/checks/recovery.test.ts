import { describe, expect, it } from 'vitest';
import { brokers } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import { kafka } from '../kafka-probe.ts';

// The lost/duplicate accounting is tested with constructed cases in shared/ops/persistence.test.ts
// (restartReport); a healthy single broker always hands partitions over, so this is the real run.
describe.skipIf(!brokers)('queue.processing.recovery', () => {
  it('a member leaves mid-stream; the other takes over its partitions and every message is consumed once', async () => {
    const result = await runCheck(kafka({ brokers: brokers!, probeTopic: { partitions: 4 } }), 'queue.processing.recovery');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^a member left mid-stream; the other took over its 2 partitions in \d+ ms and all 40 messages were consumed once$/);
    expect(result.evidence).toMatchObject({ lost: [], redeliveredAfterAck: [] });
    expect((result.evidence.leaverOwned as string[]).length).toBe(2);
    expect(result.metrics.map((metric) => metric.name)).toEqual(['queue.rebalance_takeover_ms']);
  });
});
