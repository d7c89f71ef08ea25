import { nodesOf } from '../deployment.ts';
import { formatBytes, infoNumber, parseInfo, percent, pick, type Info } from '../info.ts';
import type { Thresholds } from '../options.ts';
import type { CacheResources } from '../resources.ts';
import { prefixPatterns, sampleKeys } from '../scan.ts';
import { abortable, displayKey } from '../util.ts';
import { ITEM, verdictOf, type CacheCheck, type Finding } from './shared.ts';

/** Fragmentation ratios say little below this much used memory (MEMORY DOCTOR's own floor). */
const FRAGMENTATION_MIN_USED = 5 * 1_024 * 1_024;
/** Largest keys listed in the evidence. */
const TOP_KEYS = 10;
/** MEMORY USAGE calls in flight at once. */
const BATCH = 100;

/**
 * Judge one node's INFO memory: used vs maxmemory (or vs system memory when
 * maxmemory is 0), and fragmentation: `mem_fragmentation_ratio` above the
 * threshold warns; below 1 means part of Redis was swapped out (fails). Both
 * ratios are judged only above 5 MiB used.
 */
export function judgeMemory(info: Info, thresholds: Pick<Thresholds, 'memoryWarnRatio' | 'memoryFailRatio' | 'fragmentationWarn'>): Finding[] {
  const used = infoNumber(info, 'used_memory') ?? 0;
  const max = infoNumber(info, 'maxmemory') ?? 0;
  const system = infoNumber(info, 'total_system_memory') ?? 0;
  const findings: Finding[] = [];
  const limit = max > 0 ? max : system;
  if (limit > 0) {
    const ratio = used / limit;
    const of = max > 0 ? 'maxmemory' : 'system memory (no maxmemory set)';
    const text = `used ${formatBytes(used)} of ${formatBytes(limit)} ${of} (${percent(ratio)})`;
    findings.push({ status: ratio >= thresholds.memoryFailRatio ? 'fail' : ratio >= thresholds.memoryWarnRatio ? 'warn' : 'pass', text });
  }
  const fragmentation = infoNumber(info, 'mem_fragmentation_ratio');
  if (fragmentation !== undefined && used >= FRAGMENTATION_MIN_USED) {
    const rss = formatBytes(infoNumber(info, 'used_memory_rss') ?? 0);
    if (fragmentation < 1) findings.push({ status: 'fail', text: `RSS ${rss} is below used memory ${formatBytes(used)} (fragmentation ratio ${fragmentation}): part of Redis is swapped out; expect latency` });
    else if (fragmentation > thresholds.fragmentationWarn) findings.push({ status: 'warn', text: `fragmentation ratio ${fragmentation} (RSS ${rss} for ${formatBytes(used)} used; allocator_frag_ratio ${info.allocator_frag_ratio ?? '?'}): consider activedefrag` });
    else findings.push({ status: 'pass', text: `fragmentation ratio ${fragmentation}` });
  }
  return findings;
}

/**
 * `cache.strategy.memory`: every node's used memory against its limit and its
 * fragmentation, plus the largest keys of a bounded SCAN sample (MEMORY USAGE
 * … SAMPLES 5, never KEYS); keys above `bigKeyBytes` warn.
 */
export const memoryCheck: CacheCheck = {
  id: 'cache.strategy.memory',
  title: 'Used memory is under its limit, fragmentation is sane, and no sampled key is oversized',
  checklist: [ITEM.memory, ITEM.efficiency],
  async run({ resources, signal }) {
    const { deployment, options } = resources;
    const nodes = nodesOf(deployment);
    const infos = await abortable(Promise.all(nodes.map(async (node) => parseInfo(await node.client.info('memory')))), signal);
    const findings = nodes.flatMap((node, index) => judgeMemory(infos[index]!, options.thresholds).map((finding) => ({ ...finding, text: `${node.address}: ${finding.text}` })));

    const largest = await largestKeys(resources, signal);
    const big = largest.keys.filter((key) => key.bytes >= options.thresholds.bigKeyBytes);
    if (big.length > 0) {
      findings.push({ status: 'warn', text: `${big.length} sampled keys are above ${formatBytes(options.thresholds.bigKeyBytes)}: ${big.slice(0, 3).map((key) => `${key.key} (${formatBytes(key.bytes)})`).join(', ')}` });
    }
    const verdict = verdictOf(findings);
    const evidence = {
      nodes: nodes.map((node, index) => ({
        address: node.address, role: node.role,
        ...pick(infos[index]!, ['used_memory_human', 'used_memory_rss_human', 'used_memory_peak_human', 'maxmemory_human', 'maxmemory_policy', 'mem_fragmentation_ratio', 'allocator_frag_ratio', 'total_system_memory_human']),
      })),
      findings: findings.map((finding) => `${finding.status}: ${finding.text}`),
      largestKeys: largest.keys,
      sample: largest.sample,
      repro: `${resources.cli(['INFO', 'memory'])} && ${resources.cli(['--memkeys', '--memkeys-samples', 5])}`,
    };
    const used = infos.reduce((sum, info) => sum + (infoNumber(info, 'used_memory') ?? 0), 0);
    const metrics = [
      { name: 'cache.memory.used_bytes', value: used, unit: 'bytes' },
      ...(largest.keys[0] ? [{ name: 'cache.memory.largest_key_bytes', value: largest.keys[0].bytes, unit: 'bytes' }] : []),
    ];
    const top = verdict.status === 'pass' && largest.keys[0] ? `; largest sampled key ${largest.keys[0].key} (${formatBytes(largest.keys[0].bytes)})` : '';
    return { status: verdict.status, summary: `${verdict.summary}${top}`, evidence, metrics };
  },
};

async function largestKeys({ deployment, options }: CacheResources, signal: AbortSignal) {
  const bounds = { count: options.sample.scanCount, maxKeys: options.sample.maxKeys, timeMs: options.sample.scanTimeMs };
  const masters = deployment.shards.map((shard) => shard.master);
  const sample = await sampleKeys(masters, prefixPatterns(options.keyPrefix), bounds, options.probeKeyPrefix, signal);
  const sized: { key: string; bytes: number; node: string }[] = [];
  for (let start = 0; start < sample.keys.length; start += BATCH) {
    const batch = sample.keys.slice(start, start + BATCH);
    const sizes = await abortable(Promise.all(batch.map(({ node, key }) => node.client.call('MEMORY', 'USAGE', key, 'SAMPLES', '5') as Promise<number | null>)), signal);
    batch.forEach(({ node, key }, index) => {
      if (sizes[index] !== null && sizes[index] !== undefined) sized.push({ key: displayKey(key), bytes: Number(sizes[index]), node: node.address });
    });
  }
  sized.sort((a, b) => b.bytes - a.bytes);
  return {
    keys: sized.slice(0, TOP_KEYS),
    sample: { keys: sample.keys.length, complete: sample.complete, scanCalls: sample.calls, patterns: sample.patterns, elapsedMs: sample.elapsedMs },
  };
}
