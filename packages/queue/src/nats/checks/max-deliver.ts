import { defineCheck, type Check } from '@probe/core';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { probeMessages } from '../../shared/messages.ts';
import { underscoredName } from '../../shared/names.ts';
import { verdict, type Finding } from '../../shared/verdict.ts';
import type { NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';
import { listenForDeadLetters } from './advisories.ts';

/** Deliveries before JetStream gives up on the probe's poison message. */
const MAX_DELIVER = 3;
/** Extra time for the advisory after the deliveries. */
const ADVISORY_WITHIN_MS = 1_500;

/**
 * `queue.processing.retry-dlq` for NATS JetStream (which has no dead-letter
 * queue: exhausting `max_deliver` emits a MAX_DELIVERIES advisory, which is
 * what dead-letter tooling listens to). On a probe-owned stream and consumer
 * with `max_deliver: 3`, a poison message is nak'ed on every delivery: it
 * must come 3 times (redelivered after the first) and then raise exactly one
 * advisory naming its stream sequence.
 */
export function maxDeliverCheck(options: NatsOptions): Check<NatsResources> {
  return defineCheck<NatsResources>({
    id: 'queue.processing.retry-dlq',
    title: 'A nak’ed message is redelivered up to max_deliver, then reported by a MAX_DELIVERIES advisory',
    checklist: ['integration.message-queue.message-processing.verify-retry-logic', 'integration.message-queue.message-processing.check-dead-letters'],
    writes: true,
    timeoutMs: options.ops.consumeTimeoutMs + ADVISORY_WITHIN_MS + 2_000,
    async run(context) {
      const { driver, jsm, connection } = context.resources;
      const { signal } = context;
      const stream = await driver.destination('poison', signal);
      const consumer = underscoredName(context.runId, 'poison');
      await jsm.consumers.add(stream, { durable_name: consumer, ack_policy: AckPolicy.Explicit, max_deliver: MAX_DELIVER, ack_wait: 1_000_000_000, deliver_policy: DeliverPolicy.All });
      const listener = listenForDeadLetters(connection, stream, consumer);
      try {
        await connection.flush();
        const [receipt] = await driver.publish(stream, probeMessages(context.runId, 'poison', 1, 64), signal);
        // The stream is the probe's own and holds only this message.
        const handle = await context.resources.js.consumers.get(stream, consumer);
        const deliveries: { deliveryCount: number; redelivered: boolean }[] = [];
        // A consume() keeps a pull request open after the last nak: the server raises the advisory
        // when it would deliver once more, which it only tries for a waiting request.
        const messages = await handle.consume({ max_messages: 1 });
        const stop = () => void messages.close();
        listener.onAdvisory(stop);
        const timer = setTimeout(stop, options.ops.consumeTimeoutMs + ADVISORY_WITHIN_MS);
        try {
          for await (const message of messages) {
            deliveries.push({ deliveryCount: message.info.deliveryCount, redelivered: message.info.redelivered });
            message.nak();
          }
        } finally {
          clearTimeout(timer);
        }
        await connection.flush();
        const findings: Finding[] = [];
        if (deliveries.length !== MAX_DELIVER) findings.push({ severity: 'fail', text: `the poison message was delivered ${deliveries.length} times, not max_deliver ${MAX_DELIVER}` });
        if (deliveries.slice(1).some((delivery) => !delivery.redelivered)) findings.push({ severity: 'fail', text: 'a redelivery did not carry the redelivered flag' });
        const ours = listener.advisories.filter((advisory) => String(advisory.stream_seq) === receipt?.position);
        if (ours.length !== 1) findings.push({ severity: 'fail', text: `${ours.length} MAX_DELIVERIES advisories for the poison message (stream seq ${receipt?.position}), expected exactly 1` });
        return verdict(findings, `the poison message was delivered ${deliveries.length} times, then reported by one MAX_DELIVERIES advisory`, {
          stream, consumer, deliveries, advisories: listener.advisories,
          subscribe: `nats sub '$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${consumer}'`,
        });
      } finally {
        await listener.stop();
      }
    },
  });
}
