import { endpointOf, openRedis } from '../connection.ts';

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** Use this Redis (default: `PROBE_REDIS_URL`, then `REDIS_URL`); nothing is started. */
  url?: string;
  /** The image testcontainers starts when no URL is given (default `redis:7-alpine`). */
  image?: string;
  /** Bound on reaching the given Redis or on starting the container, in ms (default 2 000 / 60 000). */
  timeoutMs?: number;
}

/** A Redis for a test suite. */
export interface StartedRedis {
  url: string;
  /** `url`: a given Redis (stop does nothing); `container`: started by testcontainers. */
  source: 'url' | 'container';
  /** Stops what was started. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A Redis for a test suite: the given URL (`url`, `PROBE_REDIS_URL` or
 * `REDIS_URL`; checked with a PING), else a `redis:7-alpine` container
 * started with testcontainers where a Docker engine answers, else a clear
 * error at once (no engine: testcontainers rejects in about a millisecond).
 * For server settings a shared Redis must never get, see `startRedisServer`.
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<StartedRedis> {
  const url = options.url ?? process.env.PROBE_REDIS_URL ?? process.env.REDIS_URL;
  if (url) {
    const timeoutMs = options.timeoutMs ?? 2_000;
    const client = await openRedis(endpointOf(url), { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs, connectionName: 'probe-test' });
    try {
      await client.ping();
    } finally {
      client.disconnect();
    }
    return { url, source: 'url', stop: async () => {} };
  }
  let testcontainers: typeof import('testcontainers');
  try {
    testcontainers = await import('testcontainers');
  } catch {
    throw new Error('startRedis: no Redis URL (set PROBE_REDIS_URL or REDIS_URL) and testcontainers is not installed to start one; install it, or use startRedisServer() with redis-server on PATH');
  }
  try {
    await testcontainers.getContainerRuntimeClient();
  } catch (error) {
    throw new Error(`startRedis: no Redis URL (set PROBE_REDIS_URL or REDIS_URL) and no Docker engine for testcontainers (${(error as Error).message.split('\n')[0]}); give a URL, or use startRedisServer() with redis-server on PATH`);
  }
  const container = await new testcontainers.GenericContainer(options.image ?? 'redis:7-alpine')
    .withExposedPorts(6379)
    .withWaitStrategy(testcontainers.Wait.forLogMessage('Ready to accept connections'))
    .withStartupTimeout(options.timeoutMs ?? 60_000)
    .start();
  let stopped: Promise<void> | undefined;
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    source: 'container',
    stop: () => (stopped ??= container.stop().then(() => undefined)),
  };
}
