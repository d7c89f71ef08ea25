import { keyspaceOf, parseInfo, percent } from '../info.ts';
import { prefixPatterns, sampleKeys } from '../scan.ts';
import { abortable, displayKey, listOf, shellQuote } from '../util.ts';
import { ITEM, type CacheCheck } from './shared.ts';

/** PTTL calls in flight at once. */
const BATCH = 100;
/** Keys without TTL listed in the evidence. */
const EXAMPLES = 10;

/**
 * `cache.strategy.ttl-coverage`: a bounded SCAN sample of the application's
 * cache keys (`keyPrefix`; never KEYS), and PTTL of each: a cache key without
 * a TTL (PTTL -1) lives until evicted — stale forever if the source changes.
 * Fails above `noTtlRatio` when `keyPrefix` names the cache keys; without it
 * the whole keyspace is sampled and the finding only warns (the sample may
 * hold keys that are meant to persist).
 */
export const ttlCoverageCheck: CacheCheck = {
  id: 'cache.strategy.ttl-coverage',
  title: 'Sampled cache keys carry a TTL',
  checklist: [ITEM.cachingLogic, ITEM.expiration],
  async run({ resources, signal }) {
    const { deployment, options } = resources;
    if (options.use === 'store') {
      return { status: 'skip', summary: 'use: store — keys without a TTL are expected', reason: 'declared use is `store`: persistent keys are expected' };
    }
    const masters = deployment.shards.map((shard) => shard.master);
    const bounds = { count: options.sample.scanCount, maxKeys: options.sample.maxKeys, timeMs: options.sample.scanTimeMs };
    const sample = await sampleKeys(masters, prefixPatterns(options.keyPrefix), bounds, options.probeKeyPrefix, signal);
    const ttls: number[] = [];
    for (let start = 0; start < sample.keys.length; start += BATCH) {
      const batch = sample.keys.slice(start, start + BATCH);
      ttls.push(...(await abortable(Promise.all(batch.map(({ node, key }) => node.client.pttl(key))), signal)));
    }
    const live = sample.keys.filter((_, index) => ttls[index] !== -2);
    const without = sample.keys.filter((_, index) => ttls[index] === -1).map(({ key }) => displayKey(key));
    const keyspace = (await abortable(Promise.all(masters.map(async (master) => keyspaceOf(parseInfo(await master.client.info('keyspace'))))), signal)).flat();
    const cli = resources.cli([]);
    const evidence = {
      patterns: sample.patterns,
      sampled: live.length,
      withoutTtl: without.length,
      examples: without.slice(0, EXAMPLES),
      sampleComplete: sample.complete,
      scanCalls: sample.calls,
      keyspace,
      repro: `${cli} --scan --pattern ${shellQuote(sample.patterns[0]!)} | head -${options.sample.maxKeys} | while read -r k; do printf '%s %s\\n' "$k" "$(${cli} PTTL "$k")"; done | grep -- ' -1$'`,
    };
    if (live.length === 0) {
      return { status: 'skip', summary: `no keys matched ${sample.patterns.join(', ')}`, reason: `nothing to judge: no keys under ${sample.patterns.join(', ')}`, evidence };
    }
    const ratio = without.length / live.length;
    const metrics = [{ name: 'cache.keys_without_ttl_ratio', value: ratio, unit: 'ratio' }];
    const scope = options.keyPrefix === undefined ? 'sampled keys (whole keyspace; set keyPrefix to judge cache keys only)' : `sampled keys under ${sample.patterns.join(', ')}`;
    if (ratio > options.thresholds.noTtlRatio) {
      const summary = `${without.length} of ${live.length} ${scope} have no TTL (${percent(ratio)}): ${listOf(without)}`;
      return { status: options.keyPrefix === undefined ? 'warn' : 'fail', summary, evidence, metrics };
    }
    return { status: 'pass', summary: `${live.length} ${scope}: ${without.length === 0 ? 'all' : `${percent(1 - ratio)}`} carry a TTL`, evidence, metrics };
  },
};
