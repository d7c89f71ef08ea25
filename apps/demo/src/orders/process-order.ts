import type pg from 'pg';
import type { Logger } from '../log.ts';
import type { PaymentClient } from '../payments/client.ts';
import { PaymentRejected } from '../payments/errors.ts';
import { findOrder, settleOrder, type OrderCreated } from './orders.ts';
import { recordProcessed, wasProcessed } from './processed-events.ts';

/**
 * What the consumer does with `order.created`: charge the order's total and
 * record the outcome (`paid`, or `payment_failed` when the provider refuses),
 * then note the event in `processed_events`. Idempotent: an event already noted
 * is skipped, an order that is gone (cancelled) or no longer pending is left
 * alone, and the charge's idempotency key is the order id. A provider that is
 * down throws, so the consumer retries.
 */
export function createOrderProcessor(db: pg.Pool, payments: PaymentClient, topic: string, log: Logger): (event: OrderCreated, eventId: string) => Promise<void> {
  const settle = async (event: OrderCreated): Promise<string> => {
    const order = await findOrder(db, event.orderId);
    if (!order) return 'skipped: no such order';
    if (order.status !== 'pending') return `skipped: already ${order.status}`;
    try {
      const charge = await payments.charge({ orderId: order.id, customerId: order.customerId, amountCents: order.totalCents });
      await settleOrder(db, order.id, { status: 'paid', paymentId: charge.id });
      return 'paid';
    } catch (error) {
      if (!(error instanceof PaymentRejected)) throw error;
      log.info(`order ${order.id}: ${error.message}`);
      await settleOrder(db, order.id, { status: 'payment_failed' });
      return 'payment_failed';
    }
  };
  return async (event, eventId) => {
    if (await wasProcessed(db, eventId)) return;
    await recordProcessed(db, { eventId, topic, outcome: await settle(event) });
  };
}
