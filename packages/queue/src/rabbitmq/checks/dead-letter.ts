import { defineCheck, type Check } from '@probe/core';
import type { Channel, ConsumeMessage } from 'amqplib';
import { ID_HEADER, RUN_HEADER } from '../../shared/messages.ts';
import { dottedName } from '../../shared/names.ts';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import { openChannel } from '../connection.ts';
import type { DeadLetterRoute, RabbitmqOptions } from '../options.ts';
import { publishConfirmed, type RabbitmqResources } from '../resources.ts';

/** One entry of RabbitMQ's `x-death` header, as evidence shows it. */
interface DeathEntry {
  reason: string;
  queue: string;
  exchange: string;
  count: number;
}

/** The `x-death` entries of a dead-lettered message (most recent first, as RabbitMQ writes them). */
function deaths(message: ConsumeMessage): DeathEntry[] {
  return (message.properties.headers?.['x-death'] ?? []).map((entry) => ({
    reason: String(entry.reason), queue: String(entry.queue), exchange: String(entry.exchange), count: Number(entry.count),
  }));
}

/** How {@link takeOne} settles the message it takes: ack it, reject it with requeue, or reject it for good. */
type Settle = 'ack' | 'requeue' | 'reject';

/**
 * Consume from `queue` until a message passes `filter`, settle it, and stop
 * consuming; messages that do not match are requeued. Undefined when none
 * came within `timeoutMs`.
 */
async function takeOne(channel: Channel, queue: string, filter: (message: ConsumeMessage) => boolean, settle: Settle, timeoutMs: number, signal: AbortSignal): Promise<ConsumeMessage | undefined> {
  let tag: string | undefined;
  try {
    return await new Promise<ConsumeMessage | undefined>((resolve, reject) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      signal.addEventListener('abort', () => { clearTimeout(timer); reject(signal.reason); }, { once: true });
      let taken = false;
      channel.consume(queue, (message) => {
        if (!message) return;
        if (taken || !filter(message)) return channel.nack(message, false, true);
        taken = true;
        clearTimeout(timer);
        if (settle === 'ack') channel.ack(message);
        else channel.nack(message, false, settle === 'requeue');
        resolve(message);
      }, { noAck: false }).then((reply) => { tag = reply.consumerTag; }, reject);
    });
  } finally {
    if (tag) await channel.cancel(tag).catch(() => {});
  }
}

const marked = (id: string) => (message: ConsumeMessage) => message.properties.headers?.[ID_HEADER] === id;

/**
 * The broker's own dead-lettering, on probe-owned objects: a work queue with
 * `x-dead-letter-exchange`, a poison message rejected with requeue twice
 * (redelivered each time) and then without: it must reach the dead-letter
 * queue with its payload and an `x-death` entry `{ reason: 'rejected', queue, count: 1 }`.
 */
async function brokerRoundTrip(resources: RabbitmqResources, signal: AbortSignal): Promise<{ findings: Finding[]; evidence: Record<string, unknown> }> {
  const { runId, connection, options } = resources;
  const dlx = dottedName(runId, 'dlx');
  const dlq = dottedName(runId, 'dlq');
  const work = dottedName(runId, 'work');
  resources.owned.exchanges.add(dlx);
  resources.owned.queues.add(dlq).add(work);
  const channel = await openChannel(connection);
  try {
    await channel.assertExchange(dlx, 'fanout', { durable: false, autoDelete: false });
    await channel.assertQueue(dlq, { durable: true });
    await channel.bindQueue(dlq, dlx, '');
    await channel.assertQueue(work, { durable: true, arguments: { ...options.probeQueue.arguments, 'x-dead-letter-exchange': dlx } });
    const id = `${runId}-dlx-0`;
    const payload = Buffer.from(JSON.stringify({ probe: runId, poison: true }));
    await publishConfirmed(await resources.confirmChannel(), '', work, payload, { [RUN_HEADER]: runId, [ID_HEADER]: id });
    const deliveries: boolean[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const message = await takeOne(channel, work, marked(id), attempt < 3 ? 'requeue' : 'reject', options.ops.consumeTimeoutMs, signal);
      if (!message) return { findings: [{ severity: 'fail', text: `the broker did not deliver the poison message (attempt ${attempt}) from ${work}` }], evidence: { work } };
      deliveries.push(message.fields.redelivered);
    }
    const dead = await takeOne(channel, dlq, marked(id), 'ack', options.ops.consumeTimeoutMs, signal);
    const findings: Finding[] = [];
    if (deliveries.slice(1).some((redelivered) => !redelivered)) findings.push({ severity: 'fail', text: 'a requeued message came back without the redelivered flag' });
    if (!dead) return { findings: [...findings, { severity: 'fail', text: `a message rejected without requeue did not reach the dead-letter queue ${dlq} via ${dlx}` }], evidence: { work, dlx, dlq } };
    const [death] = deaths(dead);
    if (!dead.content.equals(payload)) findings.push({ severity: 'fail', text: 'the dead letter\'s payload differs from the original' });
    if (death?.reason !== 'rejected' || death.queue !== work) findings.push({ severity: 'fail', text: `x-death does not name the rejection: ${JSON.stringify(death ?? null)}` });
    return { findings, evidence: { work, dlx, dlq, deliveries: deliveries.length, redelivered: deliveries, xDeath: deaths(dead), firstDeathReason: String(dead.properties.headers?.['x-first-death-reason'] ?? '') } };
  } finally {
    await channel.close().catch(() => {});
  }
}

/**
 * A declared route: a probe-owned tap queue is bound to the route's
 * dead-letter exchange (so the user's dead-letter queue is never read), one
 * marked poison message goes to the user's queue, and the consumer must
 * reject it: it must reach the tap with its payload and an `x-death` entry
 * naming the queue.
 */
async function declaredRoute(resources: RabbitmqResources, route: DeadLetterRoute, index: number, signal: AbortSignal): Promise<{ findings: Finding[]; evidence: Record<string, unknown> }> {
  const { runId, connection } = resources;
  const tap = dottedName(runId, `tap-${index}`);
  resources.owned.queues.add(tap);
  const channel = await openChannel(connection);
  try {
    await channel.assertQueue(tap, { durable: false, exclusive: true, autoDelete: true });
    await channel.bindQueue(tap, route.deadLetterExchange, route.deadLetterRoutingKey ?? route.queue);
    const id = `${runId}-dlx-${index + 1}`;
    const { value } = route.poison;
    const payload = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    const sentAt = Date.now();
    await publishConfirmed(await resources.confirmChannel(), '', route.queue, payload, { ...route.poison.headers, [RUN_HEADER]: runId, [ID_HEADER]: id }, id);
    const dead = await takeOne(channel, tap, marked(id), 'ack', route.timeoutMs, signal);
    const evidence: Record<string, unknown> = { queue: route.queue, deadLetterExchange: route.deadLetterExchange, tap, id };
    if (!dead) {
      return { findings: [{ severity: 'fail', text: `${route.queue}: the poison message was not dead-lettered to ${route.deadLetterExchange} within ${route.timeoutMs} ms: the consumer acknowledged (dropped) it, keeps requeueing it, or the queue has no x-dead-letter-exchange` }], evidence };
    }
    const timeToDlqMs = Date.now() - sentAt;
    const entries = deaths(dead);
    const findings: Finding[] = [];
    if (!dead.content.equals(payload)) findings.push({ severity: 'fail', text: `${route.queue}: the dead letter's payload differs from the original` });
    if (!entries.some((entry) => entry.queue === route.queue)) findings.push({ severity: 'warn', text: `${route.queue}: the dead letter's x-death does not name the queue` });
    return { findings, evidence: { ...evidence, timeToDlqMs, xDeath: entries, deliveryCount: dead.properties.headers?.['x-delivery-count'] } };
  } finally {
    await channel.close().catch(() => {});
  }
}

/**
 * `queue.processing.retry-dlq` for RabbitMQ: the broker's dead-lettering
 * (requeue → redelivered; reject → DLX with `x-death`) on probe-owned
 * objects, then each declared route through the user's own consumer.
 */
export function deadLetterCheck(options: RabbitmqOptions): Check<RabbitmqResources> {
  return defineCheck<RabbitmqResources>({
    id: 'queue.processing.retry-dlq',
    title: 'Rejected messages are redelivered, then dead-lettered with x-death (broker, and each declared route)',
    checklist: ['integration.message-queue.message-processing.verify-retry-logic', 'integration.message-queue.message-processing.check-dead-letters'],
    writes: true,
    timeoutMs: options.ops.consumeTimeoutMs * 4 + options.deadLetter.reduce((sum, route) => sum + route.timeoutMs, 0) + 2_000,
    async run(context) {
      const broker = await brokerRoundTrip(context.resources, context.signal);
      const findings = [...broker.findings];
      const routes: Record<string, unknown>[] = [];
      for (const [index, route] of options.deadLetter.entries()) {
        const result = await declaredRoute(context.resources, route, index, context.signal);
        findings.push(...result.findings);
        routes.push(result.evidence);
      }
      const count = options.deadLetter.length;
      const declared = count ? `; ${plural(count, 'declared route')} dead-lettered ${count === 1 ? 'its poison message' : 'their poison messages'}` : '';
      return verdict(findings, `a rejected message was redelivered twice, then dead-lettered with x-death reason "rejected"${declared}`, { broker: broker.evidence, routes });
    },
  });
}
