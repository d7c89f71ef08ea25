import type { Check } from '@probe/core';
import { describeExchange } from '../client/curl.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { capped, coverageNote, cutShort, listed, notCoveredByReason, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

/** `api.endpoints.reachable`: every operation answers, and none with a 5xx (Schemathesis's not_a_server_error). */
export function reachableCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.reachable',
    title: 'Every operation answers without a server error',
    checklist: ['integration.api.endpoint.test-all-endpoints', 'test-setup.api.all-endpoints-have-at-least-one-test', 'integration.external.third-party-services.test-apis'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const sweep = await context.resources.sweep(context);
      context.metric('api.operations_exercised', sweep.entries.length, 'count');
      context.metric('api.sweep_ms', Math.round(sweep.durationMs), 'ms');
      const broken = sweep.entries.filter((entry) => !entry.exchange.response || entry.exchange.response.status >= 500);
      const evidence = {
        failures: capped(broken.map((entry) => ({ operation: entry.operation.key, ...describeExchange(entry.exchange, context.redact) }))),
        notCovered: notCoveredByReason(sweep),
      };
      if (broken.length > 0) {
        const names = broken.map((entry) => `${entry.operation.key} (${entry.exchange.response?.status ?? 'no answer'})`);
        return { status: 'fail', summary: `${broken.length} of ${sweep.entries.length} operations answered with a server error or not at all: ${listed(names)}`, evidence };
      }
      if (sweep.entries.length === 0) {
        return { status: 'warn', summary: `no operation could be exercised${coverageNote(sweep)}`, evidence };
      }
      return { status: cutShort(sweep) ? 'warn' : 'pass', summary: `${plural(sweep.entries.length, 'operation')} answered without a server error${coverageNote(sweep)}`, evidence };
    },
  };
}
