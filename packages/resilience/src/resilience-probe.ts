import { parseOptions, type Probe } from '@probe/core';
import { breakerChecks } from './checks/breaker.ts';
import { fallbackCheck } from './checks/fallback.ts';
import { retryChecks } from './checks/retry.ts';
import { timeoutCheck } from './checks/timeout.ts';
import { resilienceOptionsSchema } from './options.ts';
import { closeResources, openResources, resolveOptions, type ResilienceResources } from './resources.ts';
import type { ResilienceOptions } from './types.ts';
import { isHttpAction } from './verify/action.ts';

/**
 * Verifiers of a client's or a system's resilience, judged from what reaches a fake
 * dependency (@probe/api's fake upstream behind a fault proxy): retries of transient
 * failures, max attempts, no retry of permanent errors, backoff, the circuit breaker's
 * open/half-open/closed states, its own timeout, and its fallback. Invalid options yield a
 * probe whose `issues` name the fields; it runs nothing.
 */
export function resilience(options: ResilienceOptions): Probe<ResilienceResources> {
  const input = options as Partial<ResilienceOptions> | undefined;
  const action = input?.action;
  const target = isHttpAction(action)
    ? { kind: 'http', name: input?.name ?? hostOf(action.url), url: action.url }
    : { kind: 'client', name: input?.name ?? 'client' };
  const parsed = parseOptions(resilienceOptionsSchema, options);
  if (!parsed.ok) return { target, checks: [], issues: parsed.issues };
  const declared = ['retry', 'breaker', 'timeout', 'fallback'] as const;
  if (!declared.some((key) => options[key] !== undefined)) {
    return { target, checks: [], issues: [{ path: '', message: 'declares nothing to verify: give at least one of retry, breaker, timeout, fallback' }] };
  }
  const resolved = resolveOptions(options);
  return {
    target,
    checks: [...retryChecks(resolved), ...breakerChecks(resolved), ...timeoutCheck(resolved), ...fallbackCheck(resolved)],
    secrets: isHttpAction(action) ? Object.entries(action.headers ?? {}).filter(([name]) => /authorization|token|key|secret|cookie/i.test(name)).map(([, value]) => value) : [],
    setup: (context) => openResources(resolved, context),
    teardown: (_context, resources) => closeResources(resources),
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'system';
  }
}
