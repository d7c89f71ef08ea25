import { defineCheck, type Check } from '@probe/core';
import type { Receipt } from '../driver.ts';
import { ofPurpose, probeMessages } from '../messages.ts';
import { round, verdict, type Finding } from '../verdict.ts';
import type { OpsConfig, OpsResources } from './resources.ts';

/** Messages per publish call: large enough to batch, small enough to stop near the time bound. */
const CHUNK = 250;

/**
 * `queue.ops.throughput`: publish M messages of S bytes (bounded in count and
 * time) and consume them back; msgs/s and MB/s both ways. Fails under the
 * configured minimum rates; with none configured it reports.
 */
export function throughputCheck<R extends OpsResources>(config: OpsConfig<R>): Check<R> {
  return defineCheck<R>({
    id: 'queue.ops.throughput',
    title: 'Publish and consume rates of a bounded burst (msgs/s, MB/s)',
    checklist: ['integration.message-queue.queue-operations.monitor-throughput'],
    writes: true,
    slow: true,
    timeoutMs: config.ops.throughputTimeMs * 2 + 3_000,
    async run(context) {
      const { driver } = context.resources;
      const { signal } = context;
      const { throughputMessages: total, messageBytes, throughputTimeMs } = config.ops;
      const destination = await driver.destination('throughput', signal);
      const messages = probeMessages(context.runId, 'throughput', total, messageBytes);

      const receipts: Receipt[] = [];
      const publishStarted = performance.now();
      while (receipts.length < total && performance.now() - publishStarted < throughputTimeMs) {
        receipts.push(...(await driver.publish(destination, messages.slice(receipts.length, receipts.length + CHUNK), signal)));
      }
      const publishSeconds = (performance.now() - publishStarted) / 1_000;
      const sent = receipts.length;

      const subscription = await driver.subscribe(destination, 'throughput', signal, { autoAck: true });
      let received = 0;
      let consumeSeconds = 0;
      try {
        const deliveries = await subscription.take({ count: sent, timeoutMs: throughputTimeMs, signal, filter: ofPurpose(context.runId, 'throughput') });
        received = deliveries.length;
        const first = deliveries[0]?.receivedAt ?? 0;
        const last = deliveries.at(-1)?.receivedAt ?? 0;
        consumeSeconds = Math.max(last - first, 1) / 1_000;
      } finally {
        await subscription.close();
      }
      const publishRate = round(sent / publishSeconds);
      const consumeRate = round(received / consumeSeconds);
      const megabytes = (count: number) => (count * messageBytes) / 1_000_000;
      context.metric('queue.publish_rate', publishRate, 'msgs/s');
      context.metric('queue.publish_mbps', round(megabytes(sent) / publishSeconds, 2), 'MB/s');
      context.metric('queue.consume_rate', consumeRate, 'msgs/s');
      context.metric('queue.consume_mbps', round(megabytes(received) / consumeSeconds, 2), 'MB/s');

      const { minPublishRate, minConsumeRate } = config.thresholds;
      const findings: Finding[] = [];
      if (publishRate < minPublishRate) findings.push({ severity: 'fail', text: `publish rate ${publishRate} msgs/s is below the ${minPublishRate} msgs/s minimum` });
      if (consumeRate < minConsumeRate) findings.push({ severity: 'fail', text: `consume rate ${consumeRate} msgs/s is below the ${minConsumeRate} msgs/s minimum` });
      if (received < sent) findings.push({ severity: 'warn', text: `only ${received} of ${sent} messages were consumed within ${throughputTimeMs} ms` });
      const cut = sent < total ? ` (stopped at the ${throughputTimeMs} ms bound after ${sent} of ${total})` : '';
      return verdict(findings, `published ${sent} × ${messageBytes} B at ${publishRate} msgs/s (${round(megabytes(sent) / publishSeconds, 2)} MB/s)${cut}; consumed at ${consumeRate} msgs/s (${round(megabytes(received) / consumeSeconds, 2)} MB/s)`, {
        destination, sent, received, messageBytes, publishSeconds: round(publishSeconds, 3), consumeSeconds: round(consumeSeconds, 3),
      });
    },
  });
}
