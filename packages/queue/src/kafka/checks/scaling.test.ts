import { afterEach, describe, expect, it } from 'vitest';
import { brokers, startApp, testTopic, type App } from '../../../test/support/kafka.ts';
import { runCheck, waitFor } from '../../../test/support/run.ts';
import type { TestTopic } from '../../testing/index.ts';
import { describeGroup } from '../lag.ts';
import { kafka } from '../kafka-probe.ts';

describe.skipIf(!brokers)('queue.mgmt.scaling: members against partitions, group state', () => {
  const topics: TestTopic[] = [];
  const apps: App[] = [];
  let release: () => void = () => {};
  afterEach(async () => {
    release();
    // One by one: kafkajs members stopped together mid-rebalance can rejoin after their disconnect.
    for (const app of apps.splice(0)) await app.stop();
    await Promise.all(topics.splice(0).map((topic) => topic.delete()));
  });
  const topicWith = async (partitions: number) => {
    const topic = await testTopic({ partitions });
    topics.push(topic);
    return topic;
  };
  /** Wait until the group is in `state` with `members` members (any number when undefined). */
  const reaches = async (topic: TestTopic, group: string, state: string, members?: number) => {
    const admin = topic.kafka.admin();
    await admin.connect();
    const signal = new AbortController().signal;
    await waitFor(async () => {
      const description = await describeGroup(admin, group, signal);
      return description.state === state && (members === undefined || description.members.length === members);
    }, 4_000, `${group} ${state}`);
    await admin.disconnect();
  };
  const stable = (topic: TestTopic, group: string, members: number) => reaches(topic, group, 'Stable', members);

  it('passes with one consumer per partition', async () => {
    const topic = await topicWith(2);
    const group = topic.ownGroup('app');
    for (let index = 0; index < 2; index++) apps.push(await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => {} }));
    await stable(topic, group, 2);
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group] }), 'queue.mgmt.scaling');
    expect(result).toMatchObject({ status: 'pass', summary: `${group} Stable: 2 consumers on 2 partitions` });
  });

  it('warns about idle consumers: three on one partition', async () => {
    const topic = await topicWith(1);
    const group = topic.ownGroup('app');
    for (let index = 0; index < 3; index++) apps.push(await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => {} }));
    await stable(topic, group, 3);
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group] }), 'queue.mgmt.scaling');
    expect(result).toMatchObject({ status: 'warn', summary: `group ${group}: 2 of 3 consumers own no partition (1 partition): more consumers add no throughput` });
  });

  it('fails on partitions without an owner (consumers subscribed to one of the declared topics)', async () => {
    const [consumed, forgotten] = [await topicWith(1), await topicWith(2)];
    const group = consumed.ownGroup('app');
    apps.push(await startApp(consumed.kafka, { groupId: group, topics: [consumed.name], handle: async () => {} }));
    await stable(consumed, group, 1);
    const result = await runCheck(kafka({ brokers: brokers!, groups: [{ id: group, topics: [consumed.name, forgotten.name] }] }), 'queue.mgmt.scaling');
    expect(result).toMatchObject({ status: 'fail', summary: `group ${group}: 2 partitions without an owner: ${forgotten.name}-0, ${forgotten.name}-1` });
  });

  it('fails when the group is empty while messages wait, warns when it is empty and idle', async () => {
    const topic = await topicWith(1);
    const group = topic.ownGroup('app');
    await topic.send([{ value: 'a' }, { value: 'b' }]);
    let seen = 0;
    const app = await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => { seen++; } });
    await waitFor(() => seen === 2, 3_000, 'two messages consumed');
    await app.stop();
    const probe = kafka({ brokers: brokers!, groups: [group] });
    expect(await runCheck(probe, 'queue.mgmt.scaling')).toMatchObject({ status: 'warn', summary: `group ${group} has no members (nothing waits now)` });
    await topic.send([{ value: 'c' }]);
    expect(await runCheck(probe, 'queue.mgmt.scaling')).toMatchObject({ status: 'fail', summary: `group ${group} has no members while 1 message waits` });
  });

  it('fails when a rebalance does not settle: a member blocked in its handler cannot rejoin', async () => {
    const topic = await topicWith(2);
    const group = topic.ownGroup('app');
    await topic.send([{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }]);
    const blocked = new Promise<void>((resolve) => { release = resolve; });
    let started = false;
    apps.push(await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => { started = true; await blocked; } }));
    await waitFor(() => started, 3_000, 'the first member to block');
    apps.push(await startApp(topic.kafka, { groupId: group, topics: [topic.name], handle: async () => {} }));
    await reaches(topic, group, 'PreparingRebalance');
    const result = await runCheck(kafka({ brokers: brokers!, groups: [group], thresholds: { rebalanceMs: 600 } }), 'queue.mgmt.scaling');
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(new RegExp(`^group ${group.replaceAll('.', '\\.')} still PreparingRebalance after \\d+ ms \\(rebalance storm or a member that cannot rejoin\\)$`));
  });

  it('fails for a group that does not exist', async () => {
    const topic = await topicWith(1);
    const group = `${topic.name}.nobody`;
    expect(await runCheck(kafka({ brokers: brokers!, groups: [group] }), 'queue.mgmt.scaling')).toMatchObject({ status: 'fail', summary: `group ${group} does not exist (state Dead, no members)` });
  });
});
