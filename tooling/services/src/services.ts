import { kafkaStarter } from './kafka/start-kafka.ts';
import { natsStarter } from './local/nats.ts';
import { pgStarter } from './local/pg.ts';
import { rabbitmqStarter } from './local/rabbitmq.ts';
import { redisStarter } from './local/redis.ts';
import type { LocalStarter } from './local/starter.ts';
import type { ServiceName } from './types.ts';

/** Everything `up`, `down` and `status` know about one service. */
export interface ServiceDefinition {
  name: ServiceName;
  /** Human name, e.g. "PostgreSQL". */
  label: string;
  /** Cheap readiness check (the fast path of `up`). Client libraries load on first use. */
  check: (url: string, timeoutMs: number) => Promise<void>;
  /** Fuller check run once after a start (Kafka: a consumer group joins). */
  deepCheck?: (url: string, timeoutMs: number) => Promise<void>;
  /** Fixes a server that answers but is not usable yet (pg: creates the missing database). */
  repair?: (url: string, error: unknown, timeoutMs: number) => Promise<boolean>;
  local: LocalStarter;
  /** Bound on a start, readiness included. */
  startTimeoutMs: number;
  /** How to install it on Debian, for messages. */
  install: string;
}

/** The five services, by name. */
export const SERVICES: Record<ServiceName, ServiceDefinition> = {
  pg: {
    name: 'pg',
    label: 'PostgreSQL',
    check: async (url, timeoutMs) => (await import('./checks/pg.ts')).checkPg(url, timeoutMs),
    repair: async (url, error, timeoutMs) => (await import('./checks/pg.ts')).createMissingDatabase(url, error, timeoutMs),
    local: pgStarter,
    startTimeoutMs: 60_000,
    install: 'apt-get install postgresql',
  },
  redis: {
    name: 'redis',
    label: 'Redis',
    check: async (url, timeoutMs) => (await import('./checks/redis.ts')).checkRedis(url, timeoutMs),
    local: redisStarter,
    startTimeoutMs: 20_000,
    install: 'apt-get install redis-server',
  },
  kafka: {
    name: 'kafka',
    label: 'Kafka',
    check: async (url, timeoutMs) => (await import('./checks/kafka.ts')).checkKafka(url, timeoutMs),
    deepCheck: async (url, timeoutMs) => (await import('./checks/kafka.ts')).checkKafkaGroupJoin(url, timeoutMs),
    local: kafkaStarter,
    startTimeoutMs: 120_000,
    install: 'apt-get install openjdk-17-jre-headless maven',
  },
  amqp: {
    name: 'amqp',
    label: 'RabbitMQ',
    check: async (url, timeoutMs) => (await import('./checks/amqp.ts')).checkAmqp(url, timeoutMs),
    local: rabbitmqStarter,
    startTimeoutMs: 90_000,
    install: 'apt-get install rabbitmq-server',
  },
  nats: {
    name: 'nats',
    label: 'NATS',
    check: async (url, timeoutMs) => (await import('./checks/nats.ts')).checkNats(url, timeoutMs),
    local: natsStarter,
    startTimeoutMs: 20_000,
    install: 'apt-get install nats-server',
  },
};
