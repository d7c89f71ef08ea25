import type { CheckContext, Outcome } from '@probe/core';
import { messageOf } from '@probe/core';
import { parseClusterNodes } from '../cluster-nodes.ts';
import type { RedisNode } from '../deployment.ts';
import { formatBytes, infoNumber, parseInfo, pick, replicasOf } from '../info.ts';
import { setOwned } from '../keys.ts';
import type { CacheResources } from '../resources.ts';
import { SLOT_COUNT, inRanges, keySlot } from '../slots.ts';
import { abortable, listOf, roundMs } from '../util.ts';
import { ITEM, type CacheCheck } from './shared.ts';

/**
 * `cache.ops.distribution`.
 * Cluster: every master says `cluster_state:ok`, all 16 384 slots are assigned
 * and agreed on, no slot is in PFAIL/FAIL, every master and replica answers,
 * replica links are up, and probe keys (not under --read-only) land on the
 * master that owns their slot.
 * Replicated: the primary sees every replica `online` with offset and time lag
 * under the thresholds; each configured replica says `master_link_status:up`.
 * Standalone: skipped.
 */
export const distributionCheck: CacheCheck = {
  id: 'cache.ops.distribution',
  title: 'Cluster slots are covered and served, or replicas are linked and caught up',
  checklist: [ITEM.distribution, ITEM.synchronization],
  async run(context) {
    const { deployment } = context.resources;
    if (deployment.mode === 'cluster') return clusterDistribution(context);
    if (deployment.mode === 'replicated') return replicatedDistribution(context);
    return {
      status: 'skip',
      summary: 'standalone server: nothing is distributed',
      reason: 'standalone server: not a cluster, and no replicas (connected_slaves:0, no `replicas` configured)',
    };
  },
};

async function clusterDistribution({ resources, signal, readOnly }: CheckContext<CacheResources>): Promise<Outcome> {
  const { deployment } = resources;
  const problems = [...deployment.problems];
  const masters = deployment.shards.map((shard) => shard.master);

  const seedInfo = parseInfo(String(await abortable(deployment.seed.client.call('CLUSTER', 'INFO'), signal)));
  const views = await Promise.all(masters.map(async (master) => {
    const started = performance.now();
    try {
      const [info, slots] = await abortable(Promise.all([master.client.call('CLUSTER', 'INFO'), master.client.call('CLUSTER', 'SLOTS')]), signal);
      return { master, info: parseInfo(String(info)), map: slotMap(slots as unknown[][]), pingMs: roundMs(performance.now() - started) };
    } catch (error) {
      if (signal.aborted) throw error;
      problems.push(`master ${master.address} does not answer: ${messageOf(error)}`);
      return undefined;
    }
  }));
  const answered = views.filter((view) => view !== undefined);
  const lines = parseClusterNodes(String(await abortable(deployment.seed.client.call('CLUSTER', 'NODES'), signal)));
  const assigned = infoNumber(seedInfo, 'cluster_slots_assigned') ?? 0;
  const uncovered = uncoveredRanges(lines.filter((line) => line.flags.includes('master')).flatMap((line) => line.slots));
  if (assigned < SLOT_COUNT || uncovered.length > 0) {
    problems.push(`${SLOT_COUNT - Math.min(assigned, SLOT_COUNT)} of ${SLOT_COUNT} slots are not assigned (${listOf(uncovered.map(([start, end]) => (start === end ? `${start}` : `${start}-${end}`)))})`);
  }
  for (const field of ['cluster_slots_pfail', 'cluster_slots_fail']) {
    const count = infoNumber(seedInfo, field) ?? 0;
    if (count > 0) problems.push(`${count} slots in ${field.replace('cluster_slots_', '').toUpperCase()}`);
  }
  const failing = answered.filter((view) => view.info.cluster_state !== 'ok');
  if (failing.length > 0) problems.push(`cluster_state:${failing[0]!.info.cluster_state} on ${failing.length} of ${masters.length} masters (${listOf(failing.map((view) => view.master.address))})`);
  for (const line of lines) {
    const flag = line.flags.find((candidate) => candidate === 'fail' || candidate === 'fail?');
    const role = line.flags.includes('master') ? 'master' : 'replica';
    if (flag) problems.push(`${role} ${line.host}:${line.port} is flagged ${flag} by ${deployment.seed.address}`);
    else if (line.link === 'disconnected' && !line.flags.includes('myself')) problems.push(`the cluster bus link to ${role} ${line.host}:${line.port} is down`);
  }
  const reference = slotMap((await abortable(deployment.seed.client.call('CLUSTER', 'SLOTS'), signal)) as unknown[][]);
  const disagreeing = answered.filter((view) => view.map !== reference).map((view) => view.master.address);
  if (disagreeing.length > 0) problems.push(`nodes disagree about the slot map: ${listOf(disagreeing)} differ from ${deployment.seed.address}`);
  for (const shard of deployment.shards) {
    if (shard.replicas.length < shard.expectedReplicas) problems.push(`${shard.expectedReplicas - shard.replicas.length} replicas of ${shard.master.address} cannot be reached`);
    for (const replica of shard.replicas) {
      const link = await replicaLink(replica, signal);
      if (link !== 'up') problems.push(`replica ${replica.address} has master_link_status:${link}`);
    }
  }

  // Writes to a cluster that is down only time out in redirections: place keys on a healthy one.
  const placement = readOnly || failing.length > 0 ? undefined : await placeProbeKeys(resources, signal);
  problems.push(...(placement?.problems ?? []));
  const evidence = {
    clusterInfo: pick(seedInfo, ['cluster_state', 'cluster_slots_assigned', 'cluster_slots_ok', 'cluster_slots_pfail', 'cluster_slots_fail', 'cluster_known_nodes', 'cluster_size']),
    masters: deployment.shards.map((shard) => ({
      address: shard.master.address,
      slots: shard.slots.map(([start, end]) => `${start}-${end}`).join(','),
      replicas: shard.replicas.map((replica) => replica.address),
      probeKeys: placement?.perMaster.get(shard.master.address) ?? 0,
      answeredMs: answered.find((view) => view.master === shard.master)?.pingMs,
    })),
    probeKeys: placement?.keys ?? (readOnly ? 'not written (read-only mode)' : 'not written (the cluster is not ok)'),
    repro: resources.cli(['--cluster', 'check', deployment.seed.address]),
  };
  const metrics = [
    { name: 'cache.cluster.masters', value: masters.length, unit: 'count' },
    { name: 'cache.cluster.slots_assigned', value: assigned, unit: 'count' },
  ];
  if (problems.length > 0) return { status: 'fail', summary: `cluster: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence: { ...evidence, problems }, metrics };
  const spread = placement ? `; ${placement.keys.length} probe keys landed on their slot's master (${[...placement.perMaster.values()].join('/')})` : '';
  return { status: 'pass', summary: `cluster ok: ${SLOT_COUNT} slots covered by ${masters.length} masters, all answering${spread}`, evidence, metrics };
}

/** Write probe keys through the cluster client and confirm each sits on the master that owns its slot. */
async function placeProbeKeys({ deployment, keys }: CacheResources, signal: AbortSignal) {
  const count = Math.min(32, Math.max(8, deployment.shards.length * 4));
  const problems: string[] = [];
  const failedWrites: string[] = [];
  const perMaster = new Map<string, number>();
  const placed: { key: string; slot: number; master?: string }[] = [];
  for (let index = 0; index < count; index++) {
    const key = keys.name(`dist:${index}`);
    const slot = keySlot(key);
    const owner = deployment.shards.find((shard) => inRanges(slot, shard.slots));
    try {
      await abortable(setOwned(keys, deployment.client, key, 'v', signal), signal);
      const serverSlot = Number(await abortable(deployment.seed.client.call('CLUSTER', 'KEYSLOT', key), signal));
      if (serverSlot !== slot) problems.push(`${key} hashes to slot ${serverSlot} on the server, ${slot} by the cluster spec`);
      if (!owner) problems.push(`${key} (slot ${slot}) has no master`);
      else if ((await abortable(owner.master.client.exists(key), signal)) !== 1) problems.push(`${key} (slot ${slot}) is not on ${owner.master.address}, the master of its slot`);
      else perMaster.set(owner.master.address, (perMaster.get(owner.master.address) ?? 0) + 1);
    } catch (error) {
      if (signal.aborted) throw error;
      failedWrites.push(`SET ${key} (slot ${slot}): ${messageOf(error)}`);
    }
    placed.push({ key, slot, ...(owner ? { master: owner.master.address } : {}) });
  }
  if (failedWrites.length > 0) problems.push(`${failedWrites.length} of ${count} probe keys could not be written (${failedWrites[0]})`);
  return { keys: placed, perMaster, problems };
}

async function replicatedDistribution({ resources, signal }: CheckContext<CacheResources>): Promise<Outcome> {
  const { deployment, options } = resources;
  const shard = deployment.shards[0]!;
  const { replicationOffsetLagBytes, replicationLagMs } = options.thresholds;
  const problems = [...deployment.problems];
  const primary = parseInfo(await abortable(deployment.seed.client.info('replication'), signal));
  const masterOffset = infoNumber(primary, 'master_repl_offset') ?? 0;
  if (primary.role !== 'master') problems.push(`the URL's server is a replica (role:${primary.role}), not the primary`);
  const views = replicasOf(primary);
  if (views.length < shard.expectedReplicas) problems.push(`the primary sees ${views.length} replicas, ${shard.expectedReplicas} expected`);
  for (const view of views) {
    if (view.state !== 'online') problems.push(`replica ${view.address} is ${view.state}, not online`);
    if (masterOffset - view.offset > replicationOffsetLagBytes) problems.push(`replica ${view.address} is ${formatBytes(masterOffset - view.offset)} behind`);
    if (view.lagSeconds * 1_000 > replicationLagMs) problems.push(`replica ${view.address} last acknowledged ${view.lagSeconds} s ago`);
  }
  const replicas = await Promise.all(shard.replicas.map(async (replica) => {
    const info = parseInfo(await abortable(replica.client.info('replication'), signal));
    const offset = infoNumber(info, 'slave_repl_offset') ?? 0;
    if (info.role !== 'slave') problems.push(`${replica.address} is not a replica (role:${info.role})`);
    else if (info.master_link_status !== 'up') problems.push(`replica ${replica.address} has master_link_status:${info.master_link_status} (master ${info.master_host}:${info.master_port})`);
    else if (masterOffset - offset > replicationOffsetLagBytes) problems.push(`replica ${replica.address} is ${formatBytes(masterOffset - offset)} behind`);
    return { address: replica.address, ...pick(info, ['role', 'master_host', 'master_port', 'master_link_status', 'master_last_io_seconds_ago', 'master_link_down_since_seconds', 'slave_repl_offset']), offsetLagBytes: masterOffset - offset };
  }));
  const evidence = {
    primary: { address: deployment.seed.address, ...pick(primary, ['role', 'connected_slaves', 'master_repl_offset']) },
    replicasSeenByPrimary: views,
    replicas,
    repro: `${resources.cli(['INFO', 'replication'])}${shard.replicas.map((replica) => ` && ${resources.cli(['INFO', 'replication'], replica)}`).join('')}`,
  };
  const worstLag = Math.max(0, ...views.map((view) => masterOffset - view.offset), ...replicas.map((replica) => replica.offsetLagBytes));
  const metrics = [
    { name: 'cache.replication.replicas', value: views.length, unit: 'count' },
    { name: 'cache.replication.offset_lag_bytes', value: worstLag, unit: 'bytes' },
  ];
  if (problems.length > 0) return { status: 'fail', summary: `replication: ${problems[0]}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`, evidence: { ...evidence, problems }, metrics };
  return { status: 'pass', summary: `${views.length} replicas online, links up, at most ${formatBytes(worstLag)} behind the primary`, evidence, metrics };
}

async function replicaLink(replica: RedisNode, signal: AbortSignal): Promise<string> {
  try {
    return parseInfo(await abortable(replica.client.info('replication'), signal)).master_link_status ?? 'unknown';
  } catch (error) {
    if (signal.aborted) throw error;
    return `unknown (${messageOf(error)})`;
  }
}

/** A CLUSTER SLOTS reply as a comparable text: `0-5460@host:port;…`, sorted. */
function slotMap(reply: unknown[][]): string {
  return reply.map((entry) => {
    const [start, end, master] = entry as [number, number, [string, number]];
    return `${start}-${end}@${master[0]}:${master[1]}`;
  }).sort().join(';');
}

/** Slot ranges not covered by any of `ranges`. */
function uncoveredRanges(ranges: readonly [number, number][]): [number, number][] {
  const covered = new Uint8Array(SLOT_COUNT);
  for (const [start, end] of ranges) covered.fill(1, start, end + 1);
  const out: [number, number][] = [];
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    if (covered[slot]) continue;
    const start = slot;
    while (slot + 1 < SLOT_COUNT && !covered[slot + 1]) slot += 1;
    out.push([start, slot]);
  }
  return out;
}
