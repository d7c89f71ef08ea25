/**
 * Latency against real local servers with known behaviour. Tolerances are wide
 * enough for a loaded 2-core machine (timers fire late there, never early) and
 * narrow enough to catch a wrong clock, a lost correction or a counted warm-up.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runHttpLoad, runLoad } from './run.ts';
import { startLoadTarget, type LoadTarget } from './testing/index.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe.each(['fast', 'undici'] as const)('injected delay (%s engine)', (engine) => {
  it('closed model: percentiles sit at the injected delay', async () => {
    target = await startLoadTarget({ delayMs: 30 });
    const result = await runHttpLoad({ url: target.url, engine, connections: 4, duration: '700ms', warmup: '100ms', progress: 'off' } as never);
    expect(result.driver).toBe(engine === 'fast' ? 'http-fast' : 'undici');
    expect(result.errors).toBe(0);
    expect(result.latency.min).toBeGreaterThanOrEqual(28.5);
    expect(result.latency.p50).toBeGreaterThanOrEqual(29);
    expect(result.latency.p50).toBeLessThan(90);
    // 4 connections of ~30 ms each: about 130 responses/s, never more than 4 / 30 ms.
    expect(result.rps).toBeLessThanOrEqual(4_000 / 29);
    expect(result.rps).toBeGreaterThan(40);
  });

  it('open model: latency from the intended time sits at the delay when nothing queues', async () => {
    target = await startLoadTarget({ delayMs: 20 });
    const result = await runHttpLoad({ url: target.url, engine, rate: 200, duration: '700ms', warmup: '100ms', progress: 'off' } as never);
    expect(result.model).toBe('open');
    expect(result.sent).toBe(140);
    expect(result.completed).toBe(140);
    // A Node timer may fire up to ~1 ms early against performance.now() (libuv caches the loop's time).
    expect(result.latency.min).toBeGreaterThanOrEqual(18.5);
    expect(result.serviceTime!.min).toBeGreaterThanOrEqual(18.5);
    // Each request's corrected latency is its send lag plus its service time: so are the means (to the 3 digits kept).
    expect(Math.abs(result.latency.mean - result.sendLag!.mean - result.serviceTime!.mean)).toBeLessThan(0.2);
    // Nothing queued, so only the generator's own lag separates the two (small unless this machine is starved).
    expect(result.latency.p50).toBeLessThan(result.serviceTime!.p50 + result.sendLag!.p99 + 5);
  });
});

describe('periodic stalls (coordinated omission)', () => {
  // The server answers nothing for 150 ms at the start of every 600 ms: a quarter of the time.
  const stall = { everyMs: 600, forMs: 150 };

  it('the open model shows the stall in p90 and p99', async () => {
    target = await startLoadTarget({ stall });
    const result = await runHttpLoad({ url: target.url, rate: 300, duration: '1.2s', warmup: 0, progress: 'off' });
    // A quarter of the arrivals land in a stall and wait up to 150 ms: p90 and p99 are in the stall.
    expect(result.latency.p99).toBeGreaterThan(100);
    expect(result.latency.p90).toBeGreaterThan(20);
    expect(result.latency.max).toBeGreaterThanOrEqual(120);
  });

  it('the closed model hides it: the stall reaches p99 only through a handful of requests (documented)', async () => {
    target = await startLoadTarget({ stall });
    const result = await runHttpLoad({ url: target.url, connections: 4, duration: '1.2s', warmup: 0, progress: 'off' });
    // The stall exists (max), but while it lasts the 4 connections wait instead of sending: 4 slow samples a stall.
    expect(result.latency.max).toBeGreaterThanOrEqual(120);
    expect(result.completed).toBeGreaterThan(1_000);
    expect(result.latency.p99).toBeLessThan(50);
  });
});

describe('warm-up', () => {
  it('is excluded from every figure', async () => {
    // Slow for the first 300 ms, fast after.
    const slowUntil = performance.now() + 300;
    const fn = () => new Promise((resolve) => setTimeout(resolve, performance.now() < slowUntil ? 80 : 1));
    const warmed = await runLoad(fn, { connections: 4, duration: '500ms', warmup: '400ms', progress: 'off' });
    expect(warmed.latency.max).toBeLessThan(60);
    expect(warmed.warmupRequests).toBeGreaterThan(0);
    const cold = await runLoad(() => new Promise((resolve) => setTimeout(resolve, 1)), { connections: 4, duration: '300ms', warmup: 0, progress: 'off' });
    expect(cold.warmupRequests).toBe(0);
  });
});

describe('per-request timeout', () => {
  it('counts requests slower than the timeout as timeouts, with their latency at least the timeout', async () => {
    target = await startLoadTarget({ delayMs: 400 });
    const started = performance.now();
    const result = await runHttpLoad({ url: target.url, connections: 2, duration: '300ms', warmup: 0, timeout: '100ms', progress: 'off' });
    expect(result.completed).toBe(0);
    expect(result.errorKinds).toEqual({ timeout: result.errors });
    expect(result.errors).toBeGreaterThanOrEqual(2);
    expect(result.errorRate).toBe(1);
    expect(result.latency.min).toBeGreaterThanOrEqual(100);
    // 300 ms of load, then at most one timeout to drain: nothing waits for the 400 ms responses.
    expect(performance.now() - started).toBeLessThan(1_500);
  });
});

describe('per-second series', () => {
  it('accounts for every measured request and error, second by second', async () => {
    target = await startLoadTarget({ errorEvery: 7 });
    const seconds: number[] = [];
    const result = await runHttpLoad({ url: target.url, connections: 2, duration: '1.2s', warmup: '100ms', progress: (p) => seconds.push(p.second) });
    expect(result.series.reduce((sum, sample) => sum + sample.sent, 0)).toBe(result.sent);
    expect(result.series.reduce((sum, sample) => sum + sample.errors, 0)).toBe(result.errors);
    expect(result.series[0]!.t).toBeCloseTo(1, 0);
    expect(seconds.slice(0, 2)).toEqual([1, 2]);
  });
});
