import { describe, expect, it } from 'vitest';
import { httpLoad } from './http-load.ts';
import { load } from './load.ts';
import { planLoad } from './options.ts';
import { progressLine } from './progress.ts';

const ids = ['perf.load.throughput', 'perf.latency.slo', 'perf.resources', 'perf.trend.regression', 'perf.capacity.limit', 'perf.degradation'];

describe('httpLoad(options)', () => {
  it('makes the six perf checks, with deadlines that cover the load', () => {
    const probe = httpLoad({ url: 'http://127.0.0.1:8080/orders?limit=5', duration: '30s', warmup: '2s' });
    expect(probe.issues).toBeUndefined();
    expect(probe.target).toEqual({ kind: 'http', name: '127.0.0.1:8080', url: 'http://127.0.0.1:8080/orders?limit=5' });
    expect(probe.checks.map((check) => check.id)).toEqual(ids);
    expect(probe.checks[0]!.timeoutMs).toBeGreaterThan(32_000);
    expect(probe.checks.every((check) => check.slow && !check.writes)).toBe(true);
  });

  it('invalid options: issues that name the field; nothing runs', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ url: 'ftp://127.0.0.1/x' }, 'url', /expected an http:\/\/ or https:\/\/ URL, got "ftp/],
      [{ url: 'http://127.0.0.1/', rate: 0 }, 'rate', /above 0/],
      [{ url: 'http://127.0.0.1/', rate: -10 }, 'rate', /above 0/],
      [{ url: 'http://127.0.0.1/', connections: 1.5 }, 'connections', /whole number/],
      [{ url: 'http://127.0.0.1/', duration: 'soon' }, 'duration', /expected a duration/],
      [{ url: 'http://127.0.0.1/', duration: '2h' }, 'duration', /at most 1 h/],
      [{ url: 'http://127.0.0.1/', rate: 10, model: 'closed' }, 'rate', /closed model takes connections/],
      [{ url: 'http://127.0.0.1/', stages: [{ duration: '1s', target: 5 }], duration: '1s' }, 'duration', /not both/],
      [{ url: 'http://127.0.0.1/', capacity: { from: 100, to: 50 } }, 'capacity.to', /to >= from/],
      [{ url: 'http://127.0.0.1/', degradation: { lowRate: 10 } }, 'degradation.highRate', /both lowRate and highRate/],
      [{ url: 'http://127.0.0.1/', resources: {} }, 'resources', /pid or metricsUrl/],
      [{ url: 'http://127.0.0.1/', thresholds: { maxErrorRate: 2 } }, 'thresholds.maxErrorRate', /between 0 and 1/],
      [{ url: 'http://127.0.0.1/', rps: 5 }, 'rps', /unknown option/],
      [{ url: 'http://127.0.0.1/', headers: { 'bad header': 'x' } }, '', /header name "bad header" is not an HTTP token/],
    ];
    for (const [options, path, message] of cases) {
      const probe = httpLoad(options as never);
      expect(probe.checks, JSON.stringify(options)).toEqual([]);
      expect(probe.issues, JSON.stringify(options)).toContainEqual({ path, message: expect.stringMatching(message) });
    }
  });

  it('marks the checks as writing for methods that change state, and keeps credentials secret', () => {
    expect(httpLoad({ url: 'http://127.0.0.1/', method: 'POST', body: { a: 1 } }).checks.every((check) => check.writes)).toBe(true);
    expect(httpLoad({ url: 'http://127.0.0.1/', generate: [{ path: '/a' }, { method: 'HEAD', path: '/b' }] }).checks[0]!.writes).toBe(false);
    expect(httpLoad({ url: 'http://127.0.0.1/', generate: (i) => ({ path: `/items/${i}` }) }).checks[0]!.writes).toBe(true);
    expect(httpLoad({ url: 'http://127.0.0.1/', method: 'DELETE', writes: false }).checks[0]!.writes).toBe(false);
    const bearer = httpLoad({ url: 'http://127.0.0.1/', headers: { authorization: 'Bearer tok-canary', 'x-trace': 'visible' } });
    expect(bearer.secrets).toEqual(['Bearer tok-canary', 'tok-canary']);
    const basic = httpLoad({ url: 'http://app:pw-canary@127.0.0.1/' });
    expect(basic.secrets).toContain(Buffer.from('app:pw-canary').toString('base64'));
  });
});

describe('load(fn, options)', () => {
  it('makes the same checks for any function, writing unless told otherwise', () => {
    const probe = load(async () => {}, { name: 'orders-db', kind: 'postgres', connections: 4, checklist: ['integration.database.query.test-performance'] });
    expect(probe.target).toEqual({ kind: 'postgres', name: 'orders-db' });
    expect(probe.checks.map((check) => check.id)).toEqual(ids);
    expect(probe.checks[0]!.checklist).toContain('integration.database.query.test-performance');
    expect(probe.checks[0]!.writes).toBe(true);
    expect(load(async () => {}, { writes: false }).checks[0]!.writes).toBe(false);
    expect(load('select 1' as never).issues).toEqual([{ path: 'fn', message: 'expected a function to put under load, got "select 1"' }]);
    expect(load(async () => {}, { rate: 0 }).issues![0]!.path).toBe('rate');
  });
});

describe('planLoad defaults', () => {
  it('closed: 10 connections, 10 s, 1 s warm-up; open: 100 connections; short runs warm up a fifth', () => {
    expect(planLoad({})).toMatchObject({ model: 'closed', connections: 10, durationMs: 10_000, warmupMs: 1_000, timeoutMs: 5_000, maxRequests: 10_000_000 });
    expect(planLoad({ rate: 50, duration: '2s' })).toMatchObject({ model: 'open', connections: 100, durationMs: 2_000, warmupMs: 400 });
    const staged = planLoad({ model: 'open', stages: [{ duration: '1s', target: 100 }, { duration: '1s', target: 0 }], warmup: '500ms' });
    expect(staged.durationMs).toBe(2_000);
    expect(staged.profile.durationMs).toBe(2_500);
    expect(staged.profile.levelAt(100)).toBe(100);   // warm-up holds the first stage's target when the ramp starts at 0
  });
});

describe('progress lines', () => {
  it('one line a second: throughput, latency, errors, in flight, backlog', () => {
    const sample = { t: 3, rps: 12_345, sent: 12_000, errors: 2, p50_ms: 0.41, p95_ms: 1, p99_ms: 2.1, max_ms: 7.9 };
    expect(progressLine('api', { model: 'open', second: 3, sample, completed: 30_000, errors: 5, inFlight: 10, backlog: 4 }))
      .toBe('api 3s  12,000 sent  12,345 req/s  p50 0.41 ms  p99 2.1 ms  max 7.9 ms  2 errors  10 in flight  4 waiting');
  });
});
