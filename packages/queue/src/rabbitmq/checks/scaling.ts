import { defineCheck, type Check } from '@probe/core';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import type { RabbitmqOptions } from '../options.ts';
import type { RabbitmqResources } from '../resources.ts';
import { readDepth } from './depth.ts';

/** `queue.mgmt.scaling`: each declared queue has at least its `minConsumers` consumers. */
export function scalingCheck(options: RabbitmqOptions): Check<RabbitmqResources> {
  return defineCheck<RabbitmqResources>({
    id: 'queue.mgmt.scaling',
    title: 'Declared queues have the consumers they need',
    checklist: ['integration.message-queue.queue-management.test-scaling'],
    parallel: true,
    async run(context) {
      if (options.queues.length === 0) return { status: 'skip', summary: 'no queues declared', reason: 'no queues declared (option `queues`)' };
      const findings: Finding[] = [];
      const consumers: Record<string, number | null> = {};
      for (const queue of options.queues) {
        const depth = await readDepth(context.resources.connection, queue.name);
        consumers[queue.name] = depth?.consumers ?? null;
        if (!depth) findings.push({ severity: 'fail', text: `queue ${queue.name} does not exist` });
        else if (depth.consumers < queue.minConsumers) findings.push({ severity: 'fail', text: `queue ${queue.name} has ${plural(depth.consumers, 'consumer')}, fewer than ${queue.minConsumers}` });
      }
      return verdict(findings, Object.entries(consumers).map(([queue, count]) => `${queue}: ${plural(count ?? 0, 'consumer')}`).join(', '), {
        consumers, reproduce: 'rabbitmqctl list_queues name consumers',
      });
    },
  });
}
