import type { StartContext } from './local/starter.ts';
import type { Ownership, ServiceName } from './types.ts';
import { errorMessage, pollUntil } from './wait.ts';

/** The image and settings testcontainers uses for each service. */
interface ContainerSpec {
  image: string;
  /** The port inside the container; it is published on the same host port as the default URL. */
  port: number;
  env?: (hostPort: number) => Record<string, string>;
  command?: string[];
}

const SPECS: Record<ServiceName, ContainerSpec> = {
  pg: { image: 'postgres:16-alpine', port: 5432, env: () => ({ POSTGRES_HOST_AUTH_METHOD: 'trust', POSTGRES_DB: 'test' }) },
  redis: { image: 'redis:7-alpine', port: 6379 },
  amqp: { image: 'rabbitmq:3.13-alpine', port: 5672 },
  nats: { image: 'nats:2.10-alpine', port: 4222, command: ['-js'] },
  kafka: {
    image: 'apache/kafka:4.1.2',
    port: 9092,
    env: (hostPort) => ({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    }),
  },
};

async function loadTestcontainers() {
  // The containers must outlive `up` (which exits at once); `down` removes them.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  return import('testcontainers');
}

let runtimeCheck: Promise<string | undefined> | undefined;

/**
 * Why no container runtime can be used, or undefined when one answers.
 * Asks testcontainers itself (it rejects in ~1 ms without an engine); never
 * `docker --version`, which only proves the client is installed.
 */
export function containerRuntimeMissing(): Promise<string | undefined> {
  runtimeCheck ??= loadTestcontainers()
    .then(({ getContainerRuntimeClient }) => getContainerRuntimeClient())
    .then(
      () => undefined,
      (error: unknown) => `no Docker engine for testcontainers (${errorMessage(error)})`,
    );
  return runtimeCheck;
}

/** Starts the service's container on its default host port and waits until it answers. */
export async function startContainer(context: StartContext): Promise<Ownership> {
  const spec = SPECS[context.name];
  const hostPort = Number(new URL(context.name === 'kafka' ? `kafka://${context.url}` : context.url).port || spec.port);
  const { GenericContainer } = await loadTestcontainers();
  const started = Date.now();
  context.log(`${context.name}: starting ${spec.image} with testcontainers`);
  let container = new GenericContainer(spec.image)
    .withExposedPorts({ container: spec.port, host: hostPort })
    .withEnvironment(spec.env?.(hostPort) ?? {})
    .withLabels({ 'dev.probe.services': context.name })
    .withStartupTimeout(context.timeoutMs);
  if (spec.command) container = container.withCommand(spec.command);
  const running = await container.start();
  await pollUntil(() => context.ready(context.url, 2_000), { what: `${context.name} container`, timeoutMs: context.timeoutMs });
  return {
    name: context.name,
    kind: 'container',
    containerId: running.getId(),
    url: context.url,
    startedAt: new Date(started).toISOString(),
    startMs: Date.now() - started,
  };
}

/** Stops and removes a container this package started. */
export async function stopContainer(containerId: string): Promise<void> {
  const { getContainerRuntimeClient } = await loadTestcontainers();
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(containerId);
  await client.container.stop(container, { timeout: 10 });
  await client.container.remove(container, { removeVolumes: true });
}
