import { describeValue } from '../../config/issues.ts';
import type { Check, CheckContext, Outcome } from '../../protocol/types.ts';
import { callHook } from '../call-hook.ts';
import { canonicalJson, sampleKeys } from '../canonical.ts';
import { SYSTEM_CHECKLIST } from '../checklist.ts';
import { deepDiff } from '../deep-diff.ts';
import type { DriftOptions, DriftStore, HookOutcome } from '../types.ts';

/** A key on which a store disagrees with the reference. */
export interface DriftExample {
  key: string;
  /** `missing`: the reference has it, the store not; `extra`: the store has it, the reference not; `differs`: both, unequal. */
  kind: 'missing' | 'extra' | 'differs';
  reference?: unknown;
  store?: unknown;
  /** For `differs`: the fields that differ (`price: 10 in orders-db, 12 in cache`). */
  changes?: string[];
}

/** How one store compares with the reference. */
export interface StoreDrift {
  store: string;
  reference: string;
  subset: boolean;
  /** Keys each side lists. */
  keys: { reference: number; store: number };
  /** Keys compared (a deterministic sample). */
  compared: number;
  missing: number;
  extra: number;
  differing: number;
  /** (missing + extra + differing) / compared; `missing` is not counted for a `subset` store. */
  ratio: number;
  examples: DriftExample[];
}

const DEFAULT_SAMPLE = 1_000;
const SHOWN = 5;

/**
 * `data.sync.drift`: each store against the first (the reference): keys
 * missing, extra (stale) and differing (conflicting values), over a
 * deterministic sample; the share that drifted against `threshold`
 * (above → `fail`, above 0 → `warn`).
 */
export function driftCheck(options: DriftOptions): Check {
  return {
    id: 'data.sync.drift',
    title: `Stores agree with ${options.stores[0]?.name ?? 'the reference'}`,
    checklist: [...SYSTEM_CHECKLIST.drift],
    parallel: true,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    run: (context) => compareStores(options, context),
  };
}

async function compareStores(options: DriftOptions, context: CheckContext): Promise<Outcome> {
  const [reference, ...others] = options.stores as [DriftStore, ...DriftStore[]];
  const bound = () => ({ signal: context.signal, runId: context.runId, timeoutMs: Math.max(1, context.deadline - Date.now()) });
  const listed = await Promise.all(options.stores.map((store) => callHook(store.keys, { ...bound(), label: `drift: keys of ${store.name}` })));
  const failed = firstError(listed);
  if (failed) return failed;
  const keySets = listed.map((outcome) => new Set([...(outcome.ok ? outcome.value : [])].map(String)));
  const size = options.sample ?? DEFAULT_SAMPLE;
  const samples = others.map((store, index) => {
    const candidates = store.subset ? keySets[index + 1]! : new Set([...keySets[0]!, ...keySets[index + 1]!]);
    return sampleKeys(candidates, size);
  });
  const referenceKeys = sampleKeys(new Set(samples.flat()), Number.MAX_SAFE_INTEGER);
  const reads = await Promise.all([
    callHook((hook) => reference.read(referenceKeys, hook), { ...bound(), label: `drift: read of ${reference.name}` }),
    ...others.map((store, index) => callHook((hook) => store.read(samples[index]!, hook), { ...bound(), label: `drift: read of ${store.name}` })),
  ]);
  const readFailed = firstError(reads);
  if (readFailed) return readFailed;
  const values = reads.map((outcome, index) => asMap(outcome.ok ? outcome.value : undefined, options.stores[index]!.name));
  const drifts = others.map((store, index) => compareStore(reference, store, samples[index]!, values[0]!, values[index + 1]!, {
    reference: keySets[0]!.size, store: keySets[index + 1]!.size,
  }));
  for (const drift of drifts) context.metric(`drift.${drift.store}_ratio`, drift.ratio, 'ratio');
  return judge(drifts, options.threshold ?? 0);
}

function compareStore(
  reference: DriftStore, store: DriftStore, keys: readonly string[],
  referenceValues: Map<string, unknown>, storeValues: Map<string, unknown>, counts: StoreDrift['keys'],
): StoreDrift {
  const drift: StoreDrift = {
    store: store.name, reference: reference.name, subset: store.subset ?? false, keys: counts,
    compared: keys.length, missing: 0, extra: 0, differing: 0, ratio: 0, examples: [],
  };
  for (const key of keys) {
    const inReference = referenceValues.has(key);
    const inStore = storeValues.has(key);
    let example: DriftExample | undefined;
    if (inReference && !inStore) {
      if (drift.subset) continue;
      drift.missing += 1;
      example = { key, kind: 'missing', reference: referenceValues.get(key) };
    } else if (!inReference && inStore) {
      drift.extra += 1;
      example = { key, kind: 'extra', store: storeValues.get(key) };
    } else if (inReference && inStore && canonicalJson(referenceValues.get(key)) !== canonicalJson(storeValues.get(key))) {
      drift.differing += 1;
      const changes = deepDiff(referenceValues.get(key), storeValues.get(key), 10)
        .map((change) => `${change.path}: ${show(change.before)} in ${reference.name}, ${show(change.after)} in ${store.name}`);
      example = { key, kind: 'differs', reference: referenceValues.get(key), store: storeValues.get(key), changes };
    }
    if (example && drift.examples.length < SHOWN) drift.examples.push(example);
  }
  const drifted = drift.missing + drift.extra + drift.differing;
  drift.ratio = drift.compared === 0 ? 0 : Math.round((drifted / drift.compared) * 1_000_000) / 1_000_000;
  return drift;
}

function judge(drifts: StoreDrift[], threshold: number): Outcome {
  const evidence = { threshold, stores: drifts };
  const drifted = drifts.filter((drift) => drift.ratio > 0);
  const worst = drifts.reduce((top, drift) => (drift.ratio > top.ratio ? drift : top), drifts[0]!);
  if (drifted.length === 0) {
    const list = drifts.map((drift) => `${drift.store} (${drift.compared} keys)`).join(', ');
    return { status: 'pass', summary: `no drift: ${list} agree with ${worst.reference}`, evidence };
  }
  const parts = drifted.map((drift) => {
    const kinds = [[drift.missing, 'missing'], [drift.extra, 'extra'], [drift.differing, 'differing']]
      .filter(([count]) => (count as number) > 0).map(([count, kind]) => `${count} ${kind}`).join(', ');
    const first = drift.examples[0];
    const example = first ? `; first: key ${first.key} ${first.kind === 'differs' ? first.changes![0] ?? 'differs' : first.kind}` : '';
    return `${drift.store} drifted on ${percent(drift.ratio)} of ${drift.compared} keys (${kinds}${example})`;
  });
  const over = worst.ratio > threshold;
  const limit = over ? `> ${percent(threshold)} allowed` : `within the ${percent(threshold)} allowed`;
  return { status: over ? 'fail' : 'warn', summary: `drift against ${worst.reference}: ${parts.join('; ')} — ${limit}`, evidence };
}

function firstError(outcomes: readonly HookOutcome<unknown>[]): Outcome | undefined {
  const failed = outcomes.find((outcome) => !outcome.ok);
  if (!failed || failed.ok) return undefined;
  return { status: 'error', summary: failed.error.message, error: failed.error };
}

function asMap(value: unknown, store: string): Map<string, unknown> {
  if (value instanceof Map) return new Map([...value].map(([key, item]) => [String(key), item]));
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return new Map(Object.entries(value));
  throw new TypeError(`drift: read of ${store} returned ${describeValue(value)}; expected a Map (or object) of key → value`);
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10}%`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
