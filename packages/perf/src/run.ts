/** Run a load without the probe runner: for scripts, benchmarks and other packages' throughput checks. */
import { ProbeError, ProbeErrorCode, formatIssues, parseOptions } from '@probe/core';
import type { Driver } from './engine/driver.ts';
import { runEngine, type Progress } from './engine/engine.ts';
import type { LoadResult } from './engine/result.ts';
import { createFunctionDriver, type LoadFunction } from './function-driver.ts';
import { httpDriver, httpTarget } from './http/target.ts';
import { httpLoadSchema, loadSchema, planLoad, type LoadPlan } from './options.ts';
import type { HttpLoadOptions, LoadOptions } from './types.ts';

/** What a caller may hand a run besides its options. */
export interface RunHooks {
  /** Aborting it stops the load at once (connections closed) and rejects. */
  signal?: AbortSignal;
  /** Called once a second with the second just measured. */
  onProgress?: (progress: Progress) => void;
}

/** Run the load `httpLoad(options)` declares and resolve with what it measured. Throws PROBE_ERR_CONFIG / PROBE_ERR_UNREACHABLE. */
export async function runHttpLoad(options: HttpLoadOptions, hooks: RunHooks = {}): Promise<LoadResult> {
  const value = validated(httpLoadSchema, options) as HttpLoadOptions;
  const target = httpTarget(value);
  const plan = planLoad(value);
  return drive(httpDriver(target, value, plan.connections, connectTimeoutMs(plan)), plan, withProgress(hooks, value.progress));
}

/** Put `fn` under the load `options` declares (`connections` concurrent calls, or a `rate`). */
export async function runLoad(fn: LoadFunction, options: LoadOptions = {}, hooks: RunHooks = {}): Promise<LoadResult> {
  if (typeof fn !== 'function') throw new ProbeError(ProbeErrorCode.CONFIG, 'load: expected a function to put under load');
  const value = validated(loadSchema, options) as LoadOptions;
  const plan = planLoad(value);
  return drive(createFunctionDriver({ fn, concurrency: plan.connections, check: value.check, label: value.name ?? 'the load function' }), plan, withProgress(hooks, value.progress));
}

/** Outside the runner there is no check logger: a `progress` function is called, `log` and `off` print nothing. */
function withProgress(hooks: RunHooks, progress: LoadOptions['progress']): RunHooks {
  return hooks.onProgress || typeof progress !== 'function' ? hooks : { ...hooks, onProgress: progress };
}

/** Open the driver, run the plan on it, close it whatever happens. */
export async function drive(driver: Driver, plan: LoadPlan, hooks: RunHooks): Promise<LoadResult> {
  try {
    hooks.signal?.throwIfAborted();
    await driver.open(hooks.signal);
    hooks.signal?.throwIfAborted();
    return await runEngine(driver, { ...plan, signal: hooks.signal, onProgress: hooks.onProgress });
  } finally {
    await driver.close();
  }
}

/** Connecting (and the first request) may take the request timeout, at most 5 s. */
export function connectTimeoutMs(plan: LoadPlan): number {
  return Math.min(plan.timeoutMs, 5_000);
}

function validated(schema: typeof httpLoadSchema | typeof loadSchema, options: unknown): unknown {
  const parsed = parseOptions(schema, options);
  if (!parsed.ok) throw new ProbeError(ProbeErrorCode.CONFIG, `invalid load options: ${formatIssues(parsed.issues).replace(/\n/g, '; ')}`);
  return parsed.value;
}
