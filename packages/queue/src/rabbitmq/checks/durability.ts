import type { CheckContext } from '@probe/core';
import type { Finding } from '../../shared/verdict.ts';
import type { RabbitmqOptions } from '../options.ts';
import type { RabbitmqResources } from '../resources.ts';
import { onThrowaway } from '../connection.ts';

/**
 * The persistence check's RabbitMQ extension: every declared queue must be
 * durable (a transient queue and its messages are gone after a broker
 * restart). AMQP cannot read durability, so the probe re-declares the queue
 * as durable: the broker refuses (406 inequivalent arg 'durable') when it is not.
 */
export function durableQueues(options: RabbitmqOptions) {
  return async (context: CheckContext<RabbitmqResources>) => {
    if (options.queues.length === 0) return undefined;
    const findings: Finding[] = [];
    const durable: Record<string, boolean | 'unknown'> = {};
    for (const queue of options.queues) {
      const exists = await onThrowaway(context.resources.connection, (channel) => channel.checkQueue(queue.name));
      if (!exists.ok) {
        durable[queue.name] = 'unknown';
        continue;
      }
      const redeclared = await onThrowaway(context.resources.connection, (channel) => channel.assertQueue(queue.name, { durable: true, arguments: queue.arguments ?? {} }));
      const transient = !redeclared.ok && /inequivalent arg 'durable'/.test(redeclared.error.message);
      durable[queue.name] = redeclared.ok ? true : transient ? false : 'unknown';
      if (transient) findings.push({ severity: 'fail', text: `queue ${queue.name} is not durable: it and its messages are lost when the broker restarts` });
    }
    return { findings, evidence: { declaredQueuesDurable: durable }, passText: 'declared queues are durable' };
  };
}
