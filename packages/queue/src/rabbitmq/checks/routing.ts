import { defineCheck, type Check } from '@probe/core';
import type { ChannelModel } from 'amqplib';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { onThrowaway } from '../connection.ts';
import type { DeclaredExchange, DeclaredQueue, RabbitmqOptions } from '../options.ts';
import type { RabbitmqResources } from '../resources.ts';

/** The argument a 406 names: `inequivalent arg 'x-queue-type' for queue …` → `x-queue-type`. */
function inequivalentArg(message: string): string | undefined {
  return /inequivalent arg '([^']+)'/.exec(message)?.[1];
}

/**
 * Compare a declared queue with the broker's: a passive declare (exists?),
 * then — only when settings are declared — a declare with those settings,
 * which the broker refuses (406) when they differ and which changes nothing
 * when they match. (AMQP cannot read a queue's settings; the management API
 * can, but is not assumed.) A 406 on an argument the user did not declare
 * means "not comparable", not a mismatch.
 */
async function queueProblem(connection: ChannelModel, queue: DeclaredQueue): Promise<string | undefined> {
  const exists = await onThrowaway(connection, (channel) => channel.checkQueue(queue.name));
  if (!exists.ok) return exists.error.code === 404 ? `queue ${queue.name} does not exist` : `queue ${queue.name}: ${exists.error.message}`;
  if (queue.durable === undefined && queue.arguments === undefined) return undefined;
  const same = await onThrowaway(connection, (channel) => channel.assertQueue(queue.name, { durable: queue.durable ?? true, arguments: queue.arguments ?? {} }));
  if (same.ok) return undefined;
  const arg = inequivalentArg(same.error.message);
  const declared = arg === 'durable' ? queue.durable !== undefined : arg !== undefined && queue.arguments !== undefined && arg in queue.arguments;
  const detail = same.error.message.replace(/^.*PRECONDITION_FAILED - /, '').replace(/"$/, '');
  return declared ? `queue ${queue.name}: ${detail}` : `queue ${queue.name} has ${arg ?? 'a setting'} set, which is not declared: declare it to compare (${detail})`;
}

/** The same for an exchange: passive declare, then an equivalent declare when type or durability is declared. */
async function exchangeProblem(connection: ChannelModel, exchange: DeclaredExchange): Promise<string | undefined> {
  const exists = await onThrowaway(connection, (channel) => channel.checkExchange(exchange.name));
  if (!exists.ok) return exists.error.code === 404 ? `exchange ${exchange.name} does not exist` : `exchange ${exchange.name}: ${exists.error.message}`;
  if (exchange.type === undefined && exchange.durable === undefined) return undefined;
  const same = await onThrowaway(connection, (channel) => channel.assertExchange(exchange.name, exchange.type ?? 'direct', { durable: exchange.durable ?? true }));
  return same.ok ? undefined : `exchange ${exchange.name}: ${same.error.message.replace(/^.*PRECONDITION_FAILED - /, '').replace(/"$/, '')}`;
}

/**
 * `queue.mgmt.routing`: declared exchanges and queues exist, with the
 * declared type, durability and arguments (dead-letter exchange, queue type,
 * TTL, length limits) — the broker itself compares them.
 */
export function routingCheck(options: RabbitmqOptions): Check<RabbitmqResources> {
  return defineCheck<RabbitmqResources>({
    id: 'queue.mgmt.routing',
    title: 'Declared exchanges and queues exist with the declared type, durability and arguments',
    checklist: ['integration.message-queue.queue-management.verify-routing'],
    async run(context) {
      const count = options.queues.length + options.exchanges.length;
      if (count === 0) return { status: 'skip', summary: 'no queues or exchanges declared', reason: 'no queues or exchanges declared (options `queues`, `exchanges`)' };
      const { connection } = context.resources;
      const problems: string[] = [];
      for (const exchange of options.exchanges) {
        const problem = await exchangeProblem(connection, exchange);
        if (problem) problems.push(problem);
      }
      for (const queue of options.queues) {
        const problem = await queueProblem(connection, queue);
        if (problem) problems.push(problem);
      }
      const findings: Finding[] = problems.map((text) => ({ severity: 'fail', text }));
      return verdict(findings, `${plural(count, 'declared exchange or queue', 'declared exchanges and queues')} exist as declared`, {
        problems, reproduce: 'rabbitmqctl list_queues name durable arguments && rabbitmqctl list_exchanges name type durable',
        checked: listSome([...options.exchanges, ...options.queues].map((object) => object.name), 20),
      });
    },
  });
}
