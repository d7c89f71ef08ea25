import { afterEach, describe, expect, it } from 'vitest';
import { brokers, startApp, testTopic, type App } from '../../../test/support/kafka.ts';
import { runCheck, waitFor } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { kafka } from '../kafka-probe.ts';

const sampling = { samples: 5, intervalMs: 150 };
const messages = (count: number, from = 0) => Array.from({ length: count }, (_, index) => ({ key: `k${(from + index) % 7}`, value: `m${from + index}` }));

describe.skipIf(!brokers)('queue.mgmt.backlog: lag over a window, by Burrow’s rules (groups read through the admin API only)', () => {
  let topic: TestTopic;
  let app: App | undefined;
  let release: () => void = () => {};
  let pump: NodeJS.Timeout | undefined;
  afterEach(async () => {
    clearInterval(pump);
    release();
    await app?.stop();
    app = undefined;
    await topic?.delete();
  });

  /** Keep producing `perTick` messages every 100 ms (the topic keeps growing during the window). */
  const keepProducing = (perTick: number) => {
    let sent = 1_000;
    pump = setInterval(() => { void topic.send(messages(perTick, sent)); sent += perTick; }, 100);
  };

  it('OK: a consumer that keeps up', async () => {
    topic = await testTopic({ partitions: 2 });
    const group = topic.ownGroup('app');
    await topic.send(messages(20));
    let seen = 0;
    app = await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => { seen++; } });
    await waitFor(() => seen === 20, 3_000, 'the app to consume 20');
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group], sampling }), 'queue.mgmt.backlog');
    expect(result).toMatchObject({ status: 'pass', summary: '1 group OK over 5 samples 150 ms apart (total lag 0)' });
    expect(result.metrics).toEqual([{ name: 'queue.consumer_lag', value: 0, unit: 'count' }]);
  });

  it('STALL: a live consumer stuck on a message while lag grows', async () => {
    topic = await testTopic();
    const group = topic.ownGroup('app');
    await topic.send(messages(10));
    const stuck = new Promise<void>((resolve) => { release = resolve; });
    let seen = 0;
    app = await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => { if (++seen === 4) await stuck; } });
    await waitFor(() => seen === 4, 3_000, 'the app to get stuck');
    keepProducing(3);
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group], sampling }), 'queue.mgmt.backlog');
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(new RegExp(`^group ${group} ERR: ${topic.name.replaceAll('.', '\\.')}-0 STALL \\(lag \\d+: the committed offset stayed at 3 while a member owns the partition\\)$`));
    const partition = (result.evidence.groups as { partitions: { lagSeries: number[] }[] }[])[0]!.partitions[0]!;
    expect(partition.lagSeries.at(-1)).toBeGreaterThan(partition.lagSeries[0]!);
    expect(result.evidence.reproduce).toBe(`kafka-consumer-groups.sh --bootstrap-server ${brokers} --describe --group ${group}`);
  });

  it('STOP: the consumer left with messages waiting', async () => {
    topic = await testTopic();
    const group = topic.ownGroup('app');
    await topic.send(messages(10));
    let seen = 0;
    app = await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => { seen++; } });
    await waitFor(() => seen === 10, 3_000, 'the app to consume 10');
    await app.stop();
    app = undefined;
    await topic.send(messages(6, 10));
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group], sampling }), 'queue.mgmt.backlog');
    expect(result).toMatchObject({ status: 'fail', summary: `group ${group} ERR: ${topic.name}-0 STOP (lag 6: no live member owns the partition and the committed offset stayed at 10)` });
  });

  it('WARN: a consumer that moves but falls behind', async () => {
    topic = await testTopic();
    const group = topic.ownGroup('app');
    await topic.send(messages(5));
    app = await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: () => new Promise((resolve) => setTimeout(resolve, 30)) });
    await app.joined;
    keepProducing(12);
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group], sampling }), 'queue.mgmt.backlog');
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(new RegExp(`^group ${group} WARN: ${topic.name.replaceAll('.', '\\.')}-0 WARN \\(lag \\d+: lag never decreased \\(\\d+ → \\d+\\) although the committed offset moved\\)$`));
  });

  it('REWIND: a committed offset that goes back during the window', async () => {
    topic = await testTopic();
    const group = topic.ownGroup('app');
    await topic.send(messages(30));
    const stuck = new Promise<void>((resolve) => { release = resolve; });
    let seen = 0;
    app = await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => { if (++seen === 21) await stuck; } });
    await waitFor(() => seen === 21, 3_000, 'the app to reach message 21');
    const rewind = setTimeout(() => { void app!.consumer.commitOffsets([{ topic: topic.name, partition: 0, offset: '5' }]); }, 300);
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group], sampling }), 'queue.mgmt.backlog');
    clearTimeout(rewind);
    expect(result).toMatchObject({ status: 'fail', summary: `group ${group} ERR: ${topic.name}-0 REWIND (lag 25: committed offset went back from 20 to 5)` });
  });

  it('fails for a group that does not exist; skips without declared groups', async () => {
    topic = await testTopic();
    const missing = `${topic.name}.nobody`;
    expect(await runCheck(kafka({ brokers: brokers!, groups: [missing], sampling: { samples: 2, intervalMs: 50 } }), 'queue.mgmt.backlog')).toMatchObject({
      status: 'fail', summary: `group ${missing} has no committed offsets and no members: does it exist?`,
    });
    expect(await runCheck(kafka({ brokers: brokers! }), 'queue.mgmt.backlog')).toMatchObject({ status: 'skip' });
  });
});
