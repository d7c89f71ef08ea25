import { defineCheck, type Check } from '@probe/core';
import { dottedName } from '../../shared/names.ts';
import { verdict, type Finding } from '../../shared/verdict.ts';
import { onThrowaway } from '../connection.ts';
import type { RabbitmqResources } from '../resources.ts';

/**
 * `queue.mgmt.cleanup` for RabbitMQ: the probe can delete what it declares (a
 * queue and an exchange made, deleted, and confirmed gone with passive
 * declares). Leftovers of crashed runs cannot be listed over AMQP (that needs
 * the management API, which the probe does not assume); teardown deletes every
 * name it recorded, also after an abort.
 */
export function cleanupCheck(): Check<RabbitmqResources> {
  return defineCheck<RabbitmqResources>({
    id: 'queue.mgmt.cleanup',
    title: 'Probe-owned queues and exchanges can be deleted',
    checklist: ['integration.message-queue.queue-management.test-cleanup'],
    writes: true,
    async run(context) {
      const { connection, owned } = context.resources;
      const name = dottedName(context.runId, 'cleanup');
      owned.queues.add(name);
      owned.exchanges.add(name);
      const made = await onThrowaway(connection, async (channel) => {
        await channel.assertExchange(name, 'fanout', { durable: false });
        await channel.assertQueue(name, { durable: false });
        await channel.deleteQueue(name);
        await channel.deleteExchange(name);
      });
      const findings: Finding[] = [];
      if (!made.ok) findings.push({ severity: 'fail', text: `declaring and deleting ${name} failed: ${made.error.message}` });
      const queue = await onThrowaway(connection, (channel) => channel.checkQueue(name));
      const exchange = await onThrowaway(connection, (channel) => channel.checkExchange(name));
      if (queue.ok) findings.push({ severity: 'fail', text: `queue ${name} still exists after deletion` });
      if (exchange.ok) findings.push({ severity: 'fail', text: `exchange ${name} still exists after deletion` });
      return verdict(findings, 'probe queues and exchanges can be deleted', {
        note: 'leftovers of crashed runs (probe.<runId>.*) cannot be listed over AMQP; list them with: rabbitmqctl list_queues name | grep ^probe\\.',
      });
    },
  });
}
