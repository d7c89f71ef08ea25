import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRedisServer } from './redis-server.ts';

describe('startRedisServer', () => {
  it('starts a private server with the given settings and removes everything on stop', async () => {
    const started = performance.now();
    const server = await startRedisServer({ config: { maxmemory: '4mb', 'maxmemory-policy': 'allkeys-lfu', requirepass: 'p@ss word' } });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(server.url).toBe(`redis://:p%40ss%20word@127.0.0.1:${server.port}`);
    const client = new Redis(server.url);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lfu']);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    client.disconnect();
    await server.stop();
    await server.stop();
    expect(existsSync(server.dir)).toBe(false);
  });

  it('fails clearly when the binary is missing or the config is wrong', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow(/^cannot run \/nonexistent\/redis-server: .*ENOENT.* \(Debian: apt-get install redis-server\)$/);
    await expect(startRedisServer({ config: { 'no-such-directive': 'x' } })).rejects.toThrow(/exited \(1\) before it was ready:[\s\S]*no-such-directive/);
  });
});
