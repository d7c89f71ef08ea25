import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import pg from 'pg';
import { toxic, withFault } from '@probe/resilience';
import { bearer } from '../probes/targets.ts';
import { haveServices, services, startTestDemo, type TestDemo } from './fixture.ts';

describe.skipIf(!haveServices)('the demo order service', () => {
  let demo: TestDemo;
  let db: pg.Pool;
  const call = async (method: string, path: string, options: { user?: 'alice' | 'bob' | 'admin'; json?: unknown; body?: string } = {}) => {
    const headers: Record<string, string> = options.user ? bearer(demo.targets, options.user) : {};
    if (options.json !== undefined || options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${demo.url}${path}`, { method, headers, body: options.body ?? (options.json === undefined ? undefined : JSON.stringify(options.json)) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) as Record<string, unknown> : undefined };
  };

  beforeAll(async () => {
    demo = await startTestDemo();
    db = new pg.Pool({ connectionString: demo.databaseUrl, max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await demo?.remove();
  });

  it('logs in with a password and knows who the token belongs to', async () => {
    const login = await call('POST', '/auth/login', { json: { email: 'bob@demo.test', password: 'bob-demo-password' } });
    expect(login).toMatchObject({ status: 200, body: { token_type: 'Bearer', expires_in: 900 } });
    const me = await fetch(`${demo.url}/me`, { headers: { authorization: `Bearer ${String(login.body!.access_token)}` } });
    expect(await me.json()).toMatchObject({ id: 2, email: 'bob@demo.test', role: 'customer' });
    expect((await call('POST', '/auth/login', { json: { email: 'bob@demo.test', password: 'wrong' } })).status).toBe(401);
  });

  it('serves products through the cache and invalidates an entry when the product changes', async () => {
    expect((await call('GET', '/products/4')).headers.get('x-cache')).toBe('miss');
    expect((await call('GET', '/products/4')).headers.get('x-cache')).toBe('hit');
    const updated = await call('PATCH', '/products/4', { user: 'admin', json: { priceCents: 475 } });
    expect(updated).toMatchObject({ status: 200, body: { priceCents: 475 } });
    const read = await call('GET', '/products/4');
    expect([read.headers.get('x-cache'), read.body!.priceCents]).toEqual(['miss', 475]);
    expect((await call('PATCH', '/products/4', { user: 'alice', json: { priceCents: 1 } })).status).toBe(403);
  });

  it('keeps serving products from PostgreSQL while Redis is slow or down, and says so', async () => {
    const canary = demo.targets.canary!;
    const onCanary = async (path: string) => {
      const response = await fetch(`${canary.url}${path}`);
      return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
    };
    await withFault(canary.redisProxy, toxic.latency(1_000), async () => {
      const started = performance.now();
      const read = await onCanary('/products/3');
      expect([read.status, read.headers.get('x-cache'), read.body!.sku]).toEqual([200, 'bypass', 'GRINDER']);
      expect(performance.now() - started).toBeLessThan(600);
    });
    await withFault(canary.redisProxy, toxic.down(), async () => {
      expect(await onCanary('/health')).toMatchObject({ status: 200, body: { status: 'degraded', checks: { postgres: 'ok', redis: 'down' } } });
    });
  });

  it('places an order: priced from the catalogue, published through the outbox, paid by the consumer, private to its owner', async () => {
    const placed = await call('POST', '/orders', { user: 'alice', json: { items: [{ productId: 1, quantity: 2 }, { productId: 2, quantity: 1 }] } });
    expect(placed).toMatchObject({ status: 201, body: { customerId: 1, status: 'pending', totalCents: 2 * 2_490 + 1_200 } });
    const id = String(placed.body!.id);
    let order = placed.body!;
    for (let tries = 0; order.status === 'pending' && tries < 50; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      order = (await call('GET', `/orders/${id}`, { user: 'alice' })).body!;
    }
    expect(order).toMatchObject({ status: 'paid', paymentId: expect.stringMatching(/^ch_/) });
    const { rows: [outbox] } = await db.query('select topic, published_at is not null as published from outbox where key = $1', [id]);
    expect(outbox).toEqual({ topic: demo.names.orderCreated, published: true });
    const { rows: handled } = await db.query(`select outcome from processed_events where event_id = 'outbox-' || (select id from outbox where key = $1)`, [id]);
    expect(handled).toEqual([{ outcome: 'paid' }]);
    expect((await call('GET', `/orders/${id}`, { user: 'bob' })).status).toBe(404);
    expect((await call('DELETE', `/orders/${id}`, { user: 'alice' })).status).toBe(204);
    expect((await call('GET', `/orders/${id}`, { user: 'alice' })).status).toBe(404);
  });

  it('answers mistakes with problem+json: malformed JSON, a body against the schema, no token, a wrong method', async () => {
    const malformed = await call('POST', '/orders', { user: 'alice', body: '{"items": [' });
    expect(malformed).toMatchObject({ status: 400, body: { title: 'Bad Request', detail: expect.stringMatching(/^the body is not valid JSON/) } });
    const invalid = await call('POST', '/orders', { user: 'alice', json: { items: [{ productId: 'one', quantity: 0 }] } });
    expect(invalid.status).toBe(400);
    expect(invalid.body!.errors).toEqual([
      { pointer: '/items/0/productId', message: 'must be integer' }, { pointer: '/items/0/quantity', message: 'must be >= 1' },
    ]);
    const anonymous = await call('GET', '/orders');
    expect([anonymous.status, anonymous.headers.get('content-type'), anonymous.headers.get('www-authenticate')]).toEqual([401, 'application/problem+json', 'Bearer realm="demo"']);
    const wrongMethod = await call('PUT', '/products/1');
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'GET, PATCH, DELETE']);
    expect((await call('POST', '/orders', { user: 'alice', json: { items: [{ productId: 999, quantity: 1 }] } })).status).toBe(422);
  });

  it('sends a message it cannot read to the dead-letter topic, with Spring-style headers', async () => {
    const kafka = new Kafka({ brokers: services.kafkaBrokers!, logLevel: logLevel.NOTHING });
    const reader = kafka.consumer({ groupId: `${demo.names.consumerGroup}-test-reader`, maxWaitTimeInMs: 50 });
    const producer = kafka.producer();
    await Promise.all([reader.connect(), producer.connect()]);
    try {
      const received = new Promise<KafkaMessage>((resolve) => {
        void reader.subscribe({ topic: demo.names.orderCreatedDlt, fromBeginning: true })
          .then(() => reader.run({ eachMessage: async ({ message }) => resolve(message) }));
      });
      await producer.send({ topic: demo.names.orderCreated, messages: [{ key: 'poison', value: 'not json {' }] });
      const dead = await received;
      expect(dead.value!.toString()).toBe('not json {');
      const headers = Object.fromEntries(Object.entries(dead.headers!).map(([name, value]) => [name, String(value)]));
      expect(headers).toMatchObject({
        'kafka_dlt-original-topic': demo.names.orderCreated, 'kafka_dlt-exception-fqcn': 'PoisonMessage', 'delivery-attempts': '1',
        'kafka_dlt-original-consumer-group': demo.names.consumerGroup,
      });
    } finally {
      await Promise.all([reader.disconnect(), producer.disconnect()]);
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([`${demo.names.consumerGroup}-test-reader`]).catch(() => {});
      await admin.disconnect();
    }
  });
});
