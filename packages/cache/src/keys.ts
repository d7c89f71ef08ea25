import type { Cluster, Redis } from 'ioredis';
import { ProbeError, ProbeErrorCode } from '@probe/core';
import { escapeGlob } from './util.ts';

/** Every key the probe writes expires within this, even if teardown never runs (kill -9). */
export const SAFETY_TTL_MS = 60_000;

/** A connection the probe writes through. */
export type Writer = Redis | Cluster;

/**
 * The probe's own keys: all under `<probeKeyPrefix><runId>:`, each claimed
 * before it is written and removed in teardown.
 */
export interface ProbeKeys {
  /** `probe:<runId>:`. */
  readonly prefix: string;
  /** `probe:<runId>:<suffix>`. */
  name(suffix: string): string;
  /**
   * Call right before writing `key` through `writer`: refuses once teardown has
   * begun or the check was aborted, and remembers the key and its connection,
   * so teardown deletes it on that same connection, after the write (Redis
   * answers one connection's commands in order).
   */
  claim(writer: Writer, key: string, signal: AbortSignal): void;
  /** Teardown: refuse new claims, UNLINK every claimed key, then sweep the prefix on every master. Returns the keys removed. */
  release(masters: readonly Redis[]): Promise<number>;
}

/** Create the key registry of one run. */
export function createProbeKeys(base: string, runId: string): ProbeKeys {
  const prefix = `${base}${runId}:`;
  const claimed = new Map<Writer, Set<string>>();
  let closing = false;
  return {
    prefix,
    name: (suffix) => `${prefix}${suffix}`,
    claim(writer, key, signal) {
      if (closing) throw new ProbeError(ProbeErrorCode.ABORTED, 'the probe is tearing down; no more writes');
      if (signal.aborted) throw signal.reason;
      if (!key.startsWith(prefix)) throw new Error(`refusing to write ${key}: not under the probe's prefix ${prefix}`);
      let keys = claimed.get(writer);
      if (!keys) claimed.set(writer, (keys = new Set()));
      keys.add(key);
    },
    async release(masters) {
      closing = true;
      let removed = 0;
      for (const [writer, keys] of claimed) {
        // A key whose UNLINK fails (a cluster slot that is down) is left to the sweep below.
        const replies = await Promise.allSettled([...keys].map((key) => writer.unlink(key)));
        for (const reply of replies) if (reply.status === 'fulfilled') removed += reply.value;
      }
      for (const master of masters) removed += await sweep(master, `${escapeGlob(prefix)}*`);
      return removed;
    },
  };
}

/** Bound on the sweep of one node: on a huge keyspace it stops early, and the keys' TTL does the rest. */
const SWEEP_TIME_MS = 2_000;

/** UNLINK every key matching `match` on one node (bounded in time). */
async function sweep(node: Redis, match: string): Promise<number> {
  const deadline = Date.now() + SWEEP_TIME_MS;
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await node.scanBuffer(cursor, 'MATCH', match, 'COUNT', 1_000);
    cursor = next.toString();
    if (keys.length > 0) removed += await node.unlink(...keys);
  } while (cursor !== '0' && Date.now() < deadline);
  return removed;
}

/**
 * `SET key value PX ttl` on a probe-owned key: claimed and sent in the same
 * tick, so teardown's UNLINK on that connection always comes after it.
 */
export function setOwned(keys: ProbeKeys, writer: Writer, key: string, value: string | Buffer, signal: AbortSignal, ttlMs = SAFETY_TTL_MS): Promise<'OK' | null> {
  keys.claim(writer, key, signal);
  return writer.set(key, value, 'PX', Math.min(ttlMs, SAFETY_TTL_MS));
}
