import { defineCheck, type Check } from '@probe/core';
import type { Delivery, Receipt } from '../driver.ts';
import { ofPurpose, probeMessages, seqOf } from '../messages.ts';
import { listSome, plural, verdict, type Finding } from '../verdict.ts';
import { opsSubscription, type OpsConfig, type OpsResources } from './resources.ts';

/** How a received sequence departs from the sent one. */
export interface OrderReport {
  /** Adjacent pairs received out of order: `[earlier seq, later seq]` where the later one came first. */
  inversions: [number, number][];
  missing: number[];
  duplicates: number[];
}

/** Compare received sequence numbers with `0..count-1` in order. */
export function orderReport(received: readonly number[], count: number): OrderReport {
  const inversions: [number, number][] = [];
  const seen = new Set<number>();
  const duplicates: number[] = [];
  let highest = -1;
  for (const seq of received) {
    if (seen.has(seq)) duplicates.push(seq);
    else if (seq < highest) inversions.push([seq, highest]);
    seen.add(seq);
    highest = Math.max(highest, seq);
  }
  const missing = Array.from({ length: count }, (_, seq) => seq).filter((seq) => !seen.has(seq));
  return { inversions, missing, duplicates };
}

/** Partitions the broker put messages of one key on (Kafka); empty where there are none. */
export function partitionsOf(receipts: readonly (Receipt | Delivery)[]): number[] {
  return [...new Set(receipts.flatMap((receipt) => (receipt.partition === undefined ? [] : [receipt.partition])))].sort((a, b) => a - b);
}

/**
 * `queue.ops.ordering`: N messages with one key land on one partition and are
 * consumed in the order sent; every inversion is reported. Drivers add their
 * own view (Kafka: key-to-partition affinity of declared keyed topics).
 */
export function orderingCheck<R extends OpsResources>(config: OpsConfig<R>): Check<R> {
  return defineCheck<R>({
    id: 'queue.ops.ordering',
    title: 'Messages with one key stay on one partition and are consumed in the order sent',
    checklist: ['integration.message-queue.queue-operations.check-ordering'],
    writes: true,
    async run(context) {
      const { driver } = context.resources;
      const count = config.ops.orderingMessages;
      const { destination, subscription } = await opsSubscription(context.resources, context.signal);
      const messages = probeMessages(context.runId, 'ordering', count, 64);
      // Sequential sends in chunks: the client may batch within a send, never reorder across awaited sends.
      const receipts: Receipt[] = [];
      for (let start = 0; start < count; start += 10) {
        receipts.push(...(await driver.publish(destination, messages.slice(start, start + 10), context.signal)));
      }
      const deliveries = await subscription.take({ count, timeoutMs: config.ops.consumeTimeoutMs, signal: context.signal, filter: ofPurpose(context.runId, 'ordering'), ack: true });
      const report = orderReport(deliveries.map(seqOf), count);
      const sentTo = partitionsOf(receipts);
      const findings: Finding[] = [];
      if (sentTo.length > 1) findings.push({ severity: 'fail', text: `one key was written to ${sentTo.length} partitions (${sentTo.join(', ')})` });
      if (report.inversions.length > 0) {
        findings.push({ severity: 'fail', text: `${plural(report.inversions.length, 'inversion')}: ${listSome(report.inversions.map(([later, earlier]) => `${later} after ${earlier}`))}` });
      }
      if (report.missing.length > 0) findings.push({ severity: 'fail', text: `${report.missing.length} of ${count} not received within ${config.ops.consumeTimeoutMs} ms` });
      if (report.duplicates.length > 0) findings.push({ severity: 'warn', text: `${plural(report.duplicates.length, 'duplicate')} received: ${listSome(report.duplicates.map(String))}` });
      const evidence: Record<string, unknown> = { destination, sent: count, received: deliveries.length, partitions: sentTo, ...report, reproduce: driver.reproduce(destination).consume };
      const extension = await config.ordering?.(context);
      if (extension) {
        findings.push(...extension.findings);
        Object.assign(evidence, extension.evidence);
      }
      const where = sentTo.length === 1 ? ` on partition ${sentTo[0]}` : '';
      return verdict(findings, `${count} messages with one key landed${where} and were consumed in order${extension ? `; ${extension.passText}` : ''}`, evidence);
    },
  });
}
