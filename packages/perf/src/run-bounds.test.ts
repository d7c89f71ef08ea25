/** A run never exceeds its declared count, rate or time, and stops at once when aborted. */
import { afterEach, describe, expect, it } from 'vitest';
import { runHttpLoad, runLoad } from './run.ts';
import { startLoadTarget, type LoadTarget } from './testing/index.ts';

let target: LoadTarget | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

describe('bounds', () => {
  it('count: sends exactly `requests` in the measured phase, with or without pipelining', async () => {
    target = await startLoadTarget();
    for (const pipelining of [1, 4]) {
      target.reset();
      const result = await runHttpLoad({ url: target.url, connections: 3, pipelining, requests: 301, duration: '10s', warmup: 0, progress: 'off' });
      expect(result.sent).toBe(301);
      expect(result.completed).toBe(301);
      expect(target.requests).toBe(301 + 1);   // and the one preflight request
    }
  });

  it('count: the open model stops at `requests` too', async () => {
    const calls: number[] = [];
    const result = await runLoad(({ iteration }) => { calls.push(iteration); }, { rate: 2_000, requests: 150, duration: '5s', warmup: 0, progress: 'off' });
    expect(result.sent).toBe(150);
    expect(calls.filter((iteration) => iteration >= 0)).toHaveLength(150);
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it('rate: the open model never sends ahead of its schedule', async () => {
    target = await startLoadTarget({ recordArrivals: true });
    const result = await runHttpLoad({ url: target.url, rate: 200, duration: '1s', warmup: 0, progress: 'off' });
    const arrivals = target.arrivals.slice(1);   // the first is the preflight
    expect(arrivals).toHaveLength(200);
    expect(result.sent).toBe(200);
    const first = arrivals[0]!;
    // By time t after the first arrival, at most rate * t (+1 for the first, +1 for a request in transit).
    for (const at of arrivals) {
      const count = arrivals.filter((other) => other <= at).length;
      expect(count).toBeLessThanOrEqual(Math.floor((200 * (at - first)) / 1_000) + 2);
    }
  });

  it('time: ends on time against a slow target, draining at most one timeout', async () => {
    target = await startLoadTarget({ delayMs: 150 });
    const started = performance.now();
    const result = await runHttpLoad({ url: target.url, connections: 4, duration: '500ms', warmup: 0, timeout: '1s', progress: 'off' });
    const wall = performance.now() - started;
    expect(wall).toBeLessThan(500 + 150 + 600);
    expect(result.durationMs).toBeLessThan(800);
    expect(result.completed).toBeGreaterThanOrEqual(8);
  });

  it('stages: ramps the arrival rate and the connection count', async () => {
    const open = await runLoad(() => {}, { model: 'open', stages: [{ duration: '600ms', target: 600 }], warmup: 0, progress: 'off' });
    expect(open.sent).toBe(180);   // the area under a 0 → 600/s ramp over 0.6 s
    let active = 0;
    let peak = 0;
    const closed = await runLoad(async () => {
      active += 1;
      peak = Math.max(peak, active);
      await new Promise((resolve) => setTimeout(resolve, 5));
      active -= 1;
    }, { stages: [{ duration: '300ms', target: 1 }, { duration: '300ms', target: 6 }], connections: 1, warmup: 0, progress: 'off' });
    expect(closed.connections).toBe(6);
    expect(peak).toBeGreaterThan(3);
    expect(peak).toBeLessThanOrEqual(6);
  });

  it('abort: stops at once and closes every connection', async () => {
    target = await startLoadTarget({ delayMs: 20 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 200);
    const started = performance.now();
    await expect(runHttpLoad({ url: target.url, connections: 4, duration: '5s', progress: 'off' }, { signal: controller.signal })).rejects.toThrow('stop');
    expect(performance.now() - started).toBeLessThan(600);
    // Requests written just before the abort may still be in the socket buffers: let them land first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const count = target.requests;
    // A generator still running would send 4 connections × 150 / 20 ms ≈ 30 more here.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(target.requests).toBe(count);
  });
});
