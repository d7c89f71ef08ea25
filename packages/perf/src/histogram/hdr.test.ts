import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeV2, deserializeHistogram, encodeV2, serializeHistogram } from './codec.ts';
import { Histogram, INTERVAL_LAYOUT } from './hdr.ts';

const require = createRequire(import.meta.url);
// The reference implementation (a port of Gil Tene's Java HdrHistogram), a devDependency only.
const hdr = require('hdr-histogram-js') as typeof import('hdr-histogram-js');

/** Deterministic latencies in µs over six decades (Park–Miller). */
function latencies(count: number, seed = 7): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 16_807) % 2_147_483_647;
    return Math.floor(Math.exp((state / 2_147_483_647) * 14));
  });
}

function reference(values: number[]) {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 31 - 1, numberOfSignificantValueDigits: 3, bitBucketSize: 'packed', useWebAssembly: false });
  for (const value of values) histogram.recordValue(value);
  return histogram;
}

function record(values: number[]): Histogram {
  const histogram = new Histogram();
  for (const value of values) histogram.record(value);
  return histogram;
}

describe('Histogram', () => {
  it('gives the same percentiles as HdrHistogram (hdr-histogram-js), capped at the exact max', () => {
    const values = latencies(50_000);
    const ours = record(values);
    const theirs = reference(values);
    for (const p of [0, 1, 10, 50, 75, 90, 95, 99, 99.9, 99.99]) expect(ours.percentile(p), `p${p}`).toBe(theirs.getValueAtPercentile(p));
    expect(ours.percentile(100)).toBe(Math.max(...values));
    expect(ours.count).toBe(values.length);
    expect(ours.min).toBe(Math.min(...values));
    expect(ours.sum).toBe(values.reduce((a, b) => a + b, 0));
  });

  it('keeps the relative error under 0.1 % (3 significant digits)', () => {
    for (const value of [1, 999, 2_048, 123_456, 98_765_432]) {
      const histogram = record([value]);
      const reported = histogram.highestAt(histogram.indexOf(value));
      expect(reported).toBeGreaterThanOrEqual(value);
      expect((reported - value) / value).toBeLessThan(0.001);
    }
  });

  it('merges exactly: two shards added equal one histogram of every value', () => {
    const values = latencies(40_000, 11);
    const whole = record(values);
    const shardA = record(values.filter((_, i) => i % 3 === 0));
    const shardB = record(values.filter((_, i) => i % 3 !== 0));
    // Through JSON, as shards travel in NDJSON evidence.
    const merged = new Histogram();
    for (const shard of [shardA, shardB]) merged.add(deserializeHistogram(JSON.parse(JSON.stringify(serializeHistogram(shard)))));
    expect(Array.from(merged.counts)).toEqual(Array.from(whole.counts));
    expect([merged.count, merged.min, merged.max, merged.sum]).toEqual([whole.count, whole.min, whole.max, whole.sum]);
    expect(merged.percentiles([50, 90, 99, 99.9, 100])).toEqual(whole.percentiles([50, 90, 99, 99.9, 100]));
  });

  it('adds a histogram of another layout by re-recording its buckets', () => {
    const coarse = new Histogram(INTERVAL_LAYOUT);
    for (const value of [100, 1_000, 10_000]) coarse.record(value);
    const fine = new Histogram();
    fine.add(coarse);
    expect(fine.count).toBe(3);
    expect(Math.abs(fine.percentile(100) - 10_000) / 10_000).toBeLessThan(0.01);
  });

  it('clamps values above the highest trackable one and counts them', () => {
    const histogram = new Histogram({ lowest: 1, highest: 1_000, digits: 2 });
    histogram.record(5_000);
    histogram.record(-3);
    expect(histogram.clamped).toBe(1);
    expect([histogram.min, histogram.max]).toEqual([0, 1_000]);
  });

  it('rejects impossible layouts', () => {
    expect(() => new Histogram({ lowest: 1, highest: 1_000, digits: 6 })).toThrow(/digits/);
    expect(() => new Histogram({ lowest: 0, highest: 1_000, digits: 2 })).toThrow(/lowest/);
    expect(() => new Histogram({ lowest: 10, highest: 15, digits: 2 })).toThrow(/highest/);
  });

  it('handles values past 2^31 on the slow path', () => {
    const histogram = new Histogram({ lowest: 1, highest: 2 ** 40, digits: 3 });
    histogram.record(2 ** 35);
    expect(histogram.percentile(50) / 2 ** 35).toBeCloseTo(1, 2);
  });
});

describe('HdrHistogram V2 encoding', () => {
  it('is read by hdr-histogram-js, and reads what it writes, counts identical', () => {
    const values = latencies(20_000, 3);
    const ours = record(values);
    const decodedByThem = hdr.decodeFromCompressedBase64(encodeV2(ours), 'packed', false);
    expect(decodedByThem.totalCount).toBe(values.length);
    for (const p of [50, 99, 99.9]) expect(decodedByThem.getValueAtPercentile(p)).toBe(ours.percentile(p));
    const theirs = decodeV2(hdr.encodeIntoCompressedBase64(reference(values)));
    expect(Array.from(theirs.counts)).toEqual(Array.from(ours.counts));
  });

  it('round-trips an empty histogram, and refuses what is not one', () => {
    const empty = deserializeHistogram(serializeHistogram(new Histogram()));
    expect(empty.count).toBe(0);
    expect(empty.percentile(99)).toBe(0);
    expect(() => decodeV2(Buffer.from('not a histogram').toString('base64'))).toThrow(/cookie/);
    expect(() => deserializeHistogram({ format: 'nope' } as never)).toThrow(/not a serialized histogram/);
    const serialized = serializeHistogram(record([1, 2, 3]));
    expect(() => deserializeHistogram({ ...serialized, count: 4 })).toThrow(/inconsistent/);
  });
});
