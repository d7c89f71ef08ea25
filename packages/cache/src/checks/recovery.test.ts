import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startRespProxy, type RespProxy } from '../../test/support/resp-proxy.ts';
import { runCheck, sharedUrl } from '../../test/support/run.ts';
import { startRedisServer, type RedisServer } from '../testing/index.ts';
import { judgePersistence } from './recovery.ts';

const ID = 'cache.consistency.recovery';

describe.skipIf(!sharedUrl)('cache.consistency.recovery', () => {
  let firewall: RespProxy;
  beforeAll(async () => {
    const { hostname, port } = new URL(sharedUrl!);
    // Lets the probe's first two connections through (setup, then the check's own) and refuses every reconnect.
    firewall = await startRespProxy({ target: { host: hostname, port: Number(port || 6379) }, maxConnections: 2 });
  });
  afterAll(() => firewall.close());

  it('passes when the killed connection reconnects and answers, with the event timeline', async () => {
    const result = await runCheck({ url: sharedUrl! }, ID);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^reconnected and answered \d+(\.\d+)? ms after CLIENT KILL \(close → reconnecting → connect → ready\); no persistence \(fine for a cache: it restarts empty\)$/);
    expect(result.evidence.killed).toBe(1);
    expect(result.evidence.clientIdAfter).not.toBe(result.evidence.clientId);
  });

  it('fails when the client cannot get back in within the bound', async () => {
    const result = await runCheck({ url: firewall.url, thresholds: { recoveryMs: 500 } }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^after CLIENT KILL the client did not recover: (no answer within 500 ms|the next command failed: .*) \(events: close → reconnecting/);
  });
});

describe('cache.consistency.recovery: persistence', () => {
  let broken: RedisServer;
  beforeAll(async () => {
    broken = await startRedisServer({ config: { save: ['3600', '1'], 'stop-writes-on-bgsave-error': 'no' } });
    // Take the data directory away, then ask for a snapshot: the save fails.
    rmSync(broken.dir, { recursive: true, force: true });
    const client = new Redis(broken.url);
    await client.bgsave();
    for (let attempt = 0; attempt < 100 && !/rdb_last_bgsave_status:err/.test(await client.info('persistence')); attempt++) await new Promise((resolve) => setTimeout(resolve, 10));
    client.disconnect();
  });
  afterAll(() => broken.stop());

  it('fails when the last RDB save failed', async () => {
    const result = await runCheck({ url: broken.url }, ID);
    expect(result.status).toBe('fail');
    expect(result.summary).toMatch(/^the last RDB save failed \(rdb_last_bgsave_status:err\); reconnected and answered/);
    expect(result.evidence.persistence).toMatchObject({ rdb_last_bgsave_status: 'err', save: '3600 1' });
  });
});

describe('judgePersistence', () => {
  const now = 1_800_000_000;
  it('warns for a store without persistence, and about an old save with changes pending', () => {
    expect(judgePersistence({ info: { aof_enabled: '0', rdb_last_bgsave_status: 'ok' }, save: '', use: 'store', now })).toEqual([
      { status: 'warn', text: 'no persistence (save "" and appendonly no): a restart loses every key' },
    ]);
    expect(judgePersistence({ info: { aof_enabled: '1', aof_last_write_status: 'ok', rdb_changes_since_last_save: '5', rdb_last_save_time: String(now - 72 * 3_600) }, save: '900 1', use: 'store', now })).toEqual([
      { status: 'warn', text: 'the last RDB save was 72 h ago with changes pending' },
      { status: 'pass', text: 'persistence: RDB (save 900 1) + AOF' },
    ]);
  });

  it('fails on failing AOF writes; reports unknown RDB settings where CONFIG is denied', () => {
    expect(judgePersistence({ info: { aof_enabled: '1', aof_last_write_status: 'err' }, use: 'cache', now })).toEqual([
      { status: 'fail', text: 'AOF writes are failing (aof_last_write_status:err)' },
      { status: 'pass', text: 'persistence: RDB settings unknown (CONFIG denied) + AOF' },
    ]);
  });
});
