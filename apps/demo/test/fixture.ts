import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { ignoreKafkajsTimeoutWarning } from '@probe/services';
import { startDemo, type Demo } from '../src/app.ts';
import { dropDatabase } from '../src/db/database.ts';
import { NO_DEFECTS, type Defects } from '../src/defects.ts';
import { namespaced, type DemoNames } from '../src/options.ts';
import { createToxiproxyClient, startFaultProxy, startProxyServer } from '@probe/resilience';
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
  /** The DEMO_* and PROBE_* variables `probe run --config probe.config.ts` needs in another process. */
  env: Record<string, string>;
  /** Close the service, then drop its database, keys, topics and consumer group. */
  remove(): Promise<void>;
}

/**
 * `proxyApi: true` puts the canary's fault proxy behind a Toxiproxy API, as `pnpm demo` does with
 * `probe proxy`, so that a `probe run` in another process can drive it (DEMO_TOXIPROXY_URL in `env`).
 */
export async function startTestDemo(options: { defects?: Defects; paymentsUrl?: string; proxyApi?: boolean } = {}): Promise<TestDemo> {
  const namespace = newNamespace();
  const settings = {
    pgUrl: services.pgUrl!, kafkaBrokers: services.kafkaBrokers!, ...namespaced(namespace),
    defects: options.defects ?? NO_DEFECTS, quiet: true, ...(options.paymentsUrl ? { paymentsUrl: options.paymentsUrl } : {}),
  };
  const demo = await startDemo({ ...settings, redisUrl: services.redisUrl! });
  const redis = new URL(services.redisUrl!);
  const upstream = `${redis.hostname}:${redis.port || 6379}`;
  const fault = options.proxyApi ? await proxyBehindApi(upstream) : await inProcessProxy(upstream);
  const viaProxy = new URL(services.redisUrl!);
  viaProxy.host = fault.listen;
  const canary = await startDemo({ ...settings, redisUrl: viaProxy.toString() });
  const defects = Object.values(demo.options.defects).some(Boolean);
  const targets: DemoTargets = {
    url: demo.url, databaseUrl: demo.databaseUrl, redisUrl: services.redisUrl!, kafkaBrokers: services.kafkaBrokers!,
    names: demo.names, jwtSecret: demo.options.jwtSecret, defects, canary: { url: canary.url, redisProxy: fault.handle },
  };
  const env: Record<string, string> = {
    DEMO_URL: demo.url, DEMO_DATABASE_URL: demo.databaseUrl, DEMO_PAYMENTS_URL: demo.paymentsUrl, DEMO_NAMESPACE: namespace,
    DEMO_JWT_SECRET: demo.options.jwtSecret, DEMO_DEFECTS: defects ? '1' : '0', DEMO_CANARY_URL: canary.url,
    PROBE_REDIS_URL: services.redisUrl!, PROBE_KAFKA_BROKERS: services.kafkaBrokers!.join(','), PROBE_PG_URL: services.pgUrl!,
    ...(fault.apiUrl ? { DEMO_TOXIPROXY_URL: fault.apiUrl } : {}),
  };
  return {
    ...demo,
    targets,
    env,
    async remove() {
      await canary.close();
      await demo.close();
      await fault.close();
      await removeNamespace(demo.names);
    },
  };
}

/** The canary's fault proxy, in this process. */
async function inProcessProxy(upstream: string) {
  const proxy = await startFaultProxy({ name: REDIS_PROXY, upstream });
  return { listen: proxy.listen, handle: proxy, apiUrl: undefined, close: () => proxy.close() };
}

/** The canary's fault proxy behind a Toxiproxy API on a free port. */
async function proxyBehindApi(upstream: string) {
  const server = await startProxyServer({ api: '127.0.0.1:0', proxies: [{ name: REDIS_PROXY, listen: '127.0.0.1:0', upstream }] });
  const { listen } = server.registry.get(REDIS_PROXY);
  return { listen, handle: createToxiproxyClient({ url: server.url }).handle(REDIS_PROXY), apiUrl: server.url, close: () => server.close() };
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
