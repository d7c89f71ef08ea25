/**
 * An HDR histogram (HdrHistogram's layout, by Gil Tene): fixed memory whatever
 * the number of values, a relative error bounded by the number of significant
 * digits, and counts that add exactly. Values are non-negative integers (the
 * engine records microseconds). The counts array has HdrHistogram's exact index
 * layout, so the V2 encoding in codec.ts is readable by every HdrHistogram
 * implementation (Java, C, Go, hdr-histogram-js) and merging is adding arrays.
 */

/** Parameters that fix a histogram's layout; two histograms with equal ones merge by adding counts. */
export interface HistogramLayout {
  /** The smallest value distinguishable from 0 (1). */
  lowest: number;
  /** The largest value recorded as itself; larger values are clamped to it (and counted in `clamped`). */
  highest: number;
  /** 1 to 5: relative precision 10^-digits (3 → 0.1 %). */
  digits: number;
}

/** The layout the engine uses: 1 µs to 2^31-1 µs (35.8 minutes), 3 significant digits (0.1 %). */
export const LATENCY_LAYOUT: HistogramLayout = { lowest: 1, highest: 2 ** 31 - 1, digits: 3 };

/** A coarser layout (1 %) for per-second intervals: a smaller array to reset and scan each second. */
export const INTERVAL_LAYOUT: HistogramLayout = { lowest: 1, highest: 2 ** 31 - 1, digits: 2 };

export class Histogram {
  readonly layout: HistogramLayout;
  readonly counts: Float64Array;
  /** Number of values recorded. */
  count = 0;
  /** Exact smallest and largest raw values recorded (not bucket bounds); 0 when empty. */
  min = 0;
  max = 0;
  /** Exact sum of the values recorded (integers, so exact below 2^53). */
  sum = 0;
  /** Values above `layout.highest`, recorded as `highest`. */
  clamped = 0;

  private readonly unitMagnitude: number;
  private readonly subBucketHalfCountMagnitude: number;
  private readonly subBucketHalfCount: number;
  private readonly subBucketMask: number;
  private readonly leadingZeroCountBase: number;
  private readonly fastPath: boolean;

  constructor(layout: HistogramLayout = LATENCY_LAYOUT) {
    const { lowest, highest, digits } = layout;
    if (!Number.isInteger(digits) || digits < 1 || digits > 5) throw new RangeError(`digits must be 1..5, got ${digits}`);
    if (!Number.isInteger(lowest) || lowest < 1) throw new RangeError(`lowest must be an integer >= 1, got ${lowest}`);
    if (!Number.isSafeInteger(highest) || highest < 2 * lowest) throw new RangeError(`highest must be a safe integer >= 2 * lowest, got ${highest}`);
    this.layout = { lowest, highest, digits };
    const largestSingleUnit = 2 * 10 ** digits;
    const subBucketCountMagnitude = Math.ceil(Math.log2(largestSingleUnit));
    this.unitMagnitude = Math.floor(Math.log2(lowest));
    this.subBucketHalfCountMagnitude = subBucketCountMagnitude - 1;
    const subBucketCount = 2 ** subBucketCountMagnitude;
    this.subBucketHalfCount = subBucketCount / 2;
    this.subBucketMask = (subBucketCount - 1) * 2 ** this.unitMagnitude;
    this.leadingZeroCountBase = 64 - this.unitMagnitude - subBucketCountMagnitude;
    let smallestUntrackable = subBucketCount * 2 ** this.unitMagnitude;
    let buckets = 1;
    while (smallestUntrackable <= highest) {
      smallestUntrackable *= 2;
      buckets += 1;
    }
    this.counts = new Float64Array((buckets + 1) * this.subBucketHalfCount);
    // Values and the mask fit in 31 bits: bucket indexes come from Math.clz32 alone.
    this.fastPath = highest < 2 ** 31 && this.subBucketMask < 2 ** 31;
  }

  /** Record one value (rounded to an integer, negatives as 0). */
  record(value: number): void {
    let v = value > 0 ? Math.round(value) : 0;
    if (v > this.layout.highest) {
      v = this.layout.highest;
      this.clamped += 1;
    }
    this.counts[this.indexOf(v)]! += 1;
    if (this.count === 0 || v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.count += 1;
    this.sum += v;
  }

  /** The counts-array index of a value (HdrHistogram's countsArrayIndex). */
  indexOf(value: number): number {
    const bucket = this.fastPath
      ? this.leadingZeroCountBase - 32 - Math.clz32(value | this.subBucketMask)
      : this.leadingZeroCountBase - clz64(value, this.subBucketMask);
    const subBucket = Math.floor(value / 2 ** (bucket + this.unitMagnitude));
    return ((bucket + 1) << this.subBucketHalfCountMagnitude) + subBucket - this.subBucketHalfCount;
  }

  /** The lowest value that maps to a counts-array index. */
  valueAt(index: number): number {
    let bucket = (index >> this.subBucketHalfCountMagnitude) - 1;
    let subBucket = (index & (this.subBucketHalfCount - 1)) + this.subBucketHalfCount;
    if (bucket < 0) {
      subBucket -= this.subBucketHalfCount;
      bucket = 0;
    }
    return subBucket * 2 ** (bucket + this.unitMagnitude);
  }

  /** The highest value equivalent to the one at an index (what percentiles report, as HdrHistogram does). */
  highestAt(index: number): number {
    const bucket = Math.max(0, (index >> this.subBucketHalfCountMagnitude) - 1);
    return this.valueAt(index) + 2 ** (bucket + this.unitMagnitude) - 1;
  }

  /** The value at a percentile (0–100): the highest value equivalent to it, capped at the exact max. */
  percentile(percentile: number): number {
    return this.percentiles([percentile])[0]!;
  }

  /** Several percentiles in one pass over the counts; ascending order not required. */
  percentiles(requested: readonly number[]): number[] {
    const result = new Array<number>(requested.length).fill(0);
    if (this.count === 0) return result;
    const order = requested.map((p, i) => ({ i, target: Math.max(1, Math.floor((Math.min(100, Math.max(0, p)) / 100) * this.count + 0.5)) }))
      .sort((a, b) => a.target - b.target);
    let next = 0;
    let running = 0;
    const counts = this.counts;
    for (let index = 0; index < counts.length && next < order.length; index++) {
      running += counts[index]!;
      while (next < order.length && running >= order[next]!.target) {
        result[order[next]!.i] = Math.min(this.max, Math.max(this.min, this.highestAt(index)));
        next += 1;
      }
    }
    return result;
  }

  /** Mean of the values recorded (exact). */
  mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }

  /** Add another histogram's values. Same layout: counts add exactly. Otherwise each bucket is re-recorded at its value. */
  add(other: Histogram): void {
    if (other.count === 0) return;
    if (sameLayout(this.layout, other.layout)) {
      const target = this.counts;
      const source = other.counts;
      for (let index = 0; index < source.length; index++) {
        const count = source[index]!;
        if (count !== 0) target[index]! += count;
      }
    } else {
      for (let index = 0; index < other.counts.length; index++) {
        const count = other.counts[index]!;
        if (count !== 0) this.counts[this.indexOf(Math.min(this.layout.highest, other.valueAt(index)))]! += count;
      }
    }
    this.min = this.count === 0 ? other.min : Math.min(this.min, other.min);
    this.max = Math.max(this.max, other.max);
    this.count += other.count;
    this.sum += other.sum;
    this.clamped += other.clamped;
  }

  /** Forget every value (keeps the memory). */
  reset(): void {
    this.counts.fill(0);
    this.count = 0;
    this.min = 0;
    this.max = 0;
    this.sum = 0;
    this.clamped = 0;
  }
}

/** True when two layouts have the same counts-array layout. */
function sameLayout(a: HistogramLayout, b: HistogramLayout): boolean {
  return a.lowest === b.lowest && a.highest === b.highest && a.digits === b.digits;
}

/** Leading zeros of `value | mask` as a 64-bit integer (value < 2^53). */
function clz64(value: number, mask: number): number {
  const high = Math.floor(value / 2 ** 32) | Math.floor(mask / 2 ** 32);
  const low = ((value >>> 0) | (mask >>> 0)) >>> 0;
  return high !== 0 ? Math.clz32(high) : 32 + Math.clz32(low);
}
