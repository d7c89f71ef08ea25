import type { Consumer, EachMessagePayload, Producer } from 'kafkajs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../log.ts';
import { publishDeadLetter } from './dead-letter.ts';
import type { OrderCreated } from './orders.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A message that can never be processed: retrying cannot help. */
export class PoisonMessage extends Error {
  override name = 'PoisonMessage';
}

export interface ConsumerOptions {
  consumer: Consumer;
  producer: Producer;
  topic: string;
  dlt: string;
  group: string;
  /** Handle one event (`eventId`: its `event-id` header, else topic/partition@offset); throw to retry it. */
  process(event: OrderCreated, eventId: string): Promise<void>;
  /** Attempts before dead-lettering (default 3). */
  attempts?: number;
  /** The first retry waits this long, doubling after (default 200 ms). */
  backoffMs?: number;
  /** The `dropsPoisonMessages` defect: log a poison message and move on. */
  dropsPoisonMessages: boolean;
  log: Logger;
}

/** Parse an `order.created` payload, or throw {@link PoisonMessage}. */
export function parseOrderCreated(value: Buffer | null): OrderCreated {
  let event: Partial<OrderCreated>;
  try {
    event = JSON.parse(value?.toString('utf8') ?? '') as Partial<OrderCreated>;
  } catch (error) {
    throw new PoisonMessage(`the value is not JSON: ${(error as Error).message}`);
  }
  if (typeof event !== 'object' || event === null || event.type !== 'order.created' || typeof event.orderId !== 'string' || !UUID.test(event.orderId)) {
    throw new PoisonMessage('the value is not an order.created event (type, orderId as a UUID)');
  }
  return event as OrderCreated;
}

/**
 * Consume `order.created`: a message that cannot be parsed goes straight to the
 * dead-letter topic; a failing one is retried with exponential backoff (in
 * place, so the partition keeps its order) and dead-lettered after the last
 * attempt. The offset is committed only after one of those outcomes.
 */
export async function runOrderConsumer(options: ConsumerOptions): Promise<void> {
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 200;
  const handle = async ({ topic, partition, message }: EachMessagePayload) => {
    const deadLetter = (error: Error, tried: number) =>
      publishDeadLetter(options.producer, options.dlt, { topic, partition, message, group: options.group, error, attempts: tried });
    let event: OrderCreated;
    try {
      event = parseOrderCreated(message.value);
    } catch (error) {
      if (options.dropsPoisonMessages) {
        options.log.error(`order consumer: skipping unreadable message ${topic}/${partition}@${message.offset}`);
        return;
      }
      options.log.error(`order consumer: ${topic}/${partition}@${message.offset} → ${options.dlt}: ${(error as Error).message}`);
      await deadLetter(error as Error, 1);
      return;
    }
    const eventId = message.headers?.['event-id']?.toString() ?? `${topic}/${partition}@${message.offset}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await options.process(event, eventId);
        return;
      } catch (error) {
        if (attempt >= attempts) {
          options.log.error(`order consumer: order ${event.orderId} failed ${attempt} times → ${options.dlt}: ${(error as Error).message}`);
          await deadLetter(error as Error, attempt);
          return;
        }
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  };
  await options.consumer.subscribe({ topic: options.topic, fromBeginning: true });
  await options.consumer.run({ eachMessage: handle });
}
