import type { ServiceName } from './types.ts';

/** Every service, in the order they are reported. */
export const SERVICE_NAMES: readonly ServiceName[] = ['pg', 'redis', 'kafka', 'amqp', 'nats'];

/** The environment variable that carries each service's URL: the single source of truth. */
export const SERVICE_ENV = {
  pg: 'PROBE_PG_URL',
  redis: 'PROBE_REDIS_URL',
  kafka: 'PROBE_KAFKA_BROKERS',
  amqp: 'PROBE_AMQP_URL',
  nats: 'PROBE_NATS_URL',
} as const satisfies Record<ServiceName, string>;

/** Where each service is expected when its variable is not set: the local one `up` manages. */
export const DEFAULT_URLS = {
  pg: 'postgres://postgres@127.0.0.1:5432/test',
  redis: 'redis://127.0.0.1:6379',
  kafka: '127.0.0.1:9092',
  amqp: 'amqp://guest:guest@127.0.0.1:5672',
  nats: 'nats://127.0.0.1:4222',
} as const satisfies Record<ServiceName, string>;

/** Each service's URL: the environment variable when set, else the local default. */
export function serviceUrls(env: NodeJS.ProcessEnv = process.env): Record<ServiceName, string> {
  const urls = {} as Record<ServiceName, string>;
  for (const name of SERVICE_NAMES) urls[name] = env[SERVICE_ENV[name]] || DEFAULT_URLS[name];
  return urls;
}

/**
 * The URL of a service the test run has (set by `up` or the vitest global
 * setup), or undefined when it is missing: `describe.skipIf(!serviceUrl('kafka'))`.
 */
export function serviceUrl(name: ServiceName, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env[SERVICE_ENV[name]] || undefined;
}

/** Whether `url` is the local default, i.e. one that `up` may start itself. */
export function isDefaultUrl(name: ServiceName, url: string): boolean {
  return url === DEFAULT_URLS[name];
}

/** Kafka's broker list (`PROBE_KAFKA_BROKERS` is comma-separated host:port). */
export function kafkaBrokers(value: string): string[] {
  return value.split(',').map((broker) => broker.trim()).filter(Boolean);
}
