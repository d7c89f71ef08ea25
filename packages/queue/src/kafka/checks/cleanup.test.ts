import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers } from '../../../test/support/kafka.ts';
import { runCheck } from '../../../test/support/run.ts';
import { kafka } from '../kafka-probe.ts';

describe.skipIf(!brokers)('queue.mgmt.cleanup', () => {
  // A run id from two hours ago, as newRunId() makes them: what a crashed run leaves behind.
  const crashedRun = `${(Date.now() - 2 * 3_600_000).toString(36)}abc123`;
  const staleTopic = `probe.${crashedRun}.ops`;
  const admin = new Kafka({ brokers: (brokers ?? '').split(','), logLevel: logLevel.NOTHING, retry: { retries: 1 } }).admin();
  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('passes: probe topics and groups can be deleted, and nothing stale is left', async () => {
    const result = await runCheck(kafka({ brokers: brokers! }), 'queue.mgmt.cleanup');
    expect(result).toMatchObject({ status: 'pass', summary: 'probe topics and groups can be deleted; no probe leftovers older than 60 min' });
    expect(result.evidence.deleteRoundTrip).toBe('created and deleted a probe topic and group');
  });

  it('warns about leftovers of a crashed run, with the commands that remove them; a fresh run of another probe is not stale', async () => {
    const running = `probe.${Date.now().toString(36)}def456.ops`;
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: staleTopic }, { topic: running }] });
    try {
      const result = await runCheck(kafka({ brokers: brokers! }), 'queue.mgmt.cleanup');
      expect(result).toMatchObject({ status: 'warn', summary: `leftovers of earlier probe runs: 1 topic (${staleTopic})` });
      expect(result.evidence.remove).toEqual([`kafka-topics.sh --bootstrap-server ${brokers} --delete --topic ${staleTopic}`]);
    } finally {
      await admin.deleteTopics({ topics: [staleTopic, running] });
    }
  });

  it('under --read-only only reports leftovers (no delete round trip)', async () => {
    const result = await runCheck(kafka({ brokers: brokers! }), 'queue.mgmt.cleanup', { readOnly: true });
    expect(result).toMatchObject({ status: 'pass', summary: 'no probe leftovers older than 60 min', evidence: {} });
  });
});
