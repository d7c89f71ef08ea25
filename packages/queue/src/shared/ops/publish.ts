import { defineCheck, type Check } from '@probe/core';
import { isRefusal } from '../driver.ts';
import { probeMessages } from '../messages.ts';
import { since } from '../time.ts';
import type { OpsConfig, OpsResources } from './resources.ts';

/** `queue.ops.publish`: one message to a probe-owned destination, confirmed by the broker (acks=all, publisher confirm, PubAck). */
export function publishCheck<R extends OpsResources>(config: OpsConfig<R>): Check<R> {
  return defineCheck<R>({
    id: 'queue.ops.publish',
    title: 'A message published to a probe-owned destination is confirmed by the broker',
    checklist: ['integration.message-queue.queue-operations.test-publishing'],
    writes: true,
    async run(context) {
      const { driver } = context.resources;
      const destination = await driver.destination('ops', context.signal);
      const [message] = probeMessages(context.runId, 'publish', 1, 256);
      const reproduce = driver.reproduce(destination);
      const started = performance.now();
      try {
        const [receipt] = await driver.publish(destination, [message!], context.signal);
        const latencyMs = since(started);
        context.metric('queue.publish_latency_ms', latencyMs, 'ms');
        const where = receipt?.partition === undefined ? '' : ` (partition ${receipt.partition}, offset ${receipt.position})`;
        const evidence = { destination, receipt, latencyMs, reproduce: reproduce.consume };
        if (latencyMs > config.thresholds.publishLatencyMs) {
          return { status: 'warn', summary: `publish to ${driver.noun} ${destination} was confirmed in ${latencyMs} ms, above the ${config.thresholds.publishLatencyMs} ms threshold`, evidence };
        }
        return { status: 'pass', summary: `published 1 message to ${driver.noun} ${destination}${where}, confirmed in ${latencyMs} ms`, evidence };
      } catch (error) {
        if (!isRefusal(error)) throw error;
        return {
          status: 'fail',
          summary: `the broker refused a confirmed publish to ${driver.noun} ${destination}: ${error.reason}: ${error.message}`,
          evidence: { destination, refusal: error.reason, message: error.message, reproduce: reproduce.publish },
        };
      }
    },
  });
}
