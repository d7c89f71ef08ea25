import { defineCheck, type Check } from '@probe/core';
import { windowTiming } from '../../shared/options.ts';
import { sampleOverWindow } from '../../shared/time.ts';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import type { RabbitmqOptions } from '../options.ts';
import type { RabbitmqResources } from '../resources.ts';
import { evaluateDepth, readDepth, type DepthSample } from './depth.ts';

/**
 * `queue.mgmt.backlog`: each declared queue's ready messages and consumers
 * over the sampling window: no consumer while messages wait fails (STOP); a
 * queue that never drains warns, and so does one above `thresholds.readyMessages`.
 */
export function backlogCheck(options: RabbitmqOptions): Check<RabbitmqResources> {
  const { samples, intervalMs } = options.sampling;
  return defineCheck<RabbitmqResources>({
    id: 'queue.mgmt.backlog',
    title: 'Declared queues drain: depth and consumers over a sampling window',
    checklist: ['integration.message-queue.queue-management.check-backlog'],
    ...windowTiming(options.sampling),
    async run(context) {
      if (options.queues.length === 0) return { status: 'skip', summary: 'no queues declared', reason: 'no queues declared (option `queues`)' };
      const { connection } = context.resources;
      const readings = await sampleOverWindow(samples, intervalMs, context.signal, () => Promise.all(options.queues.map((queue) => readDepth(connection, queue.name))));
      const findings: Finding[] = [];
      const queues = options.queues.map((queue, index) => {
        const series = readings.map((reading) => reading.value[index]);
        if (series.some((sample) => sample === undefined)) {
          findings.push({ severity: 'fail', text: `queue ${queue.name} does not exist` });
          return { queue: queue.name, missing: true };
        }
        const window = series as DepthSample[];
        const evaluation = evaluateDepth(window);
        const last = window.at(-1)!;
        if (evaluation.status === 'STOP') findings.push({ severity: 'fail', text: `queue ${queue.name} STOP: ${evaluation.rule}` });
        if (evaluation.status === 'WARN') findings.push({ severity: 'warn', text: `queue ${queue.name} WARN: ${evaluation.rule}` });
        if (last.ready > options.thresholds.readyMessages) findings.push({ severity: 'warn', text: `queue ${queue.name} holds ${last.ready} ready messages (above ${options.thresholds.readyMessages})` });
        return { queue: queue.name, status: evaluation.status, rule: evaluation.rule, ready: window.map((sample) => sample.ready), consumers: last.consumers };
      });
      const total = queues.reduce((sum, queue) => sum + ('ready' in queue ? queue.ready!.at(-1)! : 0), 0);
      context.metric('queue.ready_messages', total, 'count');
      const count = options.queues.length;
      return verdict(findings, `${plural(count, 'declared queue')} drain${count === 1 ? 's' : ''} (${total} ready now) over ${samples} samples ${intervalMs} ms apart`, {
        window: { samples, intervalMs }, queues, reproduce: 'rabbitmqctl list_queues name messages_ready messages_unacknowledged consumers',
      });
    },
  });
}
