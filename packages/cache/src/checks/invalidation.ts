import { createHash } from 'node:crypto';
import { performAction } from '../action.ts';
import type { InvalidationScenario } from '../options.ts';
import type { CacheResources } from '../resources.ts';
import { sampleKeys } from '../scan.ts';
import { abortable, displayKey, roundMs, sleep } from '../util.ts';
import { ITEM, type CacheCheck } from './shared.ts';

/** Interval of the polls after the action. */
const POLL_MS = 10;

interface ScenarioReport {
  target: string;
  expect: 'deleted' | 'updated';
  outcome: 'invalidated' | 'not-invalidated' | 'action-failed' | 'not-cached';
  detail: string;
  keys?: number;
  action?: string;
  invalidatedAfterMs?: number;
  repro?: string;
}

/** Key → digest of its DUMP (null when the key does not exist). */
type KeyState = Map<string, string | null>;

/**
 * `cache.ops.invalidation`: for each configured scenario, optionally prime the
 * cache, read the key (or every key the pattern matches), perform the action
 * (an HTTP request or a function), then poll until the key is deleted (or its
 * value changed) — within `windowMs` of the action's start. Reports how long
 * invalidation took.
 */
export const invalidationCheck: CacheCheck = {
  id: 'cache.ops.invalidation',
  title: 'The configured action invalidates (deletes or refreshes) the cached key within a window',
  checklist: [ITEM.invalidation, ITEM.updates, ITEM.cachingLogic],
  writes: true,
  async run(context) {
    const scenarios = context.resources.options.invalidation;
    if (!scenarios) {
      return { status: 'skip', summary: 'no invalidation configured', reason: 'not configured: set `invalidation` to an action (HTTP request or function) and the key it must invalidate' };
    }
    const reports: ScenarioReport[] = [];
    for (const scenario of Array.isArray(scenarios) ? scenarios : [scenarios]) reports.push(await runScenario(scenario, context));
    const failed = reports.filter((report) => report.outcome === 'not-invalidated' || report.outcome === 'action-failed');
    const done = reports.filter((report) => report.outcome === 'invalidated');
    const metrics = done.map((report) => ({ name: 'cache.invalidation_ms', value: report.invalidatedAfterMs!, unit: 'ms' }));
    if (failed.length > 0) {
      return { status: 'fail', summary: `${failed.length} of ${reports.length} invalidations failed: ${failed[0]!.target} ${failed[0]!.detail}`, evidence: { scenarios: reports }, metrics };
    }
    if (done.length === 0) {
      return { status: 'skip', summary: `nothing to invalidate: ${reports[0]!.detail}`, reason: `precondition not met: ${reports[0]!.detail}; add a \`prime\` action that caches it`, evidence: { scenarios: reports } };
    }
    const slowest = Math.max(...done.map((report) => report.invalidatedAfterMs!));
    return { status: 'pass', summary: `${done.length} of ${reports.length} invalidations took effect (slowest ${slowest} ms)`, evidence: { scenarios: reports }, metrics };
  },
};

async function runScenario(scenario: InvalidationScenario, { resources, signal, redact }: Parameters<CacheCheck['run']>[0]): Promise<ScenarioReport> {
  const target = scenario.key ?? scenario.pattern!;
  const base = { target, expect: scenario.expect };
  if (scenario.prime) {
    const primed = await performAction(scenario.prime, signal, redact);
    if (!primed.ok) return { ...base, outcome: 'action-failed', detail: `prime failed: ${primed.problem}`, action: primed.description, ...(primed.repro ? { repro: primed.repro } : {}) };
  }
  const before = await readState(resources, scenario, signal);
  const cached = [...before.values()].filter((digest) => digest !== null).length;
  if (cached === 0) return { ...base, outcome: 'not-cached', detail: `${target} was not cached before the action` };

  const started = performance.now();
  const action = await performAction(scenario.action, signal, redact);
  const repro = [action.repro, resources.cli(scenario.key ? ['EXISTS', scenario.key] : ['--scan', '--pattern', scenario.pattern!])].filter(Boolean).join(' && ');
  if (!action.ok) return { ...base, outcome: 'action-failed', detail: `the action failed: ${action.problem}`, action: action.description, keys: cached, repro };
  for (;;) {
    const now = await readState(resources, scenario, signal, before);
    if (invalidated(before, now, scenario.expect)) {
      const after = roundMs(performance.now() - started);
      return { ...base, outcome: 'invalidated', detail: `${scenario.expect} after ${after} ms`, action: action.description, keys: cached, invalidatedAfterMs: after };
    }
    if (performance.now() - started > scenario.windowMs) {
      const left = [...now.entries()].filter(([key, digest]) => digest !== null && (scenario.expect === 'deleted' || digest === before.get(key))).map(([key]) => key);
      return {
        ...base, outcome: 'not-invalidated', action: action.description, keys: cached, repro,
        detail: `was not ${scenario.expect} within ${scenario.windowMs} ms of the action (${left.length} of ${cached} keys unchanged: ${left.slice(0, 3).join(', ')})`,
      };
    }
    await sleep(POLL_MS, signal);
  }
}

/** The key's (or the pattern's keys') current DUMP digests; with `known`, the same keys are re-read. */
async function readState({ deployment, options, keys }: CacheResources, scenario: InvalidationScenario, signal: AbortSignal, known?: KeyState): Promise<KeyState> {
  let names: string[];
  if (known) names = [...known.keys()];
  else if (scenario.key) names = [scenario.key];
  else {
    const bounds = { count: options.sample.scanCount, maxKeys: options.sample.maxKeys, timeMs: options.sample.scanTimeMs };
    const sample = await sampleKeys(deployment.shards.map((shard) => shard.master), [scenario.pattern!], bounds, keys.prefix, signal);
    names = sample.keys.map((sampled) => displayKey(sampled.key));
  }
  const dumps = await abortable(Promise.all(names.map((name) => deployment.client.dumpBuffer(name))), signal);
  return new Map(names.map((name, index) => [name, dumps[index] ? createHash('sha256').update(dumps[index]!).digest('hex') : null]));
}

function invalidated(before: KeyState, now: KeyState, expect: 'deleted' | 'updated'): boolean {
  for (const [key, digest] of before) {
    if (digest === null) continue;
    const current = now.get(key) ?? null;
    if (expect === 'deleted' ? current !== null : current === null || current === digest) return false;
  }
  return true;
}
