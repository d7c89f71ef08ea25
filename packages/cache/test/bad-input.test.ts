import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { redis, type RedisProbeOptions } from '../src/index.ts';
import { freePort, startRedisServer, type RedisServer } from '../src/testing/index.ts';
import { sharedUrl } from './support/run.ts';

const CANARY = 'canary-Secret-7f3a';

/** Run the whole probe; returns its results, the serialized events and the wall time. */
async function runAll(options: RedisProbeOptions) {
  const events = collectEvents();
  const started = performance.now();
  const summary = await run([redis(options)], { reporters: [events] });
  return { results: summary.results, text: JSON.stringify(events.events), ms: performance.now() - started };
}

const errorsOf = (results: Result[]) => new Set(results.map((result) => `${result.status} ${result.error?.code}`));

describe('bad input ends fast with a clear error, never a hang', () => {
  let locked: RedisServer;
  let http: Server;
  let httpPort: number;
  beforeAll(async () => {
    locked = await startRedisServer({ config: { requirepass: 'the-right-one' } });
    http = createHttpServer((_request, response) => response.end('hello'));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    httpPort = (http.address() as { port: number }).port;
  });
  afterAll(async () => {
    await locked.stop();
    await new Promise<void>((resolve) => http.close(() => resolve()));
  });

  it('wrong password: every check is error PROBE_ERR_AUTH, and the password never appears', async () => {
    const { results, text, ms } = await runAll({ url: `redis://:${CANARY}@127.0.0.1:${locked.port}` });
    expect(errorsOf(results)).toEqual(new Set(['error PROBE_ERR_AUTH']));
    expect(results[0]!.error!.message).toBe(`setup of redis failed: Redis at 127.0.0.1:${locked.port} refused the credentials (WRONGPASS invalid username-password pair or user is disabled) — check the user and password in the URL`);
    expect(text).not.toContain(CANARY);
    expect(ms).toBeLessThan(1_000);
  });

  it('missing password: PROBE_ERR_AUTH saying the URL has none', async () => {
    const { results } = await runAll({ url: `redis://127.0.0.1:${locked.port}` });
    expect(results[0]!.error!.message).toMatch(/requires a password and the URL has none \(NOAUTH HELLO must be called with the client already authenticated/);
  });

  it('unreachable host (a closed port): PROBE_ERR_UNREACHABLE at once for every check', async () => {
    const port = await freePort();
    const { results, ms } = await runAll({ url: `redis://127.0.0.1:${port}` });
    expect(errorsOf(results)).toEqual(new Set(['error PROBE_ERR_UNREACHABLE']));
    expect(results[0]!.error!.message).toBe(`target redis is unreachable: cannot reach Redis at 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} — is Redis running there? check the host and port in the URL`);
    expect(ms).toBeLessThan(1_000);
  });

  it('a server that accepts but never answers: PROBE_ERR_UNREACHABLE within the connect bound', async () => {
    const silent = createTcpServer((socket) => socket.on('data', () => {}));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const { results, ms } = await runAll({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300, commandTimeoutMs: 300 });
      expect(results[0]!.error).toEqual({ code: 'PROBE_ERR_UNREACHABLE', message: expect.stringContaining(`no answer from Redis at 127.0.0.1:${port} within 300 ms`) });
      expect(ms).toBeLessThan(1_500);
    } finally {
      silent.close();
    }
  });

  it('an HTTP server where Redis was expected: PROBE_ERR_CONFIG', async () => {
    const { results } = await runAll({ url: `redis://127.0.0.1:${httpPort}` });
    expect(results[0]!.error!.code).toBe('PROBE_ERR_CONFIG');
    expect(results[0]!.error!.message).toMatch(new RegExp(`the server at 127.0.0.1:${httpPort} does not speak the Redis protocol .* — check the port`));
  });

  it.skipIf(!sharedUrl)('a cluster URL pointing at a standalone server: PROBE_ERR_CONFIG, fast', async () => {
    const { results, ms } = await runAll({ url: sharedUrl!, cluster: true });
    expect(errorsOf(results)).toEqual(new Set(['error PROBE_ERR_CONFIG']));
    expect(results[0]!.error!.message).toMatch(/cluster mode was asked for, but Redis at 127.0.0.1:\d+ is a standalone server \(cluster_enabled:0\) — remove the `cluster` option/);
    expect(ms).toBeLessThan(1_000);
  });
});

describe('invalid options become config issues naming the field; nothing runs', () => {
  it('reports each bad field with what was expected and what was found', () => {
    const probe = redis({
      url: 'localhost:6379',
      thresholds: { hitRateWarn: 2 },
      sample: { windowMs: -1 },
      replicas: ['http://replica'],
      typo: true,
    } as unknown as RedisProbeOptions);
    expect(probe.issues).toEqual([
      { path: 'url', message: 'expected a redis:// or rediss:// URL, got "localhost:6379"' },
      { path: 'replicas[0]', message: 'expected a redis:// or rediss:// URL, got "http://replica"' },
      { path: 'sample.windowMs', message: expect.stringMatching(/^Too small: expected number to be >0/) },
      { path: 'thresholds.hitRateWarn', message: expect.stringMatching(/^Too big: expected number to be <=1/) },
      { path: 'typo', message: 'unknown option "typo"; remove it or check its spelling' },
    ]);
  });

  it('rejects an invalidation without key or pattern, and a non-function loader', () => {
    const probe = redis({
      url: 'redis://127.0.0.1:6379',
      invalidation: { action: { url: 'http://app/x' } },
      sourceOfTruth: [{ pattern: 'user:*', load: 'select 1' }],
    } as unknown as RedisProbeOptions);
    expect(probe.issues).toEqual([
      { path: 'invalidation', message: expect.stringMatching(/give exactly one of key or pattern/) },
      { path: 'sourceOfTruth[0].load', message: 'expected a function (key, { signal }) => value, got "select 1"' },
    ]);
  });

  it('run() refuses the config with PROBE_ERR_CONFIG', async () => {
    await expect(run([redis({ url: 'nope' })], { reporters: [] })).rejects.toMatchObject({ code: 'PROBE_ERR_CONFIG' });
  });
});

describe('secrets', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ config: { requirepass: CANARY } });
  });
  afterAll(() => server.stop());

  it('a password in the URL appears in no event of a full run', async () => {
    const { results, text } = await runAll({ url: server.url, sample: { windowMs: 100 } });
    expect(results.filter((result) => result.status === 'error')).toEqual([]);
    expect(text).not.toContain(CANARY);
    expect(text).toContain('redis://:***@127.0.0.1');
  });
});
