import { randomBytes } from 'node:crypto';
import { messageOf } from '@probe/core';
import type { Shard } from '../deployment.ts';
import { setOwned } from '../keys.ts';
import type { CacheResources } from '../resources.ts';
import { tagFor } from '../slots.ts';
import { abortable, roundMs, sleep } from '../util.ts';
import { ITEM, refusedWrite, type CacheCheck } from './shared.ts';

/** Interval of the read-back polls on each replica. */
const POLL_MS = 2;

interface ReplicaReport {
  replica: string;
  visibleAfterMs?: number;
  problem?: string;
}

interface ShardReport {
  master: string;
  key: string;
  expectedReplicas: number;
  /** What WAIT answered: how many replicas acknowledged the write. */
  acknowledged: number;
  waitMs: number;
  replicas: ReplicaReport[];
}

/**
 * `cache.consistency.sync`: on every shard that has replicas, SET a probe key
 * on the master, `WAIT <replicas> <replicationLagMs>` (WAIT answers the count
 * even on timeout, so the count is compared), then read the key back on each
 * reachable replica until it shows the new value — all within
 * `replicationLagMs`. Reports the lag per replica.
 */
export const syncCheck: CacheCheck = {
  id: 'cache.consistency.sync',
  title: 'A write on the primary reaches every replica within the bound',
  checklist: [ITEM.synchronization, ITEM.updates],
  writes: true,
  async run({ resources, signal }) {
    const shards = resources.deployment.shards.filter((shard) => shard.expectedReplicas > 0);
    if (shards.length === 0) {
      return { status: 'skip', summary: 'no replicas: nothing to synchronise', reason: 'no replicas (connected_slaves:0 and no `replicas` configured)' };
    }
    const reports: ShardReport[] = [];
    for (const shard of shards) {
      try {
        reports.push(await syncShard(resources, shard, signal));
      } catch (error) {
        if (signal.aborted) throw error;
        return refusedWrite(error, `SET on ${shard.master.address}`);
      }
    }
    const { replicationLagMs } = resources.options.thresholds;
    const problems = reports.flatMap((report) => [
      ...(report.acknowledged < report.expectedReplicas ? [`WAIT on ${report.master} answered ${report.acknowledged} of ${report.expectedReplicas} replicas within ${replicationLagMs} ms`] : []),
      ...report.replicas.filter((replica) => replica.problem).map((replica) => `${replica.replica} ${replica.problem}`),
    ]);
    const lags = reports.flatMap((report) => report.replicas.map((replica) => replica.visibleAfterMs).filter((lag) => lag !== undefined));
    const worst = lags.length > 0 ? Math.max(...lags) : undefined;
    const evidence = {
      shards: reports,
      replicationLagMs,
      repro: `${resources.cli(['SET', `${resources.options.probeKeyPrefix}repro:sync`, 'v', 'PX', 60_000])} && ${resources.cli(['WAIT', reports[0]!.expectedReplicas, replicationLagMs])}`,
    };
    const metrics = worst === undefined ? [] : [{ name: 'cache.replication.visible_after_ms', value: worst, unit: 'ms' }];
    if (problems.length > 0) return { status: 'fail', summary: `${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence, metrics };
    const acknowledged = reports.reduce((sum, report) => sum + report.acknowledged, 0);
    const readBack = worst === undefined ? 'no replica URL to read back from (set `replicas`)' : `visible on ${lags.length} replicas after at most ${worst} ms`;
    return { status: 'pass', summary: `a write was acknowledged by ${acknowledged} replicas (WAIT) and ${readBack}`, evidence, metrics };
  },
};

async function syncShard({ keys, options }: CacheResources, shard: Shard, signal: AbortSignal): Promise<ShardReport> {
  const bound = options.thresholds.replicationLagMs;
  // On a cluster, a hash tag puts the key in one of this master's slots.
  const key = keys.name(`sync:${shard.slots.length > 0 ? tagFor(shard.slots) : 'key'}`);
  const value = randomBytes(8).toString('hex');
  const started = performance.now();
  await abortable(setOwned(keys, shard.master.client, key, value, signal), signal);
  // WAIT blocks the connection for at most `bound`; keep it under the command timeout.
  const waitBound = Math.max(1, Math.min(bound, options.commandTimeoutMs - 100));
  const acknowledged = Number(await abortable(shard.master.client.call('WAIT', shard.expectedReplicas, waitBound), signal));
  const waitMs = roundMs(performance.now() - started);
  const replicas = await Promise.all(shard.replicas.map(async (replica): Promise<ReplicaReport> => {
    try {
      for (;;) {
        if ((await abortable(replica.client.get(key), signal)) === value) return { replica: replica.address, visibleAfterMs: roundMs(performance.now() - started) };
        if (performance.now() - started > bound) return { replica: replica.address, problem: `did not show the write within ${bound} ms` };
        await sleep(POLL_MS, signal);
      }
    } catch (error) {
      if (signal.aborted) throw error;
      return { replica: replica.address, problem: `could not be read: ${messageOf(error)}` };
    }
  }));
  return { master: shard.master.address, key, expectedReplicas: shard.expectedReplicas, acknowledged, waitMs, replicas };
}
