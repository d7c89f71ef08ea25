import { describe, expect, it } from 'vitest';
import { chartablePerf } from './html-perf.ts';

describe('chartablePerf', () => {
  it('reads the documented shape, sorted, with the latency keys by percentile', () => {
    expect(chartablePerf({
      series: [{ t: 2, rps: 10, p99_ms: 9, p50_ms: 1, 'p99.9_ms': 12 }, { t: 1, rps: 8, p50_ms: 2, errors: 1 }],
      histogram: { buckets: [{ le_ms: 2, count: 3 }, { le_ms: 1, count: 5 }], percentiles: [{ p: 99, ms: 9 }, { p: 50, ms: 1 }] },
    })).toEqual({
      series: [{ t: 1, rps: 8, p50_ms: 2, errors: 1 }, { t: 2, rps: 10, p99_ms: 9, p50_ms: 1, 'p99.9_ms': 12 }],
      latencyKeys: ['p50_ms', 'p99_ms', 'p99.9_ms'],
      buckets: [{ le_ms: 1, count: 5 }, { le_ms: 2, count: 3 }],
      percentiles: [{ p: 50, ms: 1 }, { p: 99, ms: 9 }],
    });
  });

  it('tolerates what does not fit: it is left out, never an error', () => {
    expect(chartablePerf({
      series: [null, 'x', { rps: 1 }, { t: 'soon' }, { t: 3, rps: '12', p50_ms: null, p95_ms: 4, note: 'hi' }],
      histogram: { buckets: [{ le_ms: 1 }, { le_ms: 'x', count: 1 }, { le_ms: 4, count: -1 }, { le_ms: 8, count: 2, extra: true }], percentiles: [{ p: 101, ms: 1 }, { p: 50 }, 7] },
    })).toEqual({ series: [{ t: 3, p95_ms: 4 }], latencyKeys: ['p95_ms'], buckets: [{ le_ms: 8, count: 2 }], percentiles: [] });
  });

  it('reads percentiles written as a record', () => {
    expect(chartablePerf({ histogram: { percentiles: { p99_ms: 4.4, p50: 1.2, '99.9': 9, max: 30, p75: 'x' } } })?.percentiles).toEqual([
      { p: 50, ms: 1.2 }, { p: 99, ms: 4.4 }, { p: 99.9, ms: 9 },
    ]);
  });

  it('is undefined when there is nothing to draw', () => {
    expect(chartablePerf({})).toBeUndefined();
    expect(chartablePerf({ series: [], histogram: { buckets: [] } })).toBeUndefined();
    expect(chartablePerf({ series: 'a', histogram: [1, 2] })).toBeUndefined();
    expect(chartablePerf({ histogram: { format: 'HdrHistogram-V2', data: 'HISTFAAA…' } })).toBeUndefined();
  });
});
