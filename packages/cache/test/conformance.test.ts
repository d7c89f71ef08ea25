import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe } from 'vitest';
import { describeConformance } from '@probe/testkit';
import { redis, type RedisProbeOptions } from '../src/index.ts';
import { createRedisNamespace, type RedisNamespace } from '../src/testing/index.ts';
import { sharedUrl } from './support/run.ts';

/** The shared server's db the conformance runs use: a realistic application keyspace lives there during the suite. */
const DB = 13;
/**
 * The one key the *application* writes (its GET caches a page, its POST
 * invalidates it) when the invalidation scenario calls it. A run cut short
 * between the two (the 1 ms deadlines of the timeout test) leaves the page
 * cached, by the application's doing, so the fingerprint leaves it out.
 */
const APPLICATION_WRITES = 'app:page:';

describe.skipIf(!sharedUrl)('@probe/cache against the shared Redis', () => {
  let app: RedisNamespace;
  let http: Server;
  let base = '';
  const users = new Map<string, string>();

  beforeAll(async () => {
    app = await createRedisNamespace({ url: sharedUrl!, db: DB });
    const client = app.client;
    for (let index = 0; index < 50; index++) {
      const user = JSON.stringify({ id: index, name: `user ${index}` });
      users.set(`app:user:${index}`, user);
      await client.set(`app:user:${index}`, user, 'EX', 3_600);
    }
    await client.set('app:config', 'persistent');
    await client.set('app:blob', Buffer.from(Array.from({ length: 256 }, (_, byte) => byte)));
    await client.hset('app:account:1', { name: 'Ada', balance: '10' });
    await client.rpush('app:queue', 'a', 'b', 'c');
    await client.sadd('app:tags', 'x', 'y');
    await client.zadd('app:scores', 1, 'a', 2, 'b');
    await client.xadd('app:events', '*', 'type', 'created');
    // The application: GET /users/9 caches user 9, POST /users/9/update invalidates it (net effect on the keyspace: none).
    http = createServer((request, response) => {
      void (async () => {
        if (request.method === 'GET') await client.set('app:page:9', 'rendered', 'EX', 60);
        else await client.del('app:page:9');
        response.writeHead(204).end();
      })();
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await app.cleanup();
  });

  const options = (): RedisProbeOptions => ({
    url: app.url,
    name: 'shared-redis',
    keyPrefix: 'app:',
    sample: { windowMs: 300, ttlMs: 100, burst: 50 },
    invalidation: { key: 'app:page:9', prime: { url: `${base}/users/9`, method: 'GET' }, action: { url: `${base}/users/9/update` }, windowMs: 500 },
    sourceOfTruth: [{ pattern: 'app:user:*', load: (key) => users.get(key) }],
  });

  describeConformance({
    name: 'redis() on a standalone server',
    domain: 'cache',
    probe: () => redis(options()),
    fingerprint: () => fingerprint(app),
    leftovers: async (runId) => (await app.keys()).filter((key) => key.startsWith(`probe:${runId}:`)),
  });
});

/**
 * Everything in the db outside the probe's prefix — each key's name, type, a
 * digest of its value (DUMP) and whether it has a TTL — plus the number of
 * keys, which counts the probe's own keys too.
 */
async function fingerprint(app: RedisNamespace): Promise<unknown> {
  const client = app.client;
  const all = (await app.keys()).filter((key) => !key.startsWith(APPLICATION_WRITES));
  const keys = all.filter((key) => !key.startsWith('probe:')).sort();
  const entries = await Promise.all(keys.map(async (key) => {
    const [type, dump, ttl] = await Promise.all([client.type(key), client.dumpBuffer(key), client.pttl(key)]);
    return `${key} ${type} ${createHash('sha256').update(dump ?? '').digest('hex').slice(0, 16)} ${ttl > 0 ? 'ttl' : ttl}`;
  }));
  return { keys: all.length, entries };
}
