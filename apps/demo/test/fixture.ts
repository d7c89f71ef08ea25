import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { ignoreKafkajsTimeoutWarning } from '@probe/services';
import { startDemo, type Demo } from '../src/app.ts';
import { dropDatabase } from '../src/db/database.ts';
import { NO_DEFECTS, type Defects } from '../src/defects.ts';
import { namespaced, type DemoNames } from '../src/options.ts';
import { startFaultProxy } from '@probe/resilience';
import { REDIS_PROXY, type DemoTargets } from '../probes/targets.ts';

/** The services from tooling/services; the tests skip without them outside CI. */
export const services = {
  pgUrl: process.env.PROBE_PG_URL,
  redisUrl: process.env.PROBE_REDIS_URL,
  kafkaBrokers: process.env.PROBE_KAFKA_BROKERS?.split(','),
};
export const haveServices = Boolean(services.pgUrl && services.redisUrl && services.kafkaBrokers);

ignoreKafkajsTimeoutWarning();

/**
 * A demo service of the test's own — its own database, key prefix, topics and group, all
 * removed by `remove()` — and, as under `pnpm demo`, a canary instance beside it that
 * reaches Redis through a fault proxy.
 */
export interface TestDemo extends Demo {
  targets: DemoTargets;
  /** Close the service, then drop its database, keys, topics and consumer group. */
  remove(): Promise<void>;
}

export async function startTestDemo(options: { defects?: Defects; paymentsUrl?: string } = {}): Promise<TestDemo> {
  const settings = {
    pgUrl: services.pgUrl!, kafkaBrokers: services.kafkaBrokers!, ...namespaced(newNamespace()),
    defects: options.defects ?? NO_DEFECTS, quiet: true, ...(options.paymentsUrl ? { paymentsUrl: options.paymentsUrl } : {}),
  };
  const demo = await startDemo({ ...settings, redisUrl: services.redisUrl! });
  const redis = new URL(services.redisUrl!);
  const proxy = await startFaultProxy({ name: REDIS_PROXY, upstream: `${redis.hostname}:${redis.port || 6379}` });
  const viaProxy = new URL(services.redisUrl!);
  viaProxy.host = proxy.listen;
  const canary = await startDemo({ ...settings, redisUrl: viaProxy.toString() });
  const defects = Object.values(demo.options.defects).some(Boolean);
  const targets: DemoTargets = {
    url: demo.url, databaseUrl: demo.databaseUrl, redisUrl: services.redisUrl!, kafkaBrokers: services.kafkaBrokers!,
    names: demo.names, jwtSecret: demo.options.jwtSecret, defects, canary: { url: canary.url, redisProxy: proxy },
  };
  return {
    ...demo,
    targets,
    async remove() {
      await canary.close();
      await demo.close();
      await proxy.close();
      await removeNamespace(demo.names);
    },
  };
}

/** Drop what a demo instance created: its database, keys, topics and consumer group. */
export async function removeNamespace(names: DemoNames): Promise<void> {
  await dropDatabase(services.pgUrl!, names.database);
  const redis = new Redis(services.redisUrl!);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${names.keyPrefix}*`, 'COUNT', 1_000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  const admin = new Kafka({ brokers: services.kafkaBrokers!, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteGroups([names.consumerGroup]).catch(() => {});
    await admin.deleteTopics({ topics: [names.orderCreated, names.orderCreatedDlt] });
  } finally {
    await admin.disconnect();
  }
}

/** A fresh namespace for one demo instance (`t` + 8 hex digits). */
export function newNamespace(): string {
  return `t${randomBytes(4).toString('hex')}`;
}
