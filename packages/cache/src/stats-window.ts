import type { RedisNode } from './deployment.ts';
import { infoNumber, parseInfo, type Info } from './info.ts';
import { abortable, roundMs, sleep } from './util.ts';

/** INFO stats of every data node at the start and the end of one window. */
export interface StatsWindow {
  /** The window's measured length. */
  ms: number;
  nodes: { address: string; role: RedisNode['role']; before: Info; after: Info }[];
}

/** The sum over nodes of a counter's growth during the window (`keyspace_hits`, `evicted_keys`). */
export function deltaOf(window: StatsWindow, field: string): number {
  return window.nodes.reduce((sum, node) => sum + Math.max(0, (infoNumber(node.after, field) ?? 0) - (infoNumber(node.before, field) ?? 0)), 0);
}

/** The sum over nodes of a counter's value at the end of the window (since server start). */
export function totalOf(window: StatsWindow, field: string): number {
  return window.nodes.reduce((sum, node) => sum + (infoNumber(node.after, field) ?? 0), 0);
}

/**
 * A window over which counters are compared: INFO stats on every node, a
 * pause of `windowMs`, INFO stats again. Counters since server start say little
 * about now; deltas do. The probe issues no keyed command during the window,
 * so its own traffic does not count. Measured once per run and shared by the
 * checks that need it (hit rate, evictions); a failed measurement is retried.
 */
export function createStatsWindow(nodes: () => readonly RedisNode[], windowMs: number): (signal: AbortSignal) => Promise<StatsWindow> {
  let pending: Promise<StatsWindow> | undefined;
  return (signal) => {
    pending ??= measure(nodes(), windowMs, signal).catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return abortable(pending, signal);
  };
}

async function measure(nodes: readonly RedisNode[], windowMs: number, signal: AbortSignal): Promise<StatsWindow> {
  const read = () => Promise.all(nodes.map(async (node) => parseInfo(await node.client.info('stats'))));
  const started = performance.now();
  const before = await abortable(read(), signal);
  await sleep(windowMs, signal);
  const after = await abortable(read(), signal);
  return {
    ms: roundMs(performance.now() - started),
    nodes: nodes.map((node, index) => ({ address: node.address, role: node.role, before: before[index]!, after: after[index]! })),
  };
}
