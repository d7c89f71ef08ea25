import { defineCheck, type Check } from '@probe/core';
import { difference, ofPurpose, probeMessages } from '../messages.ts';
import { verdict, type Finding } from '../verdict.ts';
import { opsSubscription, type OpsConfig, type OpsResources } from './resources.ts';

/**
 * `queue.ops.consume`: a probe-owned consumer receives a freshly published
 * message byte-identical (payload, key, headers) within the deadline; the
 * publish-to-receive round trip is timed.
 */
export function consumeCheck<R extends OpsResources>(config: OpsConfig<R>): Check<R> {
  return defineCheck<R>({
    id: 'queue.ops.consume',
    title: 'A probe-owned consumer receives a published message byte-identical and in time',
    checklist: ['integration.message-queue.queue-operations.verify-consumption'],
    writes: true,
    async run(context) {
      const { driver } = context.resources;
      const { ops, thresholds } = config;
      const { destination, subscription } = await opsSubscription(context.resources, context.signal);
      const evidence: Record<string, unknown> = { destination, reproduce: driver.reproduce(destination).consume };
      const [sent] = probeMessages(context.runId, 'consume', 1, 256);
      const sentAt = Date.now();
      await driver.publish(destination, [sent!], context.signal);
      const [got] = await subscription.take({ count: 1, timeoutMs: ops.consumeTimeoutMs, signal: context.signal, filter: ofPurpose(context.runId, 'consume'), ack: true });
      if (!got) {
        return { status: 'fail', summary: `the message published to ${driver.noun} ${destination} was not received within ${ops.consumeTimeoutMs} ms`, evidence };
      }
      const roundTripMs = got.receivedAt - sentAt;
      context.metric('queue.roundtrip_ms', roundTripMs, 'ms');
      evidence.roundTripMs = roundTripMs;
      evidence.received = { partition: got.partition, position: got.position, bytes: got.value.length, headers: got.headers };
      const findings: Finding[] = [];
      const differs = difference(sent!, got);
      if (differs) findings.push({ severity: 'fail', text: `the received message is not what was sent: ${differs}` });
      if (roundTripMs > thresholds.roundTripMs) findings.push({ severity: 'warn', text: `publish-to-receive round trip ${roundTripMs} ms is above the ${thresholds.roundTripMs} ms threshold` });
      return verdict(findings, `received a published message byte-identical from ${driver.noun} ${destination}; round trip ${roundTripMs} ms`, evidence);
    },
  });
}
