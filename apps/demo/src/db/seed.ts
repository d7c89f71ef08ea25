import type pg from 'pg';
import { hashPassword } from '../auth/passwords.ts';
import { insertOrder } from '../orders/orders.ts';

/** The accounts a fresh demo has (demo credentials, printed in the README). */
export const DEMO_USERS = {
  alice: { id: 1, email: 'alice@demo.test', name: 'Alice', role: 'customer', password: 'alice-demo-password' },
  bob: { id: 2, email: 'bob@demo.test', name: 'Bob', role: 'customer', password: 'bob-demo-password' },
  admin: { id: 3, email: 'admin@demo.test', name: 'Ada Admin', role: 'admin', password: 'admin-demo-password' },
} as const;

/** The catalogue a fresh demo has. Stock is large: every demo run orders a few. */
export const DEMO_PRODUCTS = [
  { id: 1, sku: 'COFFEE-1KG', name: 'Espresso beans, 1 kg', priceCents: 2_490, stock: 1_000_000 },
  { id: 2, sku: 'MUG-BLUE', name: 'Blue mug', priceCents: 1_200, stock: 1_000_000 },
  { id: 3, sku: 'GRINDER', name: 'Hand grinder', priceCents: 6_900, stock: 1_000_000 },
  { id: 4, sku: 'FILTER-100', name: 'Paper filters, 100', priceCents: 450, stock: 1_000_000 },
] as const;

/** Alice's order history: placed like any order (outbox included), so a fresh demo pays them at its first start. */
export const DEMO_ORDERS = [
  { id: '0d5e0000-0000-4000-8000-000000000001', customerId: 1, items: [{ productId: 1, quantity: 2, unitPriceCents: 2_490 }] },
  { id: '0d5e0000-0000-4000-8000-000000000002', customerId: 1, items: [{ productId: 2, quantity: 1, unitPriceCents: 1_200 }, { productId: 4, quantity: 3, unitPriceCents: 450 }] },
  { id: '0d5e0000-0000-4000-8000-000000000003', customerId: 1, items: [{ productId: 3, quantity: 1, unitPriceCents: 6_900 }] },
];

/**
 * Insert the demo accounts, products and orders that are missing (never overwrites), and
 * move the id sequences past them. `orderTopic` is where the orders' events go.
 */
export async function seed(pool: pg.Pool, orderTopic: string): Promise<void> {
  const users = Object.values(DEMO_USERS);
  const hashes = await Promise.all(users.map((user) => hashPassword(user.password)));
  const client = await pool.connect();
  try {
    await client.query('begin');
    await client.query("select pg_advisory_xact_lock(hashtext('demo seed'))"); // instances starting together seed once
    for (const [index, user] of users.entries()) {
      await client.query(
        `insert into customers (id, email, name, role, password_hash) values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [user.id, user.email, user.name, user.role, hashes[index]],
      );
    }
    for (const product of DEMO_PRODUCTS) {
      await client.query(
        `insert into products (id, sku, name, price_cents, stock) values ($1, $2, $3, $4, $5) on conflict do nothing`,
        [product.id, product.sku, product.name, product.priceCents, product.stock],
      );
    }
    for (const order of DEMO_ORDERS) {
      const { rowCount } = await client.query('select 1 from orders where id = $1', [order.id]);
      if (!rowCount) await insertOrder(client, order, orderTopic);
    }
    for (const table of ['customers', 'products']) {
      await client.query(`select setval(pg_get_serial_sequence($1, 'id'), greatest((select max(id) from ${table}), 100))`, [table]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}
