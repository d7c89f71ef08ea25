import net from 'node:net';
import { assertKafka } from '../kafka/preflight.ts';

/** Options of {@link startKafka}. */
export interface StartKafkaOptions {
  /** Use these brokers (default: `PROBE_KAFKA_BROKERS`, then `KAFKA_BROKERS`; comma-separated); nothing is started. */
  brokers?: string | string[];
  /** The image testcontainers starts when no brokers are given (default `apache/kafka:4.1.2`, KRaft). */
  image?: string;
  /** Bound on reaching the given brokers or on starting the container, in ms (default 3 000 / 90 000). */
  timeoutMs?: number;
}

/** A Kafka for a test suite. */
export interface StartedKafka {
  brokers: string[];
  /** `given`: brokers from options or the environment (stop does nothing); `container`: started by testcontainers. */
  source: 'given' | 'container';
  /** Stops what was started. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A Kafka for a test suite: the given brokers (`brokers`, `PROBE_KAFKA_BROKERS`
 * or `KAFKA_BROKERS`, checked with a Kafka ApiVersions handshake), else a
 * single-node KRaft `apache/kafka` container started with testcontainers
 * where a Docker engine answers, else a clear error at once.
 */
export async function startKafka(options: StartKafkaOptions = {}): Promise<StartedKafka> {
  const given = options.brokers ?? process.env.PROBE_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS;
  if (given) {
    const brokers = (Array.isArray(given) ? given : given.split(',')).map((broker) => broker.trim()).filter(Boolean);
    await assertKafka(brokers, { timeoutMs: options.timeoutMs ?? 3_000 });
    return { brokers, source: 'given', stop: async () => {} };
  }
  let testcontainers: typeof import('testcontainers');
  try {
    testcontainers = await import('testcontainers');
  } catch {
    throw new Error('startKafka: no brokers given (set PROBE_KAFKA_BROKERS or KAFKA_BROKERS) and testcontainers is not installed to start one');
  }
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch (error) {
    throw new Error(`startKafka: no brokers given (set PROBE_KAFKA_BROKERS or KAFKA_BROKERS) and no Docker engine for testcontainers (${(error as Error).message.split('\n')[0]})`);
  }
  // Clients connect to the advertised address, so the host port is chosen first and advertised as is.
  const port = await freePort();
  const container = await new testcontainers.GenericContainer(options.image ?? 'apache/kafka:4.1.2')
    .withExposedPorts({ container: 9092, host: port })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(testcontainers.Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(options.timeoutMs ?? 90_000)
    .start();
  let stopped: Promise<void> | undefined;
  return { brokers: [`127.0.0.1:${port}`], source: 'container', stop: () => (stopped ??= container.stop().then(() => undefined)) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
