import { setTimeout as sleep } from 'node:timers/promises';
import { run, type Result } from '@probe/core';
import { collectEvents, describeConformance } from '@probe/testkit';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addressOf } from '../../test/helpers.ts';
import { startRedisService } from '../../test/redis-service.ts';
import { experiment } from '../experiment-probe.ts';
import { createToxiproxyClient } from '../proxy/client.ts';
import { startFaultProxy, type FaultProxy } from '../proxy/fault-proxy.ts';
import { startProxyServer, type ProxyServer } from '../proxy/proxy-server.ts';
import { toxic } from '../proxy/toxics.ts';
import type { ExperimentOptions } from '../types.ts';

const url = process.env.PROBE_REDIS_URL;

async function verdicts(options: ExperimentOptions, signal?: AbortSignal): Promise<Record<string, Result>> {
  const summary = await run([experiment(options)], { reporters: [collectEvents()], ...(signal ? { signal } : {}) });
  return Object.fromEntries(summary.results.map((result) => [result.id, result]));
}

describe.skipIf(!url)('degradation experiments against a service that reads from the real Redis through fault proxies', () => {
  const key = `probe:resilience-experiment:${process.pid}:${Date.now()}`;
  let admin: Redis;
  let primary: FaultProxy;
  let replica: FaultProxy;
  const services: { close(): Promise<void> }[] = [];
  const service = async (options: Omit<Parameters<typeof startRedisService>[0], 'key' | 'primary'>) => {
    const started = await startRedisService({ key, primary: primary.listen, ...options });
    services.push(started);
    return started.url;
  };
  const live = (serviceUrl: string) => ({ name: 'items from redis', url: serviceUrl, expect: { status: 200, body: { '/source': 'redis' } } });

  beforeAll(async () => {
    admin = new Redis(url!);
    await admin.set(key, 'v1');
    primary = await startFaultProxy({ name: 'redis_primary', upstream: addressOf(url!) });
    replica = await startFaultProxy({ name: 'redis_replica', upstream: addressOf(url!) });
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((started) => started.close()));
    expect(primary.toxics).toEqual([]);   // every experiment leaves its proxies as it found them
    expect(primary.enabled).toBe(true);
    await primary.reset();
  });
  afterAll(async () => {
    await primary?.close();
    await replica?.close();
    await admin?.del(key);
    admin?.disconnect();
  });

  it('a service with a fallback degrades gracefully while Redis is down and recovers once it is back', async () => {
    const items = await service({ commandTimeoutMs: 200, fallback: true });
    const results = await verdicts({
      steadyState: [live(items)],
      fault: { proxy: primary, toxic: toxic.down() },
      during: [{ name: 'items answer fast', url: items, expect: { status: 200, headers: { 'x-fallback': 'default' }, maxMs: 500 } }],
      recovery: { within: 3_000, intervalMs: 50 },
    });
    expect(results['resilience.degradation']).toMatchObject({ status: 'pass', summary: expect.stringMatching(/^under down on redis_primary, every during-probe held: items answer fast → 200 in \d+ ms$/) });
    expect(results['resilience.recovery']).toMatchObject({ status: 'pass', summary: expect.stringMatching(/^recovered \d+ ms after down was removed \(bound 3000 ms, \d+ polls?\)$/) });
    expect(results['resilience.recovery']!.metrics).toEqual([{ name: 'resilience.time_to_recover_ms', value: expect.any(Number), unit: 'ms' }]);
    expect(primary.faults().at(-1)).toMatchObject({ name: 'down', to: expect.any(Number) });
  });

  it('a service that hangs with a slow Redis fails resilience.degradation, then still recovers', async () => {
    const items = await service({});
    const results = await verdicts({
      steadyState: [live(items)],
      fault: { proxy: primary, toxic: toxic.latency(1_500) },
      during: [{ name: 'items within 300 ms', url: items, expect: { maxMs: 300 } }],
      recovery: { within: 3_000 },
      probeTimeoutMs: 600,
    });
    expect(results['resilience.degradation']).toMatchObject({ status: 'fail' });
    expect(results['resilience.degradation']!.summary).toMatch(/^under latency 1500 ms downstream on redis_primary: items within 300 ms: no answer within \d+ ms$/);
    expect(results['resilience.recovery']!.status).toBe('pass');
  });

  it('failover: with the primary down, traffic moves to the declared replica (its proxy counts it)', async () => {
    const items = await service({ secondary: replica.listen, commandTimeoutMs: 200 });
    const results = await verdicts({
      steadyState: [live(items)],
      fault: { proxy: primary, toxic: toxic.down() },
      during: [{ name: 'items from the replica', url: items, expect: { status: 200, body: { '/source': 'replica', '/value': 'v1' } } }],
      failover: { secondary: replica },
    });
    expect(results['resilience.failover']).toMatchObject({ status: 'pass', summary: expect.stringMatching(/^with redis_primary down, traffic moved to redis_replica \(\d+ new connections, \d+ bytes\) and every during-probe held$/) });
  });

  it('failover fails when the system keeps answering without touching the declared replica', async () => {
    const items = await service({ commandTimeoutMs: 200, fallback: true });
    const results = await verdicts({
      steadyState: [live(items)],
      fault: { proxy: primary, toxic: toxic.down() },
      during: [{ url: items, expect: { status: 200 } }],
      failover: { secondary: replica },
    });
    expect(results['resilience.failover']).toMatchObject({ status: 'fail', summary: 'redis_replica got no traffic while redis_primary was down: the system answered without failing over (cache? a third path?)' });
  });

  it('no steady state before the fault: nothing is injected and the checks are errors, not verdicts', async () => {
    const items = await service({});
    const before = primary.timeline.length;
    const results = await verdicts({
      steadyState: [{ url: items, expect: { body: { '/source': 'somewhere else' } } }],
      fault: { proxy: primary, toxic: toxic.down() },
      during: [{ url: items }],
    });
    expect(results['resilience.degradation']).toMatchObject({ status: 'error', error: { code: 'RESILIENCE_NOT_STEADY' } });
    expect(results['resilience.recovery']!.status).toBe('error');
    expect(primary.timeline.length).toBe(before);
  });

  it('an aborted experiment leaves no toxic behind: the fault comes off at the abort, even while a probe ignores its signal', async () => {
    const items = await service({ commandTimeoutMs: 200 });
    const controller = new AbortController();
    const running = verdicts({
      steadyState: [live(items)],
      fault: { proxy: primary, toxic: toxic.latency(800) },
      during: [{ name: 'stubborn', run: () => sleep(3_000) }],
      probeTimeoutMs: 4_000,
    }, controller.signal);
    await sleep(300);
    expect(primary.toxics.map((item) => item.type)).toEqual(['latency']);   // the fault is in force mid-experiment
    controller.abort('SIGINT');
    await running;
    expect(primary.toxics).toEqual([]);
    expect(primary.faults().at(-1)!.to).toBeDefined();
  });
});

describe.skipIf(!url)('experiments through the Toxiproxy-compatible API (this package\'s server, driven as a remote Toxiproxy)', () => {
  let server: ProxyServer;
  const key = `probe:resilience-remote:${process.pid}:${Date.now()}`;
  beforeAll(async () => {
    server = await startProxyServer({ api: '127.0.0.1:0', proxies: [{ name: 'remote_redis', upstream: addressOf(url!) }] });
  });
  afterAll(async () => { await server?.close(); });

  it('injects through HTTP calls and, when aborted at the check deadline, removes the toxic over HTTP too', async () => {
    const client = createToxiproxyClient(server.url);
    const proxy = client.handle('remote_redis');
    const listen = (await proxy.state()).listen;
    const items = await startRedisService({ key, primary: listen, commandTimeoutMs: 150, fallback: true });
    try {
      const ok = await verdicts({
        steadyState: [{ url: items.url, expect: { body: { '/source': 'redis' } } }],
        fault: { proxy, toxic: toxic.timeout(0) },
        during: [{ url: items.url, expect: { status: 200, headers: { 'x-fallback': 'default' } } }],
        recovery: { within: 3_000, intervalMs: 50 },
      });
      expect([ok['resilience.degradation']!.status, ok['resilience.recovery']!.status]).toEqual(['pass', 'pass']);
      const controller = new AbortController();
      const running = verdicts({
        steadyState: [{ url: items.url }],
        fault: { proxy, toxic: toxic.latency(500) },
        during: [{ name: 'stubborn', run: () => sleep(3_000) }],
        probeTimeoutMs: 4_000,
      }, controller.signal);
      await sleep(250);
      expect((await proxy.state()).toxics).toHaveLength(1);
      controller.abort('SIGTERM');
      await running;
      expect(await proxy.state()).toMatchObject({ enabled: true, toxics: [] });
    } finally {
      await items.close();
    }
  });
});

describe.skipIf(!url)('experiment() options', () => {
  it('names each invalid field', () => {
    const probe = experiment({ steadyState: [], fault: { proxy: {} as never, toxic: { type: 'melt' } as never }, during: [{ url: 'ftp://x' }] } as unknown as ExperimentOptions);
    expect(probe.checks).toEqual([]);
    expect(probe.issues?.map((issue) => issue.path)).toEqual(['steadyState', 'fault.proxy', 'fault.toxic', 'during[0].url']);
  });
});

if (url) {
  const proxy = await startFaultProxy({ name: 'redis_conformance', upstream: addressOf(url) });
  const service = await startRedisService({ key: `probe:resilience-conformance:${process.pid}`, primary: proxy.listen, commandTimeoutMs: 150, fallback: true });
  afterAll(async () => {
    await service.close();
    await proxy.close();
  });
  describeConformance({
    name: 'experiment (Redis down behind a fault proxy)',
    domain: 'resilience',
    probe: () => experiment({
      steadyState: [{ url: service.url }],
      fault: { proxy, toxic: toxic.down() },
      during: [{ url: service.url, expect: { status: 200 } }],
      recovery: { within: 2_000, intervalMs: 50 },
    }),
    fingerprint: async () => ({ enabled: proxy.enabled, toxics: proxy.toxics }),
    leftovers: async (runId) => proxy.toxics.filter((item) => item.name.includes(runId)).map((item) => item.name),
    abortAfterMs: 60,
  });
}
