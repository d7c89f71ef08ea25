import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { clearProductCache, createProductCache } from './cache/product-cache.ts';
import { databaseUrl, ensureDatabase } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seed } from './db/seed.ts';
import type { Route } from './http/router.ts';
import { OPENAPI } from './http/openapi.ts';
import { createHttpServer } from './http/server.ts';
import { createLog } from './log.ts';
import { namesOf, resolveOptions, type DemoNames, type DemoOptions, type ResolvedOptions } from './options.ts';
import { runOrderConsumer } from './orders/order-consumer.ts';
import { startOutboxRelay } from './orders/outbox-relay.ts';
import { createOrderProcessor } from './orders/process-order.ts';
import { ensureTopics } from './orders/topics.ts';
import { createPaymentClient } from './payments/client.ts';
import { startPaymentSandbox } from './payments/sandbox.ts';
import { customerRoutes } from './routes/customers.ts';
import { healthRoutes } from './routes/health.ts';
import { orderRoutes } from './routes/orders.ts';
import { productRoutes } from './routes/products.ts';

/** A running demo service. */
export interface Demo {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The database URL the service uses. */
  databaseUrl: string;
  /** The payment provider it calls. */
  paymentsUrl: string;
  names: DemoNames;
  options: ResolvedOptions;
  /** Stop everything it started (HTTP first, so no request finds a closed pool). */
  close(): Promise<void>;
}

/** The migration the `missingForeignKeyIndex` defect leaves out. */
const FK_INDEX_MIGRATION = '0004_order_items_product_index';

/**
 * Start the service: database (created, migrated, seeded), Redis, Kafka topics,
 * producer, outbox relay and consumer (ready once it joined its group), the
 * payment client (and a payment sandbox unless a provider URL is given), then
 * the HTTP server.
 */
export async function startDemo(input: DemoOptions): Promise<Demo> {
  const options = resolveOptions(input);
  const names = namesOf(options);
  const log = createLog(options.quiet);
  const { defects } = options;
  const stack: { name: string; stop: () => Promise<unknown> }[] = [];
  const onStop = (name: string, stop: () => Promise<unknown>) => stack.push({ name, stop });
  const close = async () => {
    for (const { name, stop } of stack.reverse()) await stop().catch((error: Error) => log.error(`stopping ${name}: ${error.message}`));
  };
  try {
    await ensureDatabase(options.pgUrl, names.database);
    const dbUrl = databaseUrl(options.pgUrl, names.database);
    const db = new pg.Pool({ connectionString: dbUrl, max: 10, application_name: 'demo', connectionTimeoutMillis: 3_000, statement_timeout: 5_000 });
    db.on('error', (error) => log.error(`postgres: ${error.message}`));
    onStop('postgres', () => db.end());
    const migrated = await migrate(db, { leaveOut: defects.missingForeignKeyIndex ? [FK_INDEX_MIGRATION] : [] });
    if (migrated.applied.length || migrated.reverted.length) log.info(`migrations: applied ${migrated.applied.join(', ') || 'none'}; reverted ${migrated.reverted.join(', ') || 'none'}`);
    await seed(db, names.orderCreated);

    // A cache must answer fast or be skipped: 250 ms per command, no queueing while disconnected, quick reconnects.
    const redis = new Redis(options.redisUrl, {
      lazyConnect: true, connectTimeout: 2_000, commandTimeout: 250, maxRetriesPerRequest: 0, enableOfflineQueue: false,
      retryStrategy: (times) => Math.min(times * 50, 500),
    });
    redis.on('error', (error) => log.error(`redis: ${error.message}`));
    await redis.connect();
    onStop('redis', () => redis.quit());
    await clearProductCache(redis, names.productKey('*'));
    const cache = createProductCache(redis, names.productKey, { staleProductCache: defects.staleProductCache, log });

    const kafka = new Kafka({
      clientId: 'demo', brokers: options.kafkaBrokers, connectionTimeout: 3_000, retry: { retries: 3 }, logLevel: logLevel.ERROR,
      // kafkajs errors as one log line each; a rebalance in progress is routine, not an error.
      logCreator: () => ({ log: entry }) => {
        if (!/rebalanc/i.test(String(entry.error))) log.error(`kafka: ${entry.message}${entry.error ? `: ${String(entry.error)}` : ''}`);
      },
    });
    const admin = kafka.admin();
    await admin.connect();
    onStop('kafka admin', () => admin.disconnect());
    await ensureTopics(admin, [names.orderCreated, names.orderCreatedDlt]);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    onStop('kafka producer', () => producer.disconnect());

    let paymentsUrl = options.paymentsUrl;
    if (!paymentsUrl) {
      const sandbox = await startPaymentSandbox();
      onStop('payment sandbox', () => sandbox.close());
      paymentsUrl = sandbox.url;
    }
    const payments = createPaymentClient({ baseUrl: paymentsUrl, retriesClientErrors: defects.retriesClientErrors });
    onStop('payment breaker', async () => payments.breaker.shutdown());

    const relay = startOutboxRelay(db, producer, log);
    onStop('outbox relay', () => relay.stop());
    const consumer = kafka.consumer({ groupId: names.consumerGroup, sessionTimeout: 10_000, heartbeatInterval: 300, maxWaitTimeInMs: 100 });
    const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
    await consumer.connect();
    onStop('kafka consumer', () => consumer.disconnect());
    await runOrderConsumer({
      consumer, producer, topic: names.orderCreated, dlt: names.orderCreatedDlt, group: names.consumerGroup,
      process: createOrderProcessor(db, payments, names.orderCreated, log), dropsPoisonMessages: defects.dropsPoisonMessages, log,
    });
    await within(joined, 20_000, `the consumer did not join group ${names.consumerGroup}`);

    const routes: Route[] = [
      ...healthRoutes({
        postgres: { check: () => db.query('select 1') },
        redis: { check: () => redis.ping(), optional: true },
        kafka: { check: () => admin.describeCluster(), optional: true },
      }, OPENAPI),
      ...customerRoutes(db, options.jwtSecret),
      ...productRoutes(db, cache),
      ...orderRoutes({ db, cache, topic: names.orderCreated, wakeRelay: relay.wake }),
    ];
    const server = createHttpServer({ routes, jwtSecret: options.jwtSecret, badJsonIs500: defects.badJsonIs500, log });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port, options.host, resolve));
    onStop('http server', () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); }));
    const { port } = server.address() as AddressInfo;
    return { url: `http://${options.host}:${port}`, databaseUrl: dbUrl, paymentsUrl, names, options, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function within(promise: Promise<void>, ms: number, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
