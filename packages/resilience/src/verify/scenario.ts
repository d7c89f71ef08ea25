import { ProbeError, ProbeErrorCode, type CheckContext } from '@probe/core';
import type { RecordedRequest, RouteScript } from '@probe/api/testing';
import type { ResilienceResources, ResolvedOptions } from '../resources.ts';
import { curlOf, isHttpAction, runAction, type ActionOutcome } from './action.ts';
import { arrivalRows, settle, type ArrivalRow } from './arrivals.ts';

/** One play of a script: the subject triggered once, and what reached the dependency. */
export interface Scenario {
  outcome: ActionOutcome;
  arrivals: RecordedRequest[];
  /** Epoch ms when the action was triggered. */
  startedAt: number;
  rows: ArrivalRow[];
}

/** Milliseconds left before the check's deadline, less a margin to write the result. */
export function remainingMs(context: CheckContext, margin = 150): number {
  return Math.max(1, context.deadline - Date.now() - margin);
}

/**
 * Script the dependency's route, trigger the subject once, then wait until no request
 * arrives for `quietMs` (a client may retry after reporting): the arrivals are the verdict's data.
 */
export async function playScenario(
  context: CheckContext<ResilienceResources>,
  options: ResolvedOptions,
  script: RouteScript,
  quietMs: number,
): Promise<Scenario> {
  const { upstream, url } = context.resources;
  upstream.reset();
  upstream.route(options.route, script);
  const startedAt = Date.now();
  const outcome = await runAction(options.action, { url, signal: context.signal, boundMs: Math.min(options.actionTimeoutMs, remainingMs(context)) });
  const arrivals = await settle(upstream, options.route, { quietMs: Math.min(quietMs, remainingMs(context)), signal: context.signal });
  return { outcome, arrivals, startedAt, rows: arrivalRows(arrivals, startedAt) };
}

/** The error of a scenario in which nothing reached the dependency: the subject is not pointed at it. */
export function notCalled(options: ResolvedOptions, url: string, outcome: ActionOutcome): ProbeError {
  const how = isHttpAction(options.action) ? `the request ${options.action.method ?? 'GET'} ${options.action.url}` : 'the action';
  return new ProbeError(ProbeErrorCode.CONFIG, `${how} never called the dependency at ${url} (route ${options.route}); it ${outcome.ok ? 'succeeded' : `failed: ${outcome.error ?? outcome.status}`}`, {
    hint: `point the subject's dependency at ${url} (dependency.listen), or fix dependency.route`,
  });
}

/** Evidence common to every verdict: how to trigger the subject again. */
export function reproduction(options: ResolvedOptions): Record<string, unknown> {
  return isHttpAction(options.action) ? { trigger: curlOf(options.action) } : { trigger: 'the action function, called with the dependency url' };
}
