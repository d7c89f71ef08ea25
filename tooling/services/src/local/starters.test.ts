import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNats } from '../checks/nats.ts';
import { checkRedis } from '../checks/redis.ts';
import { readOwnership, saveOwnership, stillOurs } from '../ownership.ts';
import { serviceStatus } from '../status.ts';
import { stopServices } from '../stop.ts';
import { natsStarter } from './nats.ts';
import { redisStarter } from './redis.ts';
import type { LocalStarter } from './starter.ts';

// Private servers on free ports, with their own state directory: the machine's services are never touched.
let cache: string;
const previousCache = process.env.PROBE_CACHE_DIR;
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'probe-services-starters-'));
  process.env.PROBE_CACHE_DIR = cache;
});
afterAll(() => {
  if (previousCache === undefined) delete process.env.PROBE_CACHE_DIR;
  else process.env.PROBE_CACHE_DIR = previousCache;
  rmSync(cache, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const cases: { name: 'redis' | 'nats'; starter: LocalStarter; scheme: string; check: (url: string, timeoutMs: number) => Promise<void> }[] = [
  { name: 'redis', starter: redisStarter, scheme: 'redis', check: checkRedis },
  { name: 'nats', starter: natsStarter, scheme: 'nats', check: checkNats },
];

describe.each(cases)('local $name starter', ({ name, starter, scheme, check }) => {
  it.skipIf(starter.unavailable() !== undefined)('starts a private server, records it, reports it as ours, and stops only it', async () => {
    const url = `${scheme}://127.0.0.1:${await freePort()}`;
    const env = { ...process.env, [name === 'redis' ? 'PROBE_REDIS_URL' : 'PROBE_NATS_URL']: url };
    const record = await starter.start({ name, url, log: () => {}, timeoutMs: 4_000, ready: check });
    expect(record).toMatchObject({ name, kind: 'process', url, pid: expect.any(Number) });
    saveOwnership(record);
    expect(stillOurs(readOwnership(name)!)).toBe(true);

    const [status] = await serviceStatus([name], env);
    expect(status).toMatchObject({ name, up: true, url, owned: { pid: record.pid } });

    const lines: string[] = [];
    expect(await stopServices([name], (line) => lines.push(line))).toEqual([name]);
    expect(lines).toEqual([`${name}: stopped pid ${record.pid}`]);
    expect(readOwnership(name)).toBeUndefined();
    await expect(check(url, 1_000)).rejects.toThrow();
  });
});

describe('stopServices', () => {
  it('forgets a record whose process is gone, and signals nothing', async () => {
    saveOwnership({ name: 'redis', kind: 'process', pid: 2 ** 22 + 7, match: 'redis-server', url: 'redis://127.0.0.1:1', startedAt: new Date().toISOString() });
    const lines: string[] = [];
    expect(await stopServices(['redis'], (line) => lines.push(line))).toEqual([]);
    expect(lines[0]).toMatch(/is gone; forgetting it/);
    expect(readOwnership('redis')).toBeUndefined();
  });

  it('never treats a live process with another command line as ours', () => {
    expect(stillOurs({ name: 'kafka', kind: 'process', pid: process.pid, match: 'kafka.Kafka', url: '', startedAt: '' })).toBe(false);
  });
});
