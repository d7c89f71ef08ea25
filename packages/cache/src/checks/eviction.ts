import { formatBytes, infoNumber, keyspaceOf, parseInfo, percent } from '../info.ts';
import { deltaOf, totalOf } from '../stats-window.ts';
import { abortable } from '../util.ts';
import { ITEM, verdictOf, type CacheCheck, type Finding } from './shared.ts';

/** Below this share of keys with a TTL, a volatile-* policy has little it may evict. */
const VOLATILE_MIN_EXPIRES = 0.5;

/** What {@link judgeEviction} looks at, for one master. */
export interface EvictionFacts {
  use: 'cache' | 'store';
  policy: string;
  maxmemory: number;
  used: number;
  keys: number;
  expires: number;
  /** Keys evicted during the window. */
  evicted: number;
  windowMs: number;
  /** used/maxmemory at or above this is "near the limit". */
  nearLimit: number;
}

/**
 * Is the eviction policy sane for what the server is used for?
 * - cache: no maxmemory warns (it grows until the host runs out); `noeviction`
 *   warns, and fails near the limit (writes are about to get OOM errors);
 *   `volatile-*` warns when most keys have no TTL (it acts like noeviction for
 *   them); evictions during the window warn (capacity pressure).
 * - store: any evicting policy with maxmemory set fails (data would be lost), as
 *   do evictions; `noeviction` near the limit fails.
 */
export function judgeEviction(facts: EvictionFacts): Finding[] {
  const { use, policy, maxmemory, used, keys, expires, evicted, windowMs, nearLimit } = facts;
  const findings: Finding[] = [];
  const ratio = maxmemory > 0 ? used / maxmemory : 0;
  if (maxmemory === 0) {
    if (use === 'cache') findings.push({ status: 'warn', text: `no maxmemory: the cache grows until the host runs out of memory and never evicts (policy ${policy}); set maxmemory with allkeys-lru or allkeys-lfu` });
    else findings.push({ status: 'pass', text: 'no maxmemory: nothing is ever evicted' });
  } else if (policy === 'noeviction') {
    if (ratio >= nearLimit) findings.push({ status: 'fail', text: `used ${percent(ratio)} of maxmemory ${formatBytes(maxmemory)} under noeviction: writes are about to fail with OOM` });
    else if (use === 'cache') findings.push({ status: 'warn', text: `maxmemory-policy noeviction on a cache: when full, writes fail with OOM instead of evicting (used ${percent(ratio)}); allkeys-lru is the usual choice` });
    else findings.push({ status: 'pass', text: `noeviction with ${formatBytes(maxmemory)} maxmemory (used ${percent(ratio)})` });
  } else if (use === 'store') {
    findings.push({ status: 'fail', text: `maxmemory-policy ${policy} evicts data when ${formatBytes(maxmemory)} is reached; a store must not lose keys: use noeviction` });
  } else if (policy.startsWith('volatile-') && keys > 0 && expires / keys < VOLATILE_MIN_EXPIRES) {
    findings.push({ status: 'warn', text: `maxmemory-policy ${policy} only evicts keys with a TTL, and only ${percent(expires / keys)} of keys have one: for the rest it acts like noeviction` });
  } else {
    findings.push({ status: 'pass', text: `maxmemory-policy ${policy} with ${formatBytes(maxmemory)} maxmemory (used ${percent(ratio)})` });
  }
  if (evicted > 0) {
    findings.push({
      status: use === 'store' ? 'fail' : 'warn',
      text: `${evicted} keys evicted in ${Math.round(windowMs)} ms: ${use === 'store' ? 'data is being lost' : 'capacity pressure (the working set does not fit)'}`,
    });
  }
  return findings;
}

/**
 * `cache.strategy.eviction`: maxmemory-policy against the declared use
 * (`use: 'cache' | 'store'`), memory headroom under noeviction, and the growth
 * of evicted_keys over the shared sampling window. Reads INFO only (no CONFIG).
 */
export const evictionCheck: CacheCheck = {
  id: 'cache.strategy.eviction',
  title: 'The eviction policy fits the declared use, and nothing is being evicted',
  checklist: [ITEM.eviction, ITEM.efficiency],
  async run({ resources, signal }) {
    const { deployment, options } = resources;
    const window = await resources.statsWindow(signal);
    const masters = deployment.shards.map((shard) => shard.master);
    const infos = await abortable(Promise.all(masters.map(async (master) => parseInfo(`${await master.client.info('memory')}\n${await master.client.info('keyspace')}`))), signal);
    const nodes = masters.map((master, index) => {
      const info = infos[index]!;
      const keyspace = keyspaceOf(info);
      const evicted = window.nodes.find((node) => node.address === master.address);
      const facts: EvictionFacts = {
        use: options.use,
        policy: info.maxmemory_policy ?? 'unknown',
        maxmemory: infoNumber(info, 'maxmemory') ?? 0,
        used: infoNumber(info, 'used_memory') ?? 0,
        keys: keyspace.reduce((sum, db) => sum + db.keys, 0),
        expires: keyspace.reduce((sum, db) => sum + db.expires, 0),
        evicted: evicted ? Math.max(0, (infoNumber(evicted.after, 'evicted_keys') ?? 0) - (infoNumber(evicted.before, 'evicted_keys') ?? 0)) : 0,
        windowMs: window.ms,
        nearLimit: options.thresholds.memoryFailRatio,
      };
      return { address: master.address, facts, findings: judgeEviction(facts) };
    });
    const findings = nodes.flatMap((node) => node.findings.map((finding) => ({ ...finding, text: masters.length > 1 ? `${node.address}: ${finding.text}` : finding.text })));
    const { status, summary } = verdictOf(findings);
    const evictedInWindow = deltaOf(window, 'evicted_keys');
    return {
      status,
      summary,
      evidence: {
        use: options.use,
        nodes: nodes.map((node) => ({ address: node.address, ...node.facts })),
        evictedKeysSinceStart: totalOf(window, 'evicted_keys'),
        findings: findings.map((finding) => `${finding.status}: ${finding.text}`),
        repro: `${resources.cli(['INFO', 'memory'])} | grep -E 'maxmemory|used_memory:' && ${resources.cli(['INFO', 'stats'])} | grep evicted_keys`,
      },
      metrics: [{ name: 'cache.evicted_keys', value: evictedInWindow, unit: 'count' }],
    };
  },
};
