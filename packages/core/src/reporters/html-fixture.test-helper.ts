/**
 * Test helper: what the HTML report is tested against — the sample run of
 * every status (run-fixture) plus a load test with a latency series and
 * histogram, one with percentiles only, and text crafted to break out of HTML.
 */
import type { Probe } from '../protocol/types.ts';
import type { PerfEvidence } from './html-perf.ts';
import { sampleProbes } from './run-fixture.test-helper.ts';

/** Markup that must stay text: a script, an event handler, and closers of the report's own elements. */
export const INJECTION = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> "></style></script>\'><b>';

/** A load test's evidence as @probe/perf is asked to produce it. */
export const PERF_EVIDENCE: PerfEvidence = {
  series: Array.from({ length: 10 }, (_unused, index) => ({
    t: index + 1, rps: 400 + index * 10, p50_ms: 2 + index / 10, p95_ms: 6 + index / 5, p99_ms: 10 + index, errors: index === 7 ? 3 : 0,
  })),
  histogram: {
    buckets: [0, 0, 120, 310, 90, 12, 0, 3, 0].map((count, index) => ({ le_ms: 2 ** index, count })),
    percentiles: [{ p: 50, ms: 2.4 }, { p: 99, ms: 18.5 }],
  },
};

/** The sample probes plus an `orders-api` target with perf and injection checks. */
export function htmlProbes(): Probe[] {
  return [
    ...sampleProbes(),
    {
      target: { kind: 'http', name: 'orders-api', url: 'http://127.0.0.1:1' },
      checks: [
        {
          id: 'perf.load.orders', title: 'GET /orders under load', checklist: ['integration.api.endpoint.monitor-performance'],
          run: () => ({ status: 'warn', summary: 'p99 19 ms > 15 ms advisory', evidence: { ...PERF_EVIDENCE, repro: 'autocannon -c 10 -d 10 http://127.0.0.1:1/orders' } }),
        },
        {
          id: 'perf.load.percentiles', title: 'Percentiles only',
          run: () => ({ status: 'pass', summary: 'p99 4 ms', evidence: { histogram: { percentiles: { p50: 1.2, p99_ms: 4.4 } } } }),
        },
        {
          id: 'api.endpoint.injection', title: INJECTION, checklist: ['integration.api.endpoint.test-error-handling', INJECTION],
          run: () => ({
            status: 'error', summary: INJECTION,
            error: { code: 'PROBE_ERR_CHECK', message: `upstream said ${INJECTION}` },
            evidence: { body: INJECTION, [INJECTION]: 1, request: { reproduce: `curl -d '${INJECTION}' http://127.0.0.1:1/` } },
            metrics: [{ name: INJECTION, value: 1, unit: INJECTION }],
          }),
        },
        { id: 'api.endpoint.health', title: 'Health', checklist: ['integration.api.endpoint.test-all-endpoints'], run: () => ({ status: 'pass', summary: 'GET /health → 200' }) },
      ],
    },
    {
      target: { kind: 'http', name: INJECTION },
      checks: [{ id: 'api.endpoint.hostile-target', title: 'Target name', run: () => ({ status: 'skip', summary: 'skipped', reason: INJECTION }) }],
    },
  ];
}
