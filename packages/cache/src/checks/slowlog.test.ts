import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { runCheck } from '../../test/support/run.ts';
import { startRedisServer, type RedisServer } from '../testing/index.ts';

const ID = 'cache.strategy.slowlog';
/** A Lua busy loop of a few tens of milliseconds: a slow command. */
const BUSY = 'local i = 0 while i < 3000000 do i = i + 1 end return i';

describe('cache.strategy.slowlog', () => {
  let slow: RedisServer;
  let quiet: RedisServer;
  let verbose: RedisServer;
  beforeAll(async () => {
    [slow, quiet, verbose] = await Promise.all([
      startRedisServer({ config: { 'slowlog-log-slower-than': 1_000, 'latency-monitor-threshold': 5 } }),
      startRedisServer({ config: { 'slowlog-log-slower-than': 1_000 } }),
      // Logs every command, the probe's own included.
      startRedisServer({ config: { 'slowlog-log-slower-than': 0 } }),
    ]);
    const app = new Redis(slow.url, { connectionName: 'billing-worker' });
    await app.eval(BUSY, 0);
    app.disconnect();
  });
  afterAll(async () => {
    await Promise.all([slow.stop(), quiet.stop(), verbose.stop()]);
  });

  it('warns about recent slow commands and latency events, naming the command and client', async () => {
    const result = await runCheck({ url: slow.url }, ID);
    expect(result.status).toBe('warn');
    expect(result.summary).toMatch(/^1 commands ≥ 10 ms in the last 60 min \(slowest eval local i = 0 while i < 3000000 do i = i \+ 1 end return i \(\+1 args\): \d+(\.\d+)? ms on 127.0.0.1:\d+\); 1 latency events \(command \d+ ms\)$/);
    const [entry] = result.evidence.slowEntries as { client: string; durationMs: number }[];
    expect(entry!.client).toMatch(/^127.0.0.1:\d+ \(billing-worker\)$/);
    expect(entry!.durationMs).toBeGreaterThanOrEqual(10);
    expect((result.evidence.nodes as { latencyDoctor: string }[])[0]!.latencyDoctor).toMatch(/command/);
  });

  it('passes on a quiet server, noting that the latency monitor is off', async () => {
    const result = await runCheck({ url: quiet.url }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^no command ≥ 10 ms and no latency event in the last 60 min \(127.0.0.1:\d+: the latency monitor is off \(latency-monitor-threshold 0\); LATENCY LATEST stays empty\)$/);
  });

  it("leaves the probe's own commands out of the verdict", async () => {
    const result = await runCheck({ url: verbose.url, thresholds: { slowCommandMs: 0 } }, ID);
    expect(result.status).toBe('pass');
  });
});
