import { defineCheck, type Check } from '@probe/core';
import type { Delivery } from '../driver.ts';
import { ofPurpose, probeMessages, seqOf } from '../messages.ts';
import { listSome, verdict, type Finding } from '../verdict.ts';
import type { OpsConfig, OpsResources } from './resources.ts';

/** What a restart of the consumer showed. */
export interface RestartReport {
  /** Sequence numbers neither acknowledged before the restart nor received after it. */
  lost: number[];
  /** Acknowledged before the restart and delivered again after it (beyond at-least-once). */
  redeliveredAfterAck: number[];
}

/** Account for every message of `0..count-1` across a consumer restart. */
export function restartReport(count: number, acked: readonly number[], after: readonly number[]): RestartReport {
  const ackedSet = new Set(acked);
  const afterSet = new Set(after);
  const all = Array.from({ length: count }, (_, seq) => seq);
  return {
    lost: all.filter((seq) => !ackedSet.has(seq) && !afterSet.has(seq)),
    redeliveredAfterAck: [...afterSet].filter((seq) => ackedSet.has(seq)).sort((a, b) => a - b),
  };
}

/**
 * `queue.ops.persistence`: messages survive a consumer restart. A consumer
 * acknowledges the first half and stops; a new consumer with the same name
 * (Kafka group, JetStream durable, the same AMQP queue) must get the rest:
 * none lost, none acknowledged delivered again. The destination's durability
 * settings are reported, and drivers add their declared topics'.
 */
export function persistenceCheck<R extends OpsResources>(config: OpsConfig<R>): Check<R> {
  return defineCheck<R>({
    id: 'queue.ops.persistence',
    title: 'Messages survive a consumer restart: the same consumer resumes from its acknowledged position',
    checklist: ['integration.message-queue.queue-operations.test-persistence'],
    writes: true,
    async run(context) {
      const { driver } = context.resources;
      const { signal } = context;
      const count = config.ops.persistenceMessages;
      const half = Math.floor(count / 2);
      const timeoutMs = config.ops.consumeTimeoutMs;
      const destination = await driver.destination('persistence', signal);
      await driver.publish(destination, probeMessages(context.runId, 'persistence', count, 64), signal);
      const filter = ofPurpose(context.runId, 'persistence');

      const first = await driver.subscribe(destination, 'persistence', signal);
      let acked: Delivery[];
      try {
        acked = await first.take({ count: half, timeoutMs, signal, filter, ack: true });
      } finally {
        await first.close();
      }
      const second = await driver.subscribe(destination, 'persistence', signal);
      let after: Delivery[];
      try {
        after = await second.take({ count: count - acked.length, timeoutMs, signal, filter, ack: true });
      } finally {
        await second.close();
      }
      const report = restartReport(count, acked.map(seqOf), after.map(seqOf));
      const findings: Finding[] = [];
      if (acked.length < half) findings.push({ severity: 'fail', text: `the first consumer received only ${acked.length} of ${count} within ${timeoutMs} ms` });
      if (report.lost.length > 0) findings.push({ severity: 'fail', text: `${report.lost.length} of ${count} messages lost across the consumer restart (${listSome(report.lost.map(String))})` });
      if (report.redeliveredAfterAck.length > 0) {
        findings.push({ severity: 'fail', text: `${report.redeliveredAfterAck.length} acknowledged messages were delivered again after the restart (${listSome(report.redeliveredAfterAck.map(String))})` });
      }
      const evidence: Record<string, unknown> = {
        destination, sent: count, ackedBeforeRestart: acked.length, receivedAfterRestart: after.length,
        redeliveredAfterRestart: after.filter((delivery) => delivery.redelivered).length,
        ...report, settings: await driver.durability(destination, signal), reproduce: driver.reproduce(destination).consume,
      };
      const extension = await config.persistence?.(context);
      if (extension) {
        findings.push(...extension.findings);
        Object.assign(evidence, extension.evidence);
      }
      return verdict(findings, `a restarted consumer resumed after the ${acked.length} acknowledged messages and received the other ${after.length}: none lost, none delivered twice${extension ? `; ${extension.passText}` : ''}`, evidence);
    },
  });
}
