import { defineCheck, type Check } from '@probe/core';
import { windowMs, windowTiming } from '../../shared/options.ts';
import { abortable, sleep } from '../../shared/time.ts';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import { natsCli } from '../connection.ts';
import type { NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';
import { listenForDeadLetters } from './advisories.ts';

/**
 * `queue.processing.dlq-health` for NATS: over the sampling window, the
 * declared consumers' dead letters — MAX_DELIVERIES advisories (a message
 * given up after `max_deliver`) fail, MSG_TERMINATED ones warn — and messages
 * currently being redelivered (`num_redelivered`) warn.
 */
export function dlqHealthCheck(options: NatsOptions): Check<NatsResources> {
  const window = windowMs(options.sampling);
  return defineCheck<NatsResources>({
    id: 'queue.processing.dlq-health',
    title: 'Declared consumers: messages given up (max-deliver, terminated) and redelivered during the window',
    checklist: ['integration.message-queue.message-processing.check-dead-letters', 'integration.message-queue.message-processing.monitor-failures'],
    ...windowTiming(options.sampling),
    async run(context) {
      if (options.consumers.length === 0) return { status: 'skip', summary: 'no consumers declared', reason: 'no consumers declared (option `consumers`)' };
      const { connection, jsm } = context.resources;
      const listeners = options.consumers.map((consumer) => ({ consumer, listener: listenForDeadLetters(connection, consumer.stream, consumer.name) }));
      try {
        await abortable(connection.flush(), context.signal);
        await sleep(window, context.signal);
      } finally {
        await Promise.all(listeners.map(({ listener }) => listener.stop()));
      }
      const findings: Finding[] = [];
      const consumers: Record<string, unknown>[] = [];
      for (const { consumer, listener } of listeners) {
        const label = `${consumer.stream}/${consumer.name}`;
        const info = await abortable(jsm.consumers.info(consumer.stream, consumer.name), context.signal).catch(() => undefined);
        const maxDeliveries = listener.advisories.filter((advisory) => advisory.type.endsWith('max_deliver'));
        const terminated = listener.advisories.length - maxDeliveries.length;
        if (maxDeliveries.length > 0) {
          findings.push({ severity: 'fail', text: `${label}: ${plural(maxDeliveries.length, 'message')} exhausted max_deliver during the ${window} ms window (stream seq ${maxDeliveries.map((advisory) => advisory.stream_seq).join(', ')})` });
        }
        if (terminated > 0) findings.push({ severity: 'warn', text: `${label}: ${plural(terminated, 'message')} terminated by the client during the window` });
        if (info && info.num_redelivered > 0) findings.push({ severity: 'warn', text: `${label}: ${plural(info.num_redelivered, 'unacknowledged message')} redelivered at least once (num_redelivered)` });
        if (!info) findings.push({ severity: 'fail', text: `consumer ${label} does not exist` });
        consumers.push({ consumer: label, advisories: listener.advisories, numRedelivered: info?.num_redelivered, maxDeliver: info?.config.max_deliver });
      }
      context.metric('queue.dlq_growth', listeners.reduce((sum, { listener }) => sum + listener.advisories.length, 0), 'count');
      return verdict(findings, `${plural(options.consumers.length, 'consumer')}: no message given up or redelivered in ${window} ms`, {
        window: { ms: window }, consumers,
        subscribe: natsCli(options, "sub '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.>'"),
      });
    },
  });
}
