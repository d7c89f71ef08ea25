import { randomUUID } from 'node:crypto';
import { kafka } from '@probe/queue';
import type { OrderCreated } from '../src/orders/orders.ts';
import type { Stores } from './stores.ts';
import type { DemoTargets } from './targets.ts';

/**
 * The order events on Kafka: the topics as declared, the consumer group's lag
 * and membership, its handler (a marked order.created for an order that does not
 * exist must be handled — noted in `processed_events` — not dead-lettered), and
 * a poison message, which must reach `order.created.DLT` at once, payload and
 * error headers intact.
 */
export function queueProbe(targets: DemoTargets, stores: Stores) {
  const { names } = targets;
  return kafka({
    name: 'order-events',
    brokers: targets.kafkaBrokers,
    topics: [
      { name: names.orderCreated, partitions: 3, keyed: true },
      { name: names.orderCreatedDlt, partitions: 3 },
    ],
    groups: [{ id: names.consumerGroup, topics: [names.orderCreated] }],
    handlers: [{
      name: 'order-processor',
      input: names.orderCreated,
      message: (id) => {
        const event: OrderCreated = { type: 'order.created', orderId: randomUUID(), customerId: 1, totalCents: 100, items: [], occurredAt: new Date().toISOString() };
        return { key: event.orderId, value: event, headers: { 'event-id': id, 'event-type': 'order.created' } };
      },
      verify: async ({ id }) => ((await stores.db.query('select 1 from processed_events where event_id = $1', [id])).rowCount ?? 0) > 0,
      timeoutMs: 5_000,
    }],
    // An unreadable message cannot get better: one attempt, then the dead-letter topic.
    dlq: [{ input: names.orderCreated, poison: { value: 'not json {' }, topic: names.orderCreatedDlt, attempts: 1, timeoutMs: 3_000 }],
    ops: { throughputMessages: 500 },
    sampling: { samples: 3, intervalMs: 500 },
  });
}
