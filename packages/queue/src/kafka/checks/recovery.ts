import { defineCheck, type Check } from '@probe/core';
import type { Delivery, Subscription } from '../../shared/driver.ts';
import { ofPurpose, probeMessages, seqOf } from '../../shared/messages.ts';
import { restartReport } from '../../shared/ops/persistence.ts';
import { abortable, sleep } from '../../shared/time.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { describeGroup } from '../lag.ts';
import type { KafkaOptions } from '../options.ts';
import type { KafkaResources } from '../resources.ts';
import type { KafkaSubscription } from '../subscription.ts';

/** Bound on the two members reaching a Stable group with a partition each. */
const STABLE_WITHIN_MS = 3_000;

/** Take (and commit) deliveries in short slices until `done()` says stop. */
async function drain(subscription: Subscription, filter: (delivery: Delivery) => boolean, into: Delivery[], done: () => boolean, signal: AbortSignal): Promise<void> {
  while (!done()) into.push(...(await subscription.take({ count: 10_000, timeoutMs: 50, signal, filter, ack: true })));
}

/**
 * `queue.processing.recovery`: two members of a probe-owned group share a
 * topic's partitions; mid-stream one leaves, and the other must take over its
 * partitions and resume from their committed offsets: every message consumed,
 * none acknowledged twice. Reports the takeover time (leave → first message
 * from a partition the leaver owned).
 */
export function recoveryCheck(options: KafkaOptions): Check<KafkaResources> {
  const perPhase = options.ops.persistenceMessages;
  const timeoutMs = options.ops.consumeTimeoutMs;
  return defineCheck<KafkaResources>({
    id: 'queue.processing.recovery',
    title: 'When a consumer leaves mid-stream, the group rebalances and resumes without loss',
    checklist: ['integration.message-queue.message-processing.test-recovery'],
    writes: true,
    timeoutMs: STABLE_WITHIN_MS + timeoutMs * 2 + 3_000,
    async run(context) {
      const { signal } = context;
      const resources = context.resources;
      const topic = await resources.topic('recovery', signal, Math.max(2, options.probeTopic.partitions));
      const groupId = `probe.${context.runId}.recovery`;
      const leaving = await resources.subscribe('recovery', [topic], 'earliest', signal);
      const staying = await resources.subscribe('recovery', [topic], 'earliest', signal);
      try {
        const unstable = await stableWithTwo(resources, groupId, [leaving, staying], signal);
        if (unstable) return { status: 'fail', summary: unstable, evidence: { topic, group: groupId } };
        const leaverOwned = new Set(leaving.assigned());
        const messages = probeMessages(context.runId, 'recovery', perPhase * 2, 64).map((message, seq) => ({ ...message, key: `${message.key}-${seq % 16}` }));
        const producer = await resources.producer();
        const send = (slice: typeof messages) => abortable(producer.send({ topic, acks: -1, messages: slice.map(({ key, value, headers }) => ({ key, value, headers })) }), signal);
        const filter = ofPurpose(context.runId, 'recovery');
        const byLeaver: Delivery[] = [];
        const byStayer: Delivery[] = [];
        const seen = () => new Set([...byLeaver, ...byStayer].map(seqOf)).size;

        await send(messages.slice(0, perPhase));
        const firstDeadline = Date.now() + timeoutMs;
        const phaseOneDone = () => seen() >= perPhase || Date.now() > firstDeadline;
        await Promise.all([drain(leaving, filter, byLeaver, phaseOneDone, signal), drain(staying, filter, byStayer, phaseOneDone, signal)]);

        const leftAt = Date.now();
        await leaving.close();
        await send(messages.slice(perPhase));
        const secondDeadline = Date.now() + timeoutMs;
        await drain(staying, filter, byStayer, () => seen() >= perPhase * 2 || Date.now() > secondDeadline, signal);

        const takeover = byStayer.find((delivery) => delivery.receivedAt >= leftAt && leaverOwned.has(`${topic}-${delivery.partition}`));
        const report = restartReport(perPhase * 2, byLeaver.map(seqOf), byStayer.map(seqOf));
        const findings: Finding[] = [];
        if (report.lost.length > 0) findings.push({ severity: 'fail', text: `${report.lost.length} of ${perPhase * 2} messages were not consumed after a member left (${listSome(report.lost.map(String))})` });
        if (report.redeliveredAfterAck.length > 0) findings.push({ severity: 'fail', text: `${report.redeliveredAfterAck.length} messages committed by the leaver were consumed again (${listSome(report.redeliveredAfterAck.map(String))})` });
        const takeoverMs = takeover ? takeover.receivedAt - leftAt : undefined;
        if (takeoverMs !== undefined) context.metric('queue.rebalance_takeover_ms', takeoverMs, 'ms');
        return verdict(findings, `a member left mid-stream; the other took over its ${plural(leaverOwned.size, 'partition')}${takeoverMs === undefined ? '' : ` in ${takeoverMs} ms`} and all ${perPhase * 2} messages were consumed once`, {
          topic, group: groupId, leaverOwned: [...leaverOwned], consumedByLeaver: byLeaver.length, consumedByStayer: byStayer.length, takeoverMs, ...report,
        });
      } finally {
        await Promise.all([leaving.close(), staying.close()]);
      }
    },
  });
}

/** Wait until the group is Stable and each member knows its own, disjoint partitions; a problem in words otherwise. */
async function stableWithTwo(resources: KafkaResources, groupId: string, members: KafkaSubscription[], signal: AbortSignal): Promise<string | undefined> {
  const deadline = Date.now() + STABLE_WITHIN_MS;
  for (;;) {
    const group = await describeGroup(resources.admin, groupId, signal);
    const owned = members.map((member) => member.assigned());
    const disjoint = new Set(owned.flat()).size === owned.flat().length;
    if (group.state === 'Stable' && group.members.length === members.length && owned.every((keys) => keys.length > 0) && disjoint) return undefined;
    if (Date.now() > deadline) return `the probe group ${groupId} did not settle with ${members.length} members sharing its partitions within ${STABLE_WITHIN_MS} ms (state ${group.state}, ${group.members.length} members)`;
    await sleep(50, signal);
  }
}
