/**
 * The shared conformance suite, on both probe factories. The load probes create
 * nothing on the target and, with GET, change nothing, so there is no fingerprint
 * or leftover to compare; what matters here is that every check ends on time
 * (a load stops when its check's deadline aborts it) and that no secret leaks.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeConformance } from '@probe/testkit';
import { httpLoad } from './http-load.ts';
import { load } from './load.ts';
import { startLoadTarget, type LoadTarget } from './testing/index.ts';

let target: LoadTarget;
beforeAll(async () => {
  target = await startLoadTarget({ delayMs: 1 });
});
afterAll(() => target.close());

const CANARY = 'canary-secret-4242';

describeConformance({
  name: 'httpLoad',
  domain: 'perf',
  probe: () => httpLoad({
    url: target.url, headers: { authorization: `Bearer ${CANARY}` }, connections: 2, duration: '300ms', warmup: 0, progress: 'off',
    thresholds: { p99Ms: 2_000 }, resources: { pid: process.pid }, baseline: { file: '/nonexistent/baseline.ndjson' },
    capacity: { from: 100, to: 200, factor: 2, stepDuration: '300ms' }, degradation: { maxFactor: 1_000 },
  }),
  secrets: [CANARY],
});

describeConformance({
  name: 'load(fn)',
  domain: 'perf',
  probe: () => load(() => new Promise((resolve) => setTimeout(resolve, 1)), {
    name: 'sleep', connections: 4, duration: '300ms', warmup: 0, progress: 'off', thresholds: { p99Ms: 2_000 },
    capacity: { from: 100, to: 200, factor: 2, stepDuration: '300ms' },
  }),
});
