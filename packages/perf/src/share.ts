/**
 * `distribute: true`: one load split over the shards of a sharded run. Each
 * shard runs its share ({@link shareOfLoad}) at the same time as the others;
 * the throughput and latency checks become split checks whose parts
 * `combineLoadParts` (combine-parts.ts) adds up on `probe merge`.
 */
import { ProbeError, ProbeErrorCode, type ShardSpec } from '@probe/core';
import type { LoadProbeOptions, LoadShape, Thresholds } from './types.ts';

/** The combiner name split perf checks carry in their results. */
export const LOAD_COMBINER = '@probe/perf#combineLoadParts';

/** `n` whole units over `total` shards: the first `n % total` shards take one more. */
export function shareOfCount(n: number, { index, total }: ShardSpec): number {
  return Math.floor(n / total) + (index - 1 < n % total ? 1 : 0);
}

/**
 * This shard's part of a load shape: closed model, the connections (and stage levels) dealt out whole;
 * open model, the rate and stage levels divided, the in-flight bound dealt out; `requests` dealt out;
 * `minRps` divided. Throws `PROBE_ERR_CONFIG` when a shard would get no connection at all.
 */
export function shareOfLoad<T extends LoadShape & { thresholds?: Thresholds }>(shape: T, shard: ShardSpec): T {
  const open = (shape.model ?? (shape.rate !== undefined ? 'open' : 'closed')) === 'open';
  const connections = shape.connections ?? (open ? 100 : shape.stages ? 1 : 10);
  const mine = shareOfCount(connections, shard);
  if (mine === 0) {
    throw new ProbeError(ProbeErrorCode.CONFIG, `distribute: ${connections} connection(s) cannot be split over ${shard.total} shards`, {
      hint: `declare at least ${shard.total} connections, or run fewer shards`,
    });
  }
  const level = (target: number) => (open ? target / shard.total : shareOfCount(target, shard));
  const minRps = shape.thresholds?.minRps;
  return {
    ...shape,
    connections: mine,
    ...(shape.rate !== undefined ? { rate: shape.rate / shard.total } : {}),
    ...(shape.stages ? { stages: shape.stages.map((stage) => ({ ...stage, target: level(stage.target) })) } : {}),
    ...(shape.requests !== undefined ? { requests: Math.max(1, shareOfCount(shape.requests, shard)) } : {}),
    ...(shape.thresholds && minRps !== undefined ? { thresholds: { ...shape.thresholds, minRps: minRps / shard.total } } : {}),
  };
}

/** This run is a shard and the load is distributed: the session holds this shard's share, not the whole load. */
export function inShareOfLoad(options: Pick<LoadProbeOptions, 'distribute'>, context: { shard?: ShardSpec }): boolean {
  return context.shard !== undefined && options.distribute === true;
}

/** What a split check's part adds to its evidence for the merge: the thresholds as declared (none unsharded). */
export function splitEvidence(options: LoadProbeOptions, context: { shard?: ShardSpec }): Record<string, unknown> {
  const evidence: SplitEvidence = inShareOfLoad(options, context) ? { declaredThresholds: options.thresholds } : {};
  return { ...evidence };
}

/** What a split perf check keeps in its evidence so the merge can judge the whole. */
export interface SplitEvidence {
  /** The thresholds as declared (before `minRps` was divided for the part). */
  declaredThresholds?: Thresholds;
  /** Commands that reproduce the load by hand. */
  reproduce?: Record<string, string>;
}
