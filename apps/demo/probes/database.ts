import { postgres } from '@probe/db';
import { HISTORY_TABLE, MIGRATIONS_DIR } from '../src/db/migrate.ts';
import type { DemoTargets } from './targets.ts';

/** The service's database: constraints, foreign keys and their indexes, triggers, hot queries, migrations. */
export function databaseProbe(targets: DemoTargets) {
  return postgres({
    name: 'orders-db',
    url: targets.databaseUrl,
    expect: {
      tables: ['customers', 'products', 'orders', 'order_items', 'outbox', 'processed_events'],
      unique: ['customers.email', 'products.sku'],
      notNull: ['orders.customer_id', 'orders.total_cents', 'order_items.product_id', 'outbox.payload'],
      checks: ['products.products_price_positive', 'products.products_stock_not_negative', { table: 'order_items', reject: { quantity: 0 } }],
      foreignKeys: [
        'orders.customer_id -> customers.id',
        'order_items.order_id -> orders.id on delete cascade',
        'order_items.product_id -> products.id',
      ],
      triggers: [
        { table: 'orders', name: 'orders_touch', fires: 'update', sets: 'updated_at' },
        { table: 'products', name: 'products_touch', fires: 'update', sets: 'updated_at' },
        { table: 'customers', name: 'customers_touch', fires: 'update', sets: 'updated_at' },
      ],
      invariants: [
        {
          name: 'an order\'s total is the sum of its lines',
          sql: 'select o.id from orders o join order_items i on i.order_id = o.id group by o.id having o.total_cents <> sum(i.quantity * i.unit_price_cents)',
        },
        { name: 'a paid order has a payment', sql: "select id from orders where status = 'paid' and payment_id is null" },
      ],
    },
    queries: [
      { name: 'orders of a customer (GET /orders)', sql: 'select id from orders where customer_id = $1 order by created_at desc limit 20', params: [1], maxMs: 20, mustUseIndex: 'orders_customer_id_created_at_idx' },
      { name: 'order lines of a product (the foreign-key check of DELETE /products/{id})', sql: 'select order_id from order_items where product_id = $1', params: [2], maxMs: 20, mustUseIndex: 'order_items_product_id_idx' },
      { name: 'the outbox relay\'s batch', sql: 'select id from outbox where published_at is null order by id limit 100', maxMs: 20, mustUseIndex: 'outbox_unpublished_idx' },
    ],
    migrations: { dir: MIGRATIONS_DIR, format: 'sql', table: HISTORY_TABLE },
  });
}
