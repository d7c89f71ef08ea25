import type pg from 'pg';
import type { ProductCache } from '../cache/product-cache.ts';
import { canActFor } from '../http/access.ts';
import { notFound } from '../http/problem.ts';
import type { Route } from '../http/router.ts';
import { cancelOrder, findOrder, listOrders, placeOrder } from '../orders/orders.ts';
import { pageOf, uuidParam } from './params.ts';

export interface OrderRouteDeps {
  db: pg.Pool;
  cache: ProductCache;
  /** The topic of `order.created`. */
  topic: string;
  /** Tell the outbox relay there is something to publish. */
  wakeRelay(): void;
}

/** Orders: placed by the caller, visible to their owner and admins. */
export function orderRoutes({ db, cache, topic, wakeRelay }: OrderRouteDeps): Route[] {
  return [
    {
      method: 'POST', path: '/orders', access: 'customer', body: 'NewOrder',
      handle: async ({ body, principal }) => {
        const order = await placeOrder(db, principal!.customerId, (body as { items: { productId: number; quantity: number }[] }).items, topic);
        wakeRelay();
        await cache.invalidate(order.items.map((item) => item.productId)); // their stock changed
        return { status: 201, body: order, headers: { location: `/orders/${order.id}` } };
      },
    },
    {
      method: 'GET', path: '/orders', access: 'customer',
      handle: async ({ query, principal }) => ({ body: await listOrders(db, principal!.role === 'admin' ? undefined : principal!.customerId, pageOf(query)) }),
    },
    {
      method: 'GET', path: '/orders/:orderId', access: 'customer',
      handle: async ({ params, principal }) => {
        const id = uuidParam(params.orderId, 'order');
        const order = await findOrder(db, id);
        if (!order || !canActFor(principal, order.customerId)) throw notFound(`no order ${id}`);
        return { body: order };
      },
    },
    {
      method: 'DELETE', path: '/orders/:orderId', access: 'customer',
      handle: async ({ params, principal }) => {
        const id = uuidParam(params.orderId, 'order');
        const products = await cancelOrder(db, id, principal!.role === 'admin' ? undefined : principal!.customerId);
        if (!products) throw notFound(`no order ${id}`);
        await cache.invalidate(products);
        return { status: 204 };
      },
    },
  ];
}
