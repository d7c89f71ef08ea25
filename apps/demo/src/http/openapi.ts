/**
 * The service's OpenAPI 3.1 document: served at GET /openapi.json, and the
 * source of the request-body schemas the server validates against
 * (validate.ts), so the document and the behaviour cannot drift apart.
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown, description: string) => ({ description, content: { 'application/json': { schema } } });
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const PROBLEMS: Record<number, string> = {
  400: 'The request is malformed or does not match the schema.',
  401: 'No valid bearer token.',
  403: 'The token\'s role may not do this.',
  404: 'No such resource (or not yours).',
  409: 'The request conflicts with the current state.',
  413: 'The body is larger than 64 KiB.',
  415: 'The body is not application/json.',
  422: 'The request refers to something that does not exist.',
};
const problems = (...statuses: number[]) => Object.fromEntries(statuses.map((status) => [String(status), problem(PROBLEMS[status]!)]));
const body = (name: string, example: unknown) => ({ required: true, content: { 'application/json': { schema: ref(name), example } } });
const SECURED = [{ bearer: [] }];
const PUBLIC: never[] = [];
const WITH_BODY = [400, 413, 415];
const idParameter = (name: string, schema: unknown, example: unknown) => ({ name, in: 'path', required: true, schema, example });
const page = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
];
const productId = idParameter('productId', { type: 'integer', minimum: 1 }, 1);
const customerId = idParameter('customerId', { type: 'integer', minimum: 1 }, 1);
const orderId = idParameter('orderId', { type: 'string', format: 'uuid' }, '00000000-0000-4000-8000-000000000000');
const timestamp = { type: 'string', format: 'date-time' };

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'Demo order service', version: '1.0.0', description: 'Customers, products and orders: the service the probe demo run probes.' },
  servers: [{ url: '/' }],
  security: SECURED,
  paths: {
    '/health': {
      get: {
        operationId: 'health', security: PUBLIC, summary: 'Whether the service can serve, and each dependency',
        responses: { 200: json(ref('Health'), 'It serves (`degraded`: the cache or Kafka is down).'), 503: json(ref('Health'), 'PostgreSQL does not answer.') },
      },
    },
    '/auth/login': {
      post: {
        operationId: 'login', security: PUBLIC, summary: 'Exchange an email and password for an access token',
        requestBody: body('Login', { email: 'alice@demo.test', password: 'alice-demo-password' }),
        responses: { 200: json(ref('Token'), 'A bearer token (HS256 JWT, 15 minutes).'), ...problems(...WITH_BODY, 401) },
      },
    },
    '/me': {
      get: { operationId: 'me', summary: 'The signed-in account', responses: { 200: json(ref('Customer'), 'The account.'), ...problems(401) } },
    },
    '/products': {
      get: { operationId: 'listProducts', security: PUBLIC, summary: 'The catalogue, by id', parameters: page, responses: { 200: json({ type: 'array', items: ref('Product') }, 'A page of products.'), ...problems(400) } },
      post: {
        operationId: 'createProduct', summary: 'Add a product (admin)',
        requestBody: body('NewProduct', { sku: 'KETTLE-1', name: 'Gooseneck kettle', priceCents: 5_900, stock: 10 }),
        responses: { 201: json(ref('Product'), 'Created.'), ...problems(...WITH_BODY, 401, 403, 409) },
      },
    },
    '/products/{productId}': {
      parameters: [productId],
      get: {
        operationId: 'getProduct', security: PUBLIC, summary: 'One product (served from the cache when it can)',
        responses: { 200: { ...json(ref('Product'), 'The product.'), headers: { 'X-Cache': { description: '`hit`, `miss`, or `bypass` (the cache did not answer in time)', schema: { type: 'string', enum: ['hit', 'miss', 'bypass'] } } } }, ...problems(400, 404) },
      },
      patch: {
        operationId: 'updateProduct', summary: 'Change a product (admin); its cache entry is invalidated',
        requestBody: body('ProductPatch', { priceCents: 2_590 }),
        responses: { 200: json(ref('Product'), 'Updated.'), ...problems(...WITH_BODY, 401, 403, 404) },
      },
      delete: { operationId: 'deleteProduct', summary: 'Remove a product nobody ordered (admin)', responses: { 204: { description: 'Deleted.' }, ...problems(400, 401, 403, 404, 409) } },
    },
    '/customers': {
      get: { operationId: 'listCustomers', summary: 'Every account (admin)', parameters: page, responses: { 200: json({ type: 'array', items: ref('Customer') }, 'A page of accounts.'), ...problems(400, 401, 403) } },
      post: {
        operationId: 'createCustomer', summary: 'Open an account (admin)',
        requestBody: body('NewCustomer', { email: 'carol@demo.test', name: 'Carol', password: 'carol-demo-password' }),
        responses: { 201: json(ref('Customer'), 'Created.'), ...problems(...WITH_BODY, 401, 403, 409) },
      },
    },
    '/customers/{customerId}': {
      parameters: [customerId],
      get: { operationId: 'getCustomer', summary: 'One account (admin, or the account itself)', responses: { 200: json(ref('Customer'), 'The account.'), ...problems(400, 401, 404) } },
      delete: { operationId: 'deleteCustomer', summary: 'Close an account without orders (admin)', responses: { 204: { description: 'Deleted.' }, ...problems(400, 401, 403, 404, 409) } },
    },
    '/orders': {
      get: {
        operationId: 'listOrders', summary: 'The caller\'s orders, newest first (admin: everyone\'s)', parameters: page,
        responses: { 200: json({ type: 'array', items: ref('Order') }, 'A page of orders.'), ...problems(400, 401) },
      },
      post: {
        operationId: 'placeOrder', summary: 'Place an order; it is paid asynchronously (order.created → payment)',
        requestBody: body('NewOrder', { items: [{ productId: 2, quantity: 1 }] }),
        responses: {
          201: { ...json(ref('Order'), 'Placed, pending payment.'), headers: { Location: { description: 'The order', schema: { type: 'string' } } } },
          ...problems(...WITH_BODY, 401, 409, 422),
        },
      },
    },
    '/orders/{orderId}': {
      parameters: [orderId],
      get: { operationId: 'getOrder', summary: 'One order (its owner or an admin)', responses: { 200: json(ref('Order'), 'The order.'), ...problems(400, 401, 404) } },
      delete: { operationId: 'cancelOrder', summary: 'Cancel an order: it is removed and its stock released (its owner or an admin)', responses: { 204: { description: 'Cancelled.' }, ...problems(400, 401, 404) } },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    schemas: {
      Problem: {
        type: 'object', required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { pointer: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
      Health: {
        type: 'object', required: ['status', 'checks'],
        properties: { status: { enum: ['ok', 'degraded', 'down'] }, checks: { type: 'object', additionalProperties: { enum: ['ok', 'down'] } } },
      },
      Login: {
        type: 'object', required: ['email', 'password'], additionalProperties: false,
        properties: { email: { type: 'string', format: 'email', maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
      },
      Token: {
        type: 'object', required: ['access_token', 'token_type', 'expires_in'],
        properties: { access_token: { type: 'string' }, token_type: { const: 'Bearer' }, expires_in: { type: 'integer' } },
      },
      Customer: {
        type: 'object', required: ['id', 'email', 'name', 'role', 'createdAt'],
        properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' }, name: { type: 'string' }, role: { enum: ['customer', 'admin'] }, createdAt: timestamp },
      },
      NewCustomer: {
        type: 'object', required: ['email', 'name', 'password'], additionalProperties: false,
        properties: {
          email: { type: 'string', format: 'email', maxLength: 200 }, name: { type: 'string', minLength: 1, maxLength: 100 },
          password: { type: 'string', minLength: 8, maxLength: 200 }, role: { enum: ['customer', 'admin'], default: 'customer' },
        },
      },
      Product: {
        type: 'object', required: ['id', 'sku', 'name', 'priceCents', 'stock', 'updatedAt'],
        properties: { id: { type: 'integer' }, sku: { type: 'string' }, name: { type: 'string' }, priceCents: { type: 'integer', minimum: 1 }, stock: { type: 'integer', minimum: 0 }, updatedAt: timestamp },
      },
      NewProduct: {
        type: 'object', required: ['sku', 'name', 'priceCents'], additionalProperties: false,
        properties: {
          sku: { type: 'string', minLength: 1, maxLength: 64 }, name: { type: 'string', minLength: 1, maxLength: 200 },
          priceCents: { type: 'integer', minimum: 1, maximum: 10_000_000 }, stock: { type: 'integer', minimum: 0, maximum: 10_000_000, default: 0 },
        },
      },
      ProductPatch: {
        type: 'object', minProperties: 1, additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 200 }, priceCents: { type: 'integer', minimum: 1, maximum: 10_000_000 },
          stock: { type: 'integer', minimum: 0, maximum: 10_000_000 },
        },
      },
      NewOrder: {
        type: 'object', required: ['items'], additionalProperties: false,
        properties: {
          items: {
            type: 'array', minItems: 1, maxItems: 20,
            items: {
              type: 'object', required: ['productId', 'quantity'], additionalProperties: false,
              properties: { productId: { type: 'integer', minimum: 1 }, quantity: { type: 'integer', minimum: 1, maximum: 100 } },
            },
          },
        },
      },
      Order: {
        type: 'object', required: ['id', 'customerId', 'status', 'totalCents', 'paymentId', 'items', 'createdAt', 'updatedAt'],
        properties: {
          id: { type: 'string', format: 'uuid' }, customerId: { type: 'integer' }, status: { enum: ['pending', 'paid', 'payment_failed'] },
          totalCents: { type: 'integer', minimum: 0 }, paymentId: { type: ['string', 'null'] },
          items: { type: 'array', items: { type: 'object', required: ['productId', 'quantity', 'unitPriceCents'], properties: { productId: { type: 'integer' }, quantity: { type: 'integer' }, unitPriceCents: { type: 'integer' } } } },
          createdAt: timestamp, updatedAt: timestamp,
        },
      },
    },
  },
};
