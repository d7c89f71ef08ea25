/**
 * Lossless serialization of a {@link Histogram}: HdrHistogram's V2 compressed
 * encoding (deflate, base64; the `HISTFAAA…` strings of HdrHistogram logs), plus
 * the exact count, min, max and sum that the bucket counts alone cannot give.
 * Any HdrHistogram implementation reads `data`; decoding it here gives back the
 * identical counts array, so merged shards are true percentiles.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { Histogram, type HistogramLayout } from './hdr.ts';

/** A histogram as JSON: what a load result carries in its evidence. */
export interface SerializedHistogram {
  /** Always `HdrHistogram-V2`: `data` is the V2 compressed encoding in base64. */
  format: 'HdrHistogram-V2';
  /** The unit of every value: `us` (microseconds). */
  unit: 'us';
  /** Values recorded. */
  count: number;
  /** Exact smallest, largest and summed raw values. */
  min: number;
  max: number;
  sum: number;
  /** Values above the layout's highest trackable value, recorded as it. */
  clamped: number;
  /** The counts, HdrHistogram V2 compressed, base64. */
  data: string;
}

const V2_COOKIE = 0x1c849303 | 0x10;
const V2_COMPRESSED_COOKIE = 0x1c849304 | 0x10;
const HEADER_BYTES = 40;
/** Bits of the IEEE 754 double 1.0: HdrHistogram's integer-to-double conversion ratio field. */
const DOUBLE_ONE_HIGH = 0x3ff00000;

/** Serialize a histogram losslessly. */
export function serializeHistogram(histogram: Histogram): SerializedHistogram {
  return {
    format: 'HdrHistogram-V2',
    unit: 'us',
    count: histogram.count,
    min: histogram.min,
    max: histogram.max,
    sum: histogram.sum,
    clamped: histogram.clamped,
    data: encodeV2(histogram),
  };
}

/** Rebuild a histogram from {@link serializeHistogram}'s output (or any V2 `HISTFAAA…` string wrapped the same way). */
export function deserializeHistogram(serialized: SerializedHistogram): Histogram {
  if (serialized?.format !== 'HdrHistogram-V2' || typeof serialized.data !== 'string') {
    throw new TypeError('not a serialized histogram: expected { format: "HdrHistogram-V2", data: "HISTFAAA…" }');
  }
  const histogram = decodeV2(serialized.data);
  let total = 0;
  for (const count of histogram.counts) total += count;
  if (total !== serialized.count) throw new TypeError(`serialized histogram is inconsistent: count ${serialized.count}, counts add up to ${total}`);
  histogram.count = serialized.count;
  histogram.min = serialized.min;
  histogram.max = serialized.max;
  histogram.sum = serialized.sum;
  histogram.clamped = serialized.clamped ?? 0;
  return histogram;
}

/** HdrHistogram V2 compressed encoding, base64. */
export function encodeV2(histogram: Histogram): string {
  const payload = encodeCounts(histogram);
  const raw = Buffer.alloc(HEADER_BYTES + payload.length);
  const { lowest, highest, digits } = histogram.layout;
  raw.writeInt32BE(V2_COOKIE, 0);
  raw.writeInt32BE(payload.length, 4);
  raw.writeInt32BE(0, 8);                       // normalizing index offset
  raw.writeInt32BE(digits, 12);
  writeInt64(raw, lowest, 16);
  writeInt64(raw, highest, 24);
  raw.writeInt32BE(DOUBLE_ONE_HIGH, 32);        // integer-to-double ratio 1.0
  raw.writeInt32BE(0, 36);
  payload.copy(raw, HEADER_BYTES);
  const compressed = deflateSync(raw);
  const framed = Buffer.alloc(8 + compressed.length);
  framed.writeInt32BE(V2_COMPRESSED_COOKIE, 0);
  framed.writeInt32BE(compressed.length, 4);
  compressed.copy(framed, 8);
  return framed.toString('base64');
}

/** Decode a V2 compressed base64 histogram; the counts land at the same indexes they were encoded from. */
export function decodeV2(base64: string): Histogram {
  const framed = Buffer.from(base64.trim(), 'base64');
  if (framed.length < 8 || (framed.readInt32BE(0) & ~0xf0) !== (V2_COMPRESSED_COOKIE & ~0xf0)) {
    throw new TypeError('not an HdrHistogram V2 compressed histogram (bad cookie)');
  }
  const length = framed.readInt32BE(4);
  const raw = inflateSync(framed.subarray(8, 8 + length));
  if (raw.length < HEADER_BYTES || (raw.readInt32BE(0) & ~0xf0) !== (V2_COOKIE & ~0xf0)) {
    throw new TypeError('not an HdrHistogram V2 histogram (bad inner cookie)');
  }
  const payloadLength = raw.readInt32BE(4);
  const layout: HistogramLayout = { digits: raw.readInt32BE(12), lowest: readInt64(raw, 16), highest: readInt64(raw, 24) };
  const histogram = new Histogram(layout);
  const counts = histogram.counts;
  const end = HEADER_BYTES + payloadLength;
  let position = HEADER_BYTES;
  let index = 0;
  let total = 0;
  let sum = 0;
  let maxIndex = -1;
  let minIndex = -1;
  while (position < end) {
    let value = 0;
    let multiplier = 1;
    let byte: number;
    let shift = 0;
    do {
      byte = raw[position++]!;
      // 9th byte carries a full 8 bits (LEB128-64b9B).
      value += (shift === 56 ? byte : byte & 0x7f) * multiplier;
      multiplier *= 128;
      shift += 7;
    } while ((byte & 0x80) !== 0 && shift < 63);
    const decoded = value % 2 === 0 ? value / 2 : -(value + 1) / 2;
    if (decoded < 0) {
      index += -decoded;
    } else {
      if (index >= counts.length) throw new TypeError('histogram payload overruns its layout');
      if (decoded > 0) {
        counts[index] = decoded;
        total += decoded;
        sum += decoded * histogram.valueAt(index);
        if (minIndex < 0) minIndex = index;
        maxIndex = index;
      }
      index += 1;
    }
  }
  // Bare V2 data has no exact min/max/sum: bucket values stand in (deserializeHistogram restores the exact ones).
  histogram.count = total;
  histogram.sum = sum;
  histogram.min = minIndex < 0 ? 0 : histogram.valueAt(minIndex);
  histogram.max = maxIndex < 0 ? 0 : histogram.highestAt(maxIndex);
  return histogram;
}

function encodeCounts(histogram: Histogram): Buffer {
  const counts = histogram.counts;
  const limit = histogram.count === 0 ? 0 : histogram.indexOf(Math.min(histogram.max, histogram.layout.highest)) + 1;
  const bytes: number[] = [];
  let index = 0;
  while (index < limit) {
    const count = counts[index++]!;
    if (count === 0) {
      let zeros = 1;
      while (index < limit && counts[index] === 0) {
        zeros += 1;
        index += 1;
      }
      writeZigZag(bytes, zeros > 1 ? -zeros : 0);
    } else {
      writeZigZag(bytes, count);
    }
  }
  return Buffer.from(bytes);
}

/** ZigZag LEB128-64b9B, as HdrHistogram writes counts (negative = a run of zeros). */
function writeZigZag(bytes: number[], signed: number): void {
  let value = signed >= 0 ? signed * 2 : -signed * 2 - 1;
  for (let written = 0; written < 8; written++) {
    if (value < 128) {
      bytes.push(value);
      return;
    }
    bytes.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  bytes.push(value);   // 9th byte: 8 bits
}

function writeInt64(buffer: Buffer, value: number, offset: number): void {
  buffer.writeInt32BE(Math.floor(value / 2 ** 32), offset);
  buffer.writeUInt32BE(value >>> 0, offset + 4);
}

function readInt64(buffer: Buffer, offset: number): number {
  return buffer.readInt32BE(offset) * 2 ** 32 + buffer.readUInt32BE(offset + 4);
}
