/** `load(fn, options)`: the load probe of any async function (a query, a cache GET, a produce). */
import { describeValue, parseOptions, type Probe } from '@probe/core';
import { createFunctionDriver, type LoadFunction } from './function-driver.ts';
import { createLoadProbe } from './load-probe.ts';
import { loadSchema, planLoad } from './options.ts';
import type { LoadSession } from './session.ts';
import type { LoadOptions } from './types.ts';

/**
 * A probe that calls `fn` under the declared load (`connections` concurrent calls, or a `rate`) and judges it
 * with the same checks as `httpLoad`. It is marked as writing (skipped under --read-only) unless `writes: false`.
 */
export function load(fn: LoadFunction, options: LoadOptions = {}): Probe<LoadSession> {
  const input = (options ?? {}) as Partial<LoadOptions>;
  const name = input.name ?? 'load';
  const target = { kind: input.kind ?? 'load', name, ...(typeof input.url === 'string' ? { url: input.url } : {}) };
  if (typeof fn !== 'function') return { target, checks: [], issues: [{ path: 'fn', message: `expected a function to put under load, got ${describeValue(fn)}` }] };
  const parsed = parseOptions(loadSchema, options);
  if (!parsed.ok) return { target, checks: [], issues: parsed.issues };
  const value = parsed.value as LoadOptions;
  const plan = planLoad(value);
  return createLoadProbe({
    target,
    spec: { name, options: value, plan, makeDriver: (connections) => createFunctionDriver({ fn, concurrency: connections, check: value.check, label: name }) },
    checklist: value.checklist ?? [],
    writes: value.writes ?? true,
    secrets: [],
  });
}
