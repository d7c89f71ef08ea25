import { defineCheck, type Check } from '@probe/core';
import { windowMs, windowTiming } from '../../shared/options.ts';
import { sampleOverWindow } from '../../shared/time.ts';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import type { RabbitmqOptions } from '../options.ts';
import type { RabbitmqResources } from '../resources.ts';
import { readDepth } from './depth.ts';

/**
 * `queue.processing.dlq-health` for RabbitMQ: each declared dead-letter
 * queue's depth and its growth over the window (AMQP shows no message ages
 * without consuming, and the probe never consumes a user's queue).
 */
export function dlqHealthCheck(options: RabbitmqOptions): Check<RabbitmqResources> {
  const window = windowMs(options.sampling);
  return defineCheck<RabbitmqResources>({
    id: 'queue.processing.dlq-health',
    title: 'Dead-letter queues: depth and growth over the window',
    checklist: ['integration.message-queue.message-processing.check-dead-letters', 'integration.message-queue.message-processing.monitor-failures'],
    ...windowTiming(options.sampling),
    async run(context) {
      if (options.dlqQueues.length === 0) return { status: 'skip', summary: 'no dead-letter queues declared', reason: 'no dead-letter queues declared (option `dlqQueues`)' };
      const { connection } = context.resources;
      const [first, last] = await sampleOverWindow(2, window, context.signal, () => Promise.all(options.dlqQueues.map((queue) => readDepth(connection, queue))));
      const findings: Finding[] = [];
      const queues = options.dlqQueues.map((queue, index) => {
        const before = first!.value[index];
        const after = last!.value[index];
        if (!before || !after) {
          findings.push({ severity: 'fail', text: `dead-letter queue ${queue} does not exist` });
          return { queue, missing: true };
        }
        const growth = after.ready - before.ready;
        if (growth > 0) findings.push({ severity: 'fail', text: `${queue} grew by ${growth} during the ${window} ms window: messages are failing now` });
        if (after.ready > options.thresholds.dlqMessages) findings.push({ severity: 'warn', text: `${queue} holds ${plural(after.ready, 'message')}` });
        return { queue, ready: after.ready, growth, consumers: after.consumers };
      });
      const total = queues.reduce((sum, queue) => sum + (queue.ready ?? 0), 0);
      context.metric('queue.dlq_messages', total, 'count');
      return verdict(findings, `${plural(options.dlqQueues.length, 'dead-letter queue')}: ${total} messages, no growth in ${window} ms`, {
        window: { ms: window }, queues, reproduce: 'rabbitmqctl list_queues name messages_ready consumers',
      });
    },
  });
}
