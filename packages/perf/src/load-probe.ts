/** A load probe from a session spec: the six perf checks, sharing one run of the declared load. */
import type { Probe, ShardSpec, Target } from '@probe/core';
import { capacityCheck } from './checks/capacity.ts';
import { degradationCheck } from './checks/degradation.ts';
import { latencyCheck } from './checks/latency.ts';
import { resourcesCheck } from './checks/resources.ts';
import { throughputCheck } from './checks/throughput.ts';
import { trendCheck } from './checks/trend.ts';
import { planLoad } from './options.ts';
import { LoadSession, type SessionSpec } from './session.ts';
import { inShareOfLoad, shareOfLoad } from './share.ts';

export interface LoadProbeParts {
  target: Target;
  spec: SessionSpec;
  /** Checklist ids the throughput and latency checks answer besides their own. */
  checklist: readonly string[];
  writes: boolean;
  secrets: string[];
}

/**
 * Throughput, latency, resources and trend judge one run of the declared load (the first of them to run starts it);
 * capacity and degradation share one capacity search. A fresh session per run: nothing carries over between runs.
 * With `distribute: true` in a sharded run, the session holds this shard's share of the load.
 */
export function createLoadProbe({ target, spec, checklist, writes, secrets }: LoadProbeParts): Probe<LoadSession> {
  return {
    target,
    checks: [
      throughputCheck(spec, checklist, writes),
      latencyCheck(spec, checklist, writes),
      resourcesCheck(spec, writes),
      trendCheck(spec, writes),
      capacityCheck(spec, writes),
      degradationCheck(spec, writes),
    ],
    secrets,
    setup: (context) => new LoadSession(inShareOfLoad(spec.options, context) ? shareOfSpec(spec, context.shard!) : spec),
  };
}

/** The spec of one shard's part of a distributed load. */
function shareOfSpec(spec: SessionSpec, shard: ShardSpec): SessionSpec {
  const options = shareOfLoad(spec.options, shard);
  return { ...spec, options, plan: planLoad(options) };
}
