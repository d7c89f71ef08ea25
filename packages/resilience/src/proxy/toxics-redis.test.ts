import { once } from 'node:events';
import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressOf, bulkReplyBytes, median, rawRedis } from '../../test/helpers.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { toxic } from './toxics.ts';

const url = process.env.PROBE_REDIS_URL;

describe.skipIf(!url)('fault proxy in front of the real Redis: each toxic, measured', () => {
  const key = `probe:resilience-test:${process.pid}:${Date.now()}`;
  let admin: Redis;
  let proxy: FaultProxy;
  let baselineMs: number;

  beforeAll(async () => {
    admin = new Redis(url!, { lazyConnect: true });
    await admin.connect();
    await admin.set(`${key}:10k`, 'a'.repeat(10_000));
    await admin.set(`${key}:200k`, 'b'.repeat(200_000));
    proxy = await startFaultProxy({ name: 'redis_test', upstream: addressOf(url!) });
    const raw = await rawRedis(proxy.port);
    const samples: number[] = [];
    for (let index = 0; index < 7; index++) samples.push((await raw.send(['PING'])).ms);
    raw.close();
    baselineMs = median(samples);
  });
  afterEach(async () => { await proxy.reset(); });
  afterAll(async () => {
    await proxy?.close();
    await admin?.del(`${key}:10k`, `${key}:200k`);
    admin?.disconnect();
  });

  it('passes traffic through untouched and counts it: bytes both ways, connections', async () => {
    const before = structuredClone(proxy.counters);
    const raw = await rawRedis(proxy.port);
    const { reply } = await raw.send(['GET', `${key}:10k`], bulkReplyBytes(10_000));
    expect(reply.length).toBe(bulkReplyBytes(10_000));
    raw.close();
    await sleep(20);
    expect(proxy.counters.connections.total - before.connections.total).toBe(1);
    expect(proxy.counters.downstream.sent - before.downstream.sent).toBe(bulkReplyBytes(10_000));
    expect(proxy.counters.upstream.received - before.upstream.received).toBe(proxy.counters.upstream.sent - before.upstream.sent);
  });

  it('latency (downstream): adds the declared delay to each round trip, within tolerance', async () => {
    await proxy.addToxic(toxic.latency(100));
    const raw = await rawRedis(proxy.port);
    const samples: number[] = [];
    for (let index = 0; index < 5; index++) samples.push((await raw.send(['PING'])).ms);
    raw.close();
    const added = median(samples) - baselineMs;
    expect(added).toBeGreaterThanOrEqual(98);
    expect(added).toBeLessThan(160);
  });

  it('latency (upstream) with jitter: every round trip within latency ± jitter, and they spread', async () => {
    await proxy.addToxic(toxic.latency(100, { jitter: 50, stream: 'upstream' }));
    const raw = await rawRedis(proxy.port);
    const samples: number[] = [];
    for (let index = 0; index < 12; index++) samples.push((await raw.send(['PING'])).ms);
    raw.close();
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(48);
    expect(Math.max(...samples)).toBeLessThan(150 + 60);
    expect(Math.max(...samples) - Math.min(...samples)).toBeGreaterThan(15);
  });

  it('acts on connections already open, and removing a toxic releases the data it holds at once', async () => {
    const raw = await rawRedis(proxy.port);
    expect((await raw.send(['PING'])).ms).toBeLessThan(50);
    await proxy.addToxic(toxic.latency(2_000));
    const pending = raw.send(['PING']);
    await sleep(50);
    await proxy.removeToxic('latency_downstream');
    const { ms } = await pending;
    expect(ms).toBeLessThan(500);
    raw.close();
  });

  it('bandwidth: 200 KB through a 200 KB/s link takes about a second (throughput within 10 %)', async () => {
    await proxy.addToxic(toxic.bandwidth(200));
    const raw = await rawRedis(proxy.port);
    const bytes = bulkReplyBytes(200_000);
    const { ms } = await raw.send(['GET', `${key}:200k`], bytes);
    raw.close();
    const kilobytesPerSecond = bytes / ms;   // bytes per ms = KB/s
    expect(kilobytesPerSecond).toBeGreaterThan(180);
    expect(kilobytesPerSecond).toBeLessThan(220);
  });

  it('slow_close: the close reaches the client the declared time after the server closed', async () => {
    await proxy.addToxic(toxic.slowClose(300));
    const raw = await rawRedis(proxy.port);
    const { ms: replyMs } = await raw.send(['QUIT']);
    const started = performance.now();
    await once(raw.socket, 'end');
    const waited = performance.now() - started + replyMs;
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(450);
    raw.close();
  });

  it('timeout: no data passes, and the connection closes the declared time after the last data', async () => {
    await proxy.addToxic(toxic.timeout(200));
    const raw = await rawRedis(proxy.port);
    const started = performance.now();
    const error = await raw.send(['PING']).catch((caught: { code?: string; bytes?: number }) => caught);
    const closedAfter = performance.now() - started;
    expect(error).toMatchObject({ code: 'CLOSED', bytes: 0 });
    expect(closedAfter).toBeGreaterThanOrEqual(190);
    expect(closedAfter).toBeLessThan(400);
    expect(proxy.counters.connections.closedByToxic).toBeGreaterThanOrEqual(1);
  });

  it('timeout 0: a black hole until the toxic is removed, which closes the connection (as Toxiproxy does)', async () => {
    await proxy.addToxic(toxic.timeout(0));
    const raw = await rawRedis(proxy.port);
    const pending = raw.send(['PING']).catch((caught: { code?: string }) => caught);
    expect(await Promise.race([pending, sleep(300, 'no answer')])).toBe('no answer');
    await proxy.removeToxic('timeout_downstream');
    expect(await pending).toMatchObject({ code: 'CLOSED' });
  });

  it('reset_peer: a real client (ioredis) sees ECONNRESET, the declared time after its first data', async () => {
    const client = new Redis({ host: proxy.host, port: proxy.port, lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const errors: NodeJS.ErrnoException[] = [];
    client.on('error', (error: NodeJS.ErrnoException) => errors.push(error));
    await client.connect();
    await proxy.addToxic(toxic.resetPeer(100));
    const started = performance.now();
    await expect(client.get(`${key}:10k`)).rejects.toThrow();
    expect(errors.map((error) => error.code)).toContain('ECONNRESET');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    client.disconnect();
    expect(proxy.counters.connections.reset).toBeGreaterThanOrEqual(1);
  });

  it('slicer: a 10 KB reply arrives in many small pieces, intact', async () => {
    await proxy.addToxic(toxic.slicer(500, { sizeVariation: 100, delayMicros: 2_000 }));
    const raw = await rawRedis(proxy.port);
    const bytes = bulkReplyBytes(10_000);
    const { reply, chunks } = await raw.send(['GET', `${key}:10k`], bytes);
    raw.close();
    expect(reply.length).toBe(bytes);
    expect(reply.subarray(-12, -2).toString()).toBe('a'.repeat(10));
    expect(chunks).toBeGreaterThanOrEqual(8);
  });

  it('limit_data: exactly the declared bytes pass, then the connection closes', async () => {
    await proxy.addToxic(toxic.limitData(1_000));
    const raw = await rawRedis(proxy.port);
    const error = await raw.send(['GET', `${key}:10k`], bulkReplyBytes(10_000)).catch((caught: { code?: string; bytes?: number }) => caught);
    expect(error).toMatchObject({ code: 'CLOSED', bytes: 1_000 });
  });

  it('down: new connections are refused, open ones are cut; up again, traffic flows', async () => {
    const open = await rawRedis(proxy.port);
    await proxy.setEnabled(false);
    await once(open.socket, 'close');
    const refused = connect({ host: proxy.host, port: proxy.port });
    const [error] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
    await proxy.setEnabled(true);
    const again = await rawRedis(proxy.port);
    expect((await again.send(['PING'])).reply.toString()).toBe('+PONG\r\n');
    again.close();
    expect(proxy.faults().at(-1)).toMatchObject({ name: 'down', fault: 'down' });
    expect(proxy.faults().at(-1)!.to).toBeGreaterThanOrEqual(proxy.faults().at(-1)!.from);
  });

  it('toxicity: drawn per connection — about half of 30 connections are delayed at 0.5', async () => {
    await proxy.addToxic(toxic.latency(150, { toxicity: 0.5 }));
    const times = await Promise.all(Array.from({ length: 30 }, async () => {
      const raw = await rawRedis(proxy.port);
      const { ms } = await raw.send(['PING']);
      raw.close();
      return ms;
    }));
    const delayed = times.filter((ms) => ms >= 140).length;
    expect(delayed).toBeGreaterThanOrEqual(5);
    expect(delayed).toBeLessThanOrEqual(25);
  });
});
