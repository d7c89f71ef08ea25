import type { ShardSpec } from '../protocol/events.ts';
import type { Check, Probe } from '../protocol/types.ts';
import { compileGlobs } from './glob.ts';

/** What to run: `--only`, `--skip` and `--shard` applied to a config's probes. */
export interface Selection {
  only?: readonly string[];
  skip?: readonly string[];
  shard?: ShardSpec;
}

/** A probe and the checks of it that this run executes, in declaration order. */
export interface PlannedProbe {
  probe: Probe;
  checks: Check[];
}

/**
 * Apply a selection. Sharding is deterministic whatever the order of probes in
 * the config: the units are (target name, group of checks tied by `needs`),
 * sorted by key and dealt round-robin, so the n shards are disjoint, their union
 * is the whole run, and a check always lands with its prerequisites. Split
 * checks ({@link Check.split}) are the exception: they run in every shard.
 */
export function planRun(probes: readonly Probe[], selection: Selection = {}): PlannedProbe[] {
  const only = selection.only?.length ? compileGlobs(selection.only) : undefined;
  const skip = selection.skip?.length ? compileGlobs(selection.skip) : undefined;
  let planned = probes.map((probe) => ({
    probe,
    checks: probe.checks.filter((check) => {
      if (only && !only(check.id, probe.target.name)) return false;
      if (skip && skip(check.id, probe.target.name)) return false;
      return true;
    }),
  }));
  if (selection.shard && selection.shard.total > 1) planned = shardOf(planned, selection.shard);
  return planned.filter((entry) => entry.checks.length > 0);
}

/** Count of checks in a plan. */
export function plannedCount(plan: readonly PlannedProbe[]): number {
  return plan.reduce((sum, entry) => sum + entry.checks.length, 0);
}

function shardOf(planned: PlannedProbe[], shard: ShardSpec): PlannedProbe[] {
  const units: { key: string; probeIndex: number; ids: Set<string> }[] = [];
  // Split checks run in every shard, each doing its share; the rest are dealt out.
  const keep = planned.map((entry) => new Set(entry.checks.filter((check) => check.split).map((check) => check.id)));
  planned.forEach((entry, probeIndex) => {
    for (const [root, ids] of needsGroups(entry.checks.filter((check) => !check.split))) {
      units.push({ key: `${entry.probe.target.name}\u0000${root}`, probeIndex, ids });
    }
  });
  units.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  units.forEach((unit, index) => {
    if (index % shard.total === shard.index - 1) for (const id of unit.ids) keep[unit.probeIndex]!.add(id);
  });
  return planned.map((entry, probeIndex) => ({
    probe: entry.probe,
    checks: entry.checks.filter((check) => keep[probeIndex]!.has(check.id)),
  }));
}

/** Groups of check ids connected by `needs` (union-find), keyed by their smallest id. */
function needsGroups(checks: readonly Check[]): Map<string, Set<string>> {
  const parent = new Map<string, string>(checks.map((check) => [check.id, check.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const check of checks) {
    for (const need of check.needs ?? []) {
      if (!parent.has(need)) continue;
      const a = find(check.id);
      const b = find(need);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  const groups = new Map<string, Set<string>>();
  for (const check of checks) {
    const root = find(check.id);
    if (!groups.has(root)) groups.set(root, new Set());
    groups.get(root)!.add(check.id);
  }
  return groups;
}
