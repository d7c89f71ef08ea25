import type { Check, CheckContext, Outcome } from '@probe/core';
import type { ResilienceResources, ResolvedOptions } from '../resources.ts';
import { withFault } from '../proxy/faults.ts';
import { toxic } from '../proxy/toxics.ts';
import { step } from '../upstream/steps.ts';
import { describeOutcome, runAction, unmet, type ActionOutcome } from '../verify/action.ts';
import { remainingMs, reproduction } from '../verify/scenario.ts';

/** `resilience.fallback`: while the dependency is down, the declared fallback answers. */
export function fallbackCheck(options: ResolvedOptions): Check<ResilienceResources>[] {
  const fallback = options.fallback;
  if (!fallback) return [];
  const fault = fallback.fault ?? 'down';
  const described = fault === 'down' ? 'down (connection refused)' : fault === 'reset' ? 'resetting connections' : fault === 'timeout' ? 'not answering' : `answering ${fault}`;
  return [{
    id: 'resilience.fallback',
    title: 'While the dependency is down, the declared fallback answers',
    checklist: ['integration.external.external-dependencies.test-fallbacks'],
    timeoutMs: options.actionTimeoutMs + 1_500,
    async run(context: CheckContext<ResilienceResources>): Promise<Outcome> {
      const { upstream, proxy, url, ledger } = context.resources;
      upstream.reset();
      upstream.route(options.route, fault === 'reset' ? step.reset() : fault === 'timeout' ? step.hang() : fault === 'down' ? step.ok() : step.fail(fault));
      const trigger = () => runAction(options.action, { url, signal: context.signal, boundMs: Math.min(options.actionTimeoutMs, remainingMs(context)) });
      const outcome: ActionOutcome = fault === 'down'
        ? await withFault(proxy, toxic.down(), trigger, { signal: context.signal, ledger })
        : await trigger();
      const problems = unmet(outcome, fallback.expect);
      const evidence = {
        dependency: described,
        expected: describeExpectation(fallback.expect),
        outcome: describeOutcome(outcome),
        ...(outcome.status === undefined ? {} : { status: outcome.status, headers: outcome.headers }),
        ...(outcome.body === undefined ? {} : { body: outcome.body }),
        faults: proxy.faults().slice(-1),
        ...reproduction(options),
      };
      if (problems.length > 0) return { status: 'fail', summary: `while its dependency was ${described}: ${problems.join('; ')}`, evidence };
      return { status: 'pass', summary: `the fallback answered (${describeOutcome(outcome)}) while its dependency was ${described}`, evidence };
    },
  }];
}

function describeExpectation(expectation: NonNullable<ResolvedOptions['fallback']>['expect']): Record<string, unknown> {
  if (!expectation) return { success: true };
  return {
    ...(expectation.status === undefined ? { success: true } : { status: expectation.status }),
    ...(expectation.headers ? { headers: Object.fromEntries(Object.entries(expectation.headers).map(([name, value]) => [name, String(value)])) } : {}),
    ...(expectation.body ? { body: expectation.body } : {}),
    ...(expectation.maxMs === undefined ? {} : { maxMs: expectation.maxMs }),
    ...(expectation.satisfies ? { satisfies: 'a custom condition' } : {}),
  };
}
