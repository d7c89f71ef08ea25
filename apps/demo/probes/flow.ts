import { httpStep } from '@probe/api';
import { cacheStep } from '@probe/cache';
import { defineFlow, expectStep, type Check } from '@probe/core';
import { sqlStep } from '@probe/db';
import { kafkaMessageStep } from '@probe/queue';
import type { Order, OrderCreated } from '../src/orders/orders.ts';
import type { Product } from '../src/catalog/products.ts';
import { bearer, type DemoTargets } from './targets.ts';

/** The product the flow orders (one no other probe of this config changes), and the customer who orders it. */
export const FLOW_PRODUCT_ID = 3;
export const FLOW_CUSTOMER = 'bob';
const QUANTITY = 2;

type Body<T> = { body: T };

/**
 * `system.flow.order-placed`: POST /orders → the order row in PostgreSQL with
 * the right total → `order.created` on Kafka with the same id and total → the
 * product's cache entry invalidated (or fresh) → GET /orders/{id} shows it paid. The
 * order is cancelled afterwards (stock given back), which `system.isolation` proves.
 */
export function orderPlacedFlow(targets: DemoTargets): Check {
  const customer = bearer(targets, FLOW_CUSTOMER);
  const order = (state: Record<string, unknown>) => (state.place as Body<Order>).body;
  return defineFlow({
    name: 'order-placed',
    title: 'An order placed through the API is stored, published, invalidates the product cache and gets paid',
    steps: [
      httpStep({ name: 'prime', baseUrl: targets.url, path: `/products/${FLOW_PRODUCT_ID}` }),
      httpStep({
        name: 'place', baseUrl: targets.url, method: 'POST', path: '/orders', headers: customer, status: 201,
        json: { items: [{ productId: FLOW_PRODUCT_ID, quantity: QUANTITY }] },
        expect: ({ body }, state) => {
          const expected = QUANTITY * (state.prime as Body<Product>).body.priceCents;
          expectStep((body as Order).totalCents === expected, `the API says the total is ${(body as Order).totalCents}, ${QUANTITY} × the price is ${expected}`);
        },
        undo: ({ body }) => ({ path: `/orders/${(body as Order).id}`, headers: customer }),
      }),
      sqlStep({
        name: 'row', target: 'orders-db', url: targets.databaseUrl,
        sql: 'select total_cents, customer_id::int, (select sum(quantity * unit_price_cents)::int from order_items where order_id = o.id) as lines_cents from orders o where id = $1',
        params: (state) => [order(state).id],
        expect: ({ rows: [row] }, state) => {
          expectStep(row, `no row in orders for ${order(state).id}`);
          expectStep(row.total_cents === order(state).totalCents, `orders.total_cents is ${String(row.total_cents)}, the API said ${order(state).totalCents}`);
          expectStep(row.lines_cents === row.total_cents, `the order lines add up to ${String(row.lines_cents)}, the order says ${String(row.total_cents)}`);
        },
      }),
      kafkaMessageStep({
        name: 'event', target: 'kafka', brokers: targets.kafkaBrokers, topic: targets.names.orderCreated,
        match: (message, state) => message.key === order(state).id,
        expect: (message, state) => {
          const event = (message as { json?: OrderCreated }).json;
          expectStep(event?.type === 'order.created' && event.orderId === order(state).id, `the message keyed ${message.key} is not the order's order.created event`);
          expectStep(event.totalCents === order(state).totalCents, `the event says total ${event.totalCents}, the order ${order(state).totalCents}`);
        },
        lookbackMs: 10_000,
      }),
      sqlStep({ name: 'stock', target: 'orders-db', url: targets.databaseUrl, sql: 'select stock from products where id = $1', params: [FLOW_PRODUCT_ID] }),
      cacheStep({
        name: 'cache', target: 'product-cache', url: targets.redisUrl, key: targets.names.productKey(FLOW_PRODUCT_ID),
        expect: (entry, state) => {
          if (!entry.exists) return;
          const cached = JSON.parse(entry.value as string) as Product;
          const stock = (state.stock as { rows: { stock: number }[] }).rows[0]!.stock;
          expectStep(cached.stock === stock, `the cached product still says stock ${cached.stock}, the database says ${stock}: the order did not invalidate it`);
        },
      }),
      httpStep({
        name: 'processed', baseUrl: targets.url, path: (state) => `/orders/${order(state).id}`, headers: customer,
        expect: ({ body }) => ((body as Order).status === 'paid' && (body as Order).paymentId ? true : `status ${(body as Order).status}, payment ${String((body as Order).paymentId)}`),
        eventually: { withinMs: 5_000, intervalMs: 50 },
      }),
    ],
  });
}
