import type { Check, CheckContext, Outcome } from '@probe/core';
import type { ResilienceResources, ResolvedOptions } from '../resources.ts';
import { step } from '../upstream/steps.ts';
import { describeOutcome, runAction } from '../verify/action.ts';
import { arrivalRows } from '../verify/arrivals.ts';
import { notCalled, reproduction } from '../verify/scenario.ts';

/** `resilience.timeout`: with its dependency not answering, the subject still answers within its own bound. */
export function timeoutCheck(options: ResolvedOptions): Check<ResilienceResources>[] {
  const timeout = options.timeout;
  if (!timeout) return [];
  const graceMs = Math.max(250, timeout.within * 0.5);
  return [{
    id: 'resilience.timeout',
    title: 'With its dependency hanging, the subject answers within its own bound',
    checklist: ['integration.service.service-communication.check-timeouts', 'test-setup.external-dependencies.timeout-scenarios-covered'],
    timeoutMs: timeout.within + graceMs + 1_000,
    async run(context: CheckContext<ResilienceResources>): Promise<Outcome> {
      const { upstream, url } = context.resources;
      upstream.reset();
      const hangs = timeout.dependencyDelayMs === undefined;
      upstream.route(options.route, hangs ? step.hang() : step.delay(timeout.dependencyDelayMs!));
      const startedAt = Date.now();
      const outcome = await runAction(options.action, { url, signal: context.signal, boundMs: timeout.within + graceMs });
      const arrivals = upstream.requestsTo(options.route);
      if (arrivals.length === 0 && !outcome.timedOut) throw notCalled(options, url, outcome);
      const dependency = hangs ? 'never answered' : `answered after ${timeout.dependencyDelayMs} ms`;
      const evidence = { dependency, boundMs: timeout.within, outcome: describeOutcome(outcome), arrivals: arrivalRows(arrivals, startedAt), ...reproduction(options) };
      context.metric('timeout.answer_ms', outcome.durationMs, 'ms');
      if (outcome.timedOut) {
        return { status: 'fail', summary: `still no answer after ${Math.round(outcome.durationMs)} ms while its dependency ${dependency} (bound ${timeout.within} ms): it waits on its dependency without a timeout`, evidence };
      }
      if (outcome.durationMs > timeout.within) {
        return { status: 'fail', summary: `answered only after ${Math.round(outcome.durationMs)} ms (bound ${timeout.within} ms) while its dependency ${dependency}`, evidence };
      }
      return { status: 'pass', summary: `answered (${describeOutcome(outcome)}) within its ${timeout.within} ms bound while its dependency ${dependency}`, evidence };
    },
  }];
}
