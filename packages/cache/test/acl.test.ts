import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { run } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { redis } from '../src/index.ts';
import { startRedisServer, type RedisServer } from '../src/testing/index.ts';

/** The least-privilege user the README recommends: read every key, write only the probe's own. */
const PROBE_ACL = [
  'probe', 'on', '>probe-password', 'resetkeys', '%R~*', '%RW~probe:*', 'resetchannels',
  '-@all', '+@read', '+@connection', '+info', '+slowlog|get', '+latency|latest', '+latency|doctor', '+memory|usage',
  '+config|get', '+client|id', '+client|kill', '+client|setname', '+cluster|info', '+cluster|nodes', '+cluster|slots',
  '+cluster|keyslot', '+readonly', '+wait', '+set', '+del', '+unlink',
];

describe('least privilege', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ config: { user: PROBE_ACL } });
    const admin = new Redis(server.url);
    await admin.set('app:user:1', '{"id":1}', 'EX', 60);
    await admin.set('app:config', 'x');
    admin.disconnect();
  });
  afterAll(() => server.stop());

  it('the whole probe runs with the README\'s ACL user: no check errors', async () => {
    const summary = await run([redis({
      url: `redis://probe:probe-password@127.0.0.1:${server.port}`,
      keyPrefix: 'app:',
      sample: { windowMs: 100 },
      sourceOfTruth: [{ pattern: 'app:user:*', load: () => ({ id: 1 }) }],
    })], { reporters: [collectEvents()] });
    expect(summary.results.filter((result) => result.status === 'error').map((result) => `${result.id}: ${result.error?.message}`)).toEqual([]);
    expect(summary.results.find((result) => result.id === 'cache.ops.read-write')?.status).toBe('pass');
  });

  it('a user that may not write the probe\'s keys gets a clear PROBE_ERR_AUTH on the writing checks', async () => {
    const admin = new Redis(server.url);
    await admin.acl('SETUSER', 'reader', 'on', '>reader-password', '%R~*', '+@read', '+@connection', '+info', '+client|setname');
    admin.disconnect();
    const summary = await run([redis({ url: `redis://reader:reader-password@127.0.0.1:${server.port}` })], { only: ['cache.ops.read-write'], reporters: [collectEvents()] });
    expect(summary.results[0]!.error).toEqual({
      code: 'PROBE_ERR_AUTH',
      message: expect.stringMatching(/^the Redis user may not write the probe's keys: NOPERM .* — allow the user ~probe:\* \(or set probeKeyPrefix to a pattern it may write\)$/),
    });
  });
});
