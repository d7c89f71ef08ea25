import { isDeepStrictEqual } from 'node:util';
import { ProbeErrorCode, messageOf } from '@probe/core';
import type { RedisNode } from '../deployment.ts';
import { percent } from '../info.ts';
import type { CachedValue, SourceMapping } from '../options.ts';
import type { CacheResources } from '../resources.ts';
import { sampleKeys } from '../scan.ts';
import { abortable, displayKey, truncate } from '../util.ts';
import { ITEM, type CacheCheck } from './shared.ts';

/** Stale examples listed in the evidence. */
const EXAMPLES = 5;

interface StaleExample {
  key: string;
  cached: string;
  source: string;
  why: string;
}

interface MappingReport {
  pattern: string;
  compared: number;
  stale: number;
  /** Entries of a type the default comparison does not read (lists, sets, …). */
  unsupported: number;
  /** Loader errors (the entry is not counted). */
  errors: string[];
  examples: StaleExample[];
}

/**
 * `cache.consistency.staleness`: for each `sourceOfTruth` mapping, sample up to
 * `staleKeys` cached entries matching the pattern (bounded SCAN), read each
 * (GET for strings, HGETALL for hashes), load the same key from the source,
 * and compare. An entry whose source record is gone counts as stale. Fails
 * when the stale share is above `staleRatio`; lists examples.
 */
export const stalenessCheck: CacheCheck = {
  id: 'cache.consistency.staleness',
  title: 'Sampled cache entries match their source of truth',
  checklist: [ITEM.staleness, ITEM.updates, ITEM.integrity],
  async run({ resources, signal, redact }) {
    const mappings = resources.options.sourceOfTruth;
    if (!mappings) {
      return { status: 'skip', summary: 'no sourceOfTruth configured', reason: 'not configured: set `sourceOfTruth` to key patterns and a loader (a SQL query via sqlSource, or a function)' };
    }
    const reports: MappingReport[] = [];
    for (const mapping of mappings) reports.push(await compareMapping(resources, mapping, signal, redact));
    const compared = reports.reduce((sum, report) => sum + report.compared, 0);
    const stale = reports.reduce((sum, report) => sum + report.stale, 0);
    const examples = reports.flatMap((report) => report.examples);
    const evidence = {
      mappings: reports,
      repro: examples[0] ? resources.cli(['GET', examples[0].key]) : undefined,
    };
    if (compared === 0) {
      const errors = reports.flatMap((report) => report.errors);
      if (errors.length > 0) return { status: 'error', summary: `the source of truth failed for every sampled entry: ${errors[0]}`, error: { code: ProbeErrorCode.CONFIG, message: `the sourceOfTruth loader failed: ${errors[0]!}` }, evidence };
      return { status: 'skip', summary: `no cached entries matched ${mappings.map((mapping) => mapping.pattern).join(', ')}`, reason: 'nothing to compare: no cached entries matched the patterns', evidence };
    }
    const ratio = stale / compared;
    const metrics = [{ name: 'cache.stale_ratio', value: ratio, unit: 'ratio' }];
    if (ratio > resources.options.thresholds.staleRatio) {
      const first = examples[0]!;
      return { status: 'fail', summary: `${stale} of ${compared} sampled entries are stale (${percent(ratio)}): ${first.key} ${first.why}`, evidence, metrics };
    }
    return { status: 'pass', summary: `${compared} sampled entries match their source${stale > 0 ? ` (${stale} stale, within ${percent(resources.options.thresholds.staleRatio)})` : ''}`, evidence, metrics };
  },
};

async function compareMapping({ deployment, options }: CacheResources, mapping: SourceMapping, signal: AbortSignal, redact: (text: string) => string): Promise<MappingReport> {
  const masters = deployment.shards.map((shard) => shard.master);
  const maxKeys = mapping.maxKeys ?? options.sample.staleKeys;
  const sample = await sampleKeys(masters, [mapping.pattern], { count: options.sample.scanCount, maxKeys, timeMs: options.sample.scanTimeMs }, options.probeKeyPrefix, signal);
  const report: MappingReport = { pattern: mapping.pattern, compared: 0, stale: 0, unsupported: 0, errors: [], examples: [] };
  for (const { node, key } of sample.keys) {
    const name = displayKey(key);
    const cached = await readCached(node, key, signal);
    if (cached === undefined) continue;
    if (cached === 'unsupported') {
      report.unsupported += 1;
      continue;
    }
    let source: unknown;
    try {
      source = await abortable(Promise.resolve(mapping.load(name, { signal })), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      if (report.errors.length < EXAMPLES) report.errors.push(redact(`${name}: ${messageOf(error)}`));
      continue;
    }
    report.compared += 1;
    const why = source === null || source === undefined
      ? 'is cached but its source record is gone'
      : (mapping.compare ? !mapping.compare(cached, source) : !matches(cached, source)) ? 'differs from its source' : undefined;
    if (!why) continue;
    report.stale += 1;
    if (report.examples.length < EXAMPLES) report.examples.push({ key: name, cached: redact(truncate(show(cached))), source: redact(truncate(show(source))), why });
  }
  return report;
}

/** A string's text or a hash's fields; undefined when the key is gone; 'unsupported' for other types. */
async function readCached(node: RedisNode, key: Buffer, signal: AbortSignal): Promise<CachedValue | 'unsupported' | undefined> {
  const type = await abortable(node.client.type(key), signal);
  if (type === 'string') return (await abortable(node.client.get(key), signal)) ?? undefined;
  if (type === 'hash') {
    const fields = await abortable(node.client.hgetall(key), signal);
    return Object.keys(fields).length > 0 ? fields : undefined;
  }
  return type === 'none' ? undefined : 'unsupported';
}

/**
 * The default comparison: a string source equals the cached text; a number or
 * boolean its text; an object (a row) equals a cached hash field by field, or
 * cached JSON — both after a JSON round trip, so dates compare as ISO text.
 */
export function matches(cached: CachedValue, source: unknown): boolean {
  if (Buffer.isBuffer(source)) return typeof cached === 'string' && Buffer.from(cached).equals(source);
  if (typeof source !== 'object' || source === null) return typeof cached === 'string' && cached === String(source);
  const plain = JSON.parse(JSON.stringify(source)) as Record<string, unknown>;
  if (typeof cached !== 'string') {
    return isDeepStrictEqual(cached, Object.fromEntries(Object.entries(plain).map(([field, value]) => [field, typeof value === 'string' ? value : JSON.stringify(value)])));
  }
  try {
    return isDeepStrictEqual(JSON.parse(cached), plain);
  } catch {
    return false;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
