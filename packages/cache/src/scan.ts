import type { RedisNode } from './deployment.ts';
import { abortable, escapeGlob, roundMs } from './util.ts';

/** Bounds of one sampling: SCAN's COUNT hint, keys kept, and time. */
export interface ScanBounds {
  count: number;
  maxKeys: number;
  timeMs: number;
}

/** One sampled key and the node that holds it. */
export interface SampledKey {
  node: RedisNode;
  key: Buffer;
}

/** What a bounded SCAN found. */
export interface ScanSample {
  keys: SampledKey[];
  /** True when every node's SCAN reached cursor 0 for every pattern (the sample is the whole set). */
  complete: boolean;
  /** SCAN calls made. */
  calls: number;
  elapsedMs: number;
  /** The MATCH patterns used. */
  patterns: string[];
}

/** SCAN MATCH patterns for the application's key prefixes (`*` when none are given). */
export function prefixPatterns(keyPrefix: string | readonly string[] | undefined): string[] {
  if (keyPrefix === undefined) return ['*'];
  return (typeof keyPrefix === 'string' ? [keyPrefix] : [...keyPrefix]).map((prefix) => `${escapeGlob(prefix)}*`);
}

/**
 * Sample keys with SCAN (never KEYS) on every node, for every pattern, within
 * bounds: each (node, pattern) pair gets an equal share of `maxKeys` and of
 * `timeMs`, so a huge keyspace costs a bounded number of short SCAN calls.
 * Keys under `exclude` (the probe's own prefix) are left out.
 */
export async function sampleKeys(nodes: readonly RedisNode[], patterns: readonly string[], bounds: ScanBounds, exclude: string, signal: AbortSignal): Promise<ScanSample> {
  const started = performance.now();
  const pairs = nodes.flatMap((node) => patterns.map((pattern) => ({ node, pattern })));
  const keyShare = Math.max(1, Math.ceil(bounds.maxKeys / Math.max(1, pairs.length)));
  const timeShare = bounds.timeMs / Math.max(1, pairs.length);
  const excluded = Buffer.from(exclude);
  const keys: SampledKey[] = [];
  let complete = true;
  let calls = 0;
  for (const { node, pattern } of pairs) {
    const deadline = performance.now() + timeShare;
    let kept = 0;
    let cursor = '0';
    do {
      const [next, batch] = await abortable(node.client.scanBuffer(cursor, 'MATCH', pattern, 'COUNT', bounds.count), signal);
      calls += 1;
      cursor = next.toString();
      for (const key of batch) {
        if (kept >= keyShare) break;
        if (excluded.length > 0 && key.subarray(0, excluded.length).equals(excluded)) continue;
        keys.push({ node, key });
        kept += 1;
      }
    } while (cursor !== '0' && kept < keyShare && performance.now() < deadline);
    if (cursor !== '0') complete = false;
  }
  return { keys, complete, calls, elapsedMs: roundMs(performance.now() - started), patterns: [...patterns] };
}
