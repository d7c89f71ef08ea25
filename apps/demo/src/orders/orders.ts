import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { conflict, unprocessable } from '../http/problem.ts';

/** An order as the API shows it. */
export interface Order {
  id: string;
  customerId: number;
  status: 'pending' | 'paid' | 'payment_failed';
  totalCents: number;
  paymentId: string | null;
  items: { productId: number; quantity: number; unitPriceCents: number }[];
  createdAt: string;
  updatedAt: string;
}

/** The `order.created` event the outbox carries. */
export interface OrderCreated {
  type: 'order.created';
  orderId: string;
  customerId: number;
  totalCents: number;
  items: Order['items'];
  occurredAt: string;
}

const SELECT_ORDERS = `
  select o.id, o.customer_id::int as "customerId", o.status, o.total_cents as "totalCents", o.payment_id as "paymentId",
         coalesce((select json_agg(json_build_object('productId', i.product_id, 'quantity', i.quantity, 'unitPriceCents', i.unit_price_cents) order by i.product_id)
                     from order_items i where i.order_id = o.id), '[]') as items,
         to_json(o.created_at) #>> '{}' as "createdAt", to_json(o.updated_at) #>> '{}' as "updatedAt"
    from orders o`;

async function inTransaction<T>(db: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Place an order in one transaction: price the lines from the catalogue, take
 * the stock, write the order and its lines, and write `order.created` to the
 * outbox — so the event is published if and only if the order exists.
 */
export async function placeOrder(db: pg.Pool, customerId: number, lines: { productId: number; quantity: number }[], topic: string): Promise<Order> {
  const quantities = new Map<number, number>();
  for (const line of lines) quantities.set(line.productId, (quantities.get(line.productId) ?? 0) + line.quantity);
  const productIds = [...quantities.keys()].sort((a, b) => a - b);
  return inTransaction(db, async (client) => {
    const { rows: products } = await client.query<{ id: number; price: number; stock: number }>(
      'select id::int as id, price_cents as price, stock from products where id = any($1) order by id for update', [productIds],
    );
    const missing = productIds.filter((id) => !products.some((product) => product.id === id));
    if (missing.length) throw unprocessable(`no product ${missing.join(', ')}`);
    const short = products.filter((product) => product.stock < quantities.get(product.id)!);
    if (short.length) throw conflict(`not enough stock of product ${short.map((product) => product.id).join(', ')}`);
    const items = products.map((product) => ({ productId: product.id, quantity: quantities.get(product.id)!, unitPriceCents: product.price }));
    await client.query('update products p set stock = p.stock - l.quantity from unnest($1::bigint[], $2::int[]) as l(id, quantity) where p.id = l.id',
      [items.map((item) => item.productId), items.map((item) => item.quantity)]);
    const order = await insertOrder(client, { id: randomUUID(), customerId, items }, topic);
    return order;
  });
}

/** Write an order, its lines and its `order.created` event in the outbox (inside the caller's transaction). */
export async function insertOrder(client: pg.ClientBase, order: Pick<Order, 'id' | 'customerId' | 'items'>, topic: string): Promise<Order> {
  const { id, customerId, items } = order;
  const totalCents = items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0);
  await client.query('insert into orders (id, customer_id, total_cents) values ($1, $2, $3)', [id, customerId, totalCents]);
  await client.query(
    `insert into order_items (order_id, product_id, quantity, unit_price_cents)
       select $1, * from unnest($2::bigint[], $3::int[], $4::int[])`,
    [id, items.map((item) => item.productId), items.map((item) => item.quantity), items.map((item) => item.unitPriceCents)],
  );
  const { rows: [written] } = await client.query<Order>(`${SELECT_ORDERS} where o.id = $1`, [id]);
  const event: OrderCreated = { type: 'order.created', orderId: id, customerId, totalCents, items, occurredAt: written!.createdAt };
  await client.query('insert into outbox (topic, key, payload, headers) values ($1, $2, $3, $4)',
    [topic, id, JSON.stringify(event), JSON.stringify({ 'content-type': 'application/json', 'event-type': 'order.created' })]);
  return written!;
}

export async function findOrder(db: pg.Pool, id: string): Promise<Order | undefined> {
  const { rows } = await db.query<Order>(`${SELECT_ORDERS} where o.id = $1`, [id]);
  return rows[0];
}

/** A customer's orders (or everyone's), newest first. */
export async function listOrders(db: pg.Pool, customerId: number | undefined, page: { limit: number; offset: number }): Promise<Order[]> {
  const { rows } = customerId === undefined
    ? await db.query<Order>(`${SELECT_ORDERS} order by o.created_at desc limit $1 offset $2`, [page.limit, page.offset])
    : await db.query<Order>(`${SELECT_ORDERS} where o.customer_id = $1 order by o.created_at desc limit $2 offset $3`, [customerId, page.limit, page.offset]);
  return rows;
}

/** Remove an order and give its stock back; the product ids whose stock changed, or undefined when there is no such order of `customerId`. */
export async function cancelOrder(db: pg.Pool, id: string, customerId: number | undefined): Promise<number[] | undefined> {
  return inTransaction(db, async (client) => {
    const { rows: [order] } = await client.query<{ customer_id: string }>('select customer_id from orders where id = $1 for update', [id]);
    if (!order || (customerId !== undefined && Number(order.customer_id) !== customerId)) return undefined;
    const { rows } = await client.query<{ id: number }>(
      `update products p set stock = p.stock + i.quantity from order_items i where i.order_id = $1 and p.id = i.product_id returning p.id::int as id`, [id],
    );
    await client.query('delete from orders where id = $1', [id]);
    return rows.map((row) => row.id);
  });
}

/** Record the payment's outcome of a pending order; false when the order is gone or no longer pending. */
export async function settleOrder(db: pg.Pool, id: string, outcome: { status: 'paid' | 'payment_failed'; paymentId?: string }): Promise<boolean> {
  const { rowCount } = await db.query(`update orders set status = $2, payment_id = $3 where id = $1 and status = 'pending'`, [id, outcome.status, outcome.paymentId ?? null]);
  return rowCount === 1;
}
