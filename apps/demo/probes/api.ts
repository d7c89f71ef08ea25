import { http } from '@probe/api';
import { OPENAPI } from '../src/http/openapi.ts';
import { DEMO_USERS } from '../src/db/seed.ts';
import type { DemoTargets } from './targets.ts';

const login = (user: keyof typeof DEMO_USERS) => ({
  type: 'login' as const, path: '/auth/login', body: { email: DEMO_USERS[user].email, password: DEMO_USERS[user].password },
});

/**
 * The HTTP API against its own OpenAPI document: every operation, status codes,
 * schemas, error handling (problem+json), auth (login, JWT hygiene with the
 * signing key), the permission matrix of the two roles, cross-customer access,
 * and a create → read → update → delete round trip of products.
 */
export function apiProbe(targets: DemoTargets) {
  return http({
    name: 'orders-api',
    baseUrl: targets.url,
    openapi: OPENAPI,
    auth: login('admin'),
    users: { alice: login('alice'), bob: login('bob'), admin: login('admin') },
    parameters: { productId: 1, customerId: DEMO_USERS.alice.id },
    jwt: { signingKey: { algorithm: 'HS256', secret: targets.jwtSecret } },
    permissions: {
      rules: [
        { user: 'alice', operation: 'GET /customers', allow: false },
        { user: 'admin', operation: 'GET /customers', allow: true },
        { user: 'alice', operation: 'GET /me', allow: true },
        { user: 'anonymous', operation: 'GET /orders', allow: false },
        { user: 'alice', operation: 'POST /products', allow: false, body: { sku: 'NOT-ALLOWED', name: 'Refused', priceCents: 100 } },
        { user: 'bob', operation: 'GET /customers/{customerId}', allow: false },
        { user: 'alice', operation: 'GET /customers/{customerId}', allow: true },
      ],
      crossUser: { owner: 'alice', intruder: 'bob', collection: '/orders', item: '/orders/{orderId}', body: { items: [{ productId: 2, quantity: 1 }] } },
    },
    flows: [{ name: 'products', collection: '/products', item: '/products/{productId}', update: { method: 'PATCH', body: { priceCents: 1_234 } }, serverFields: ['id', 'updatedAt'] }],
    writes: true,
  });
}
