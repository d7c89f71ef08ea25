import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pgUrl } from '../../test/fixtures.ts';
import { useTestDatabase } from './database.ts';
import { defineFactory } from './factory.ts';

interface Customer extends Record<string, unknown> { id: number; email: string; vip: boolean }
interface Order extends Record<string, unknown> { id: number; customer_id: number; total: string }

const customers = defineFactory<Customer>('customers', ({ sequence }) => ({ email: `c${sequence}@example.test` }));
const orders = defineFactory<Order>('orders', async ({ db }) => ({ customer_id: db ? (await customers.create(db)).id : 0, total: '10.00' }));

describe.skipIf(!pgUrl)('defineFactory', () => {
  const db = useTestDatabase({ beforeAll, afterAll, beforeEach, afterEach }, {
    url: pgUrl!,
    migrate: async (client) => {
      await client.query(`create table customers (id serial primary key, email text not null unique, vip boolean not null default false);
        create table orders (id serial primary key, customer_id int not null references customers, total numeric(10, 2) not null)`);
    },
  });

  it('builds values without writing, each with its own sequence number', async () => {
    const first = await customers.build();
    const second = await customers.build({ vip: true });
    expect(second.email).not.toBe(first.email);
    expect(second.vip).toBe(true);
    expect((await db.client.query('select count(*)::int as n from customers')).rows).toEqual([{ n: 0 }]);
  });

  it('creates rows as stored (ids and defaults filled in), with associated rows', async () => {
    const order = await orders.create(db.client, { total: '99.50' });
    expect(order).toMatchObject({ id: expect.any(Number), total: '99.50' });
    const { rows } = await db.client.query<Customer>('select * from customers where id = $1', [order.customer_id]);
    expect(rows[0]).toMatchObject({ vip: false, email: expect.stringMatching(/^c\d+@example\.test$/) });
    expect(await customers.createMany(db.client, 3, { vip: true })).toHaveLength(3);
    expect((await db.client.query('select count(*)::int as n from customers where vip')).rows).toEqual([{ n: 3 }]);
  });
});
