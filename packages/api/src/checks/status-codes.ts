import type { Check } from '@probe/core';
import { describeExchange } from '../client/curl.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { responseFor } from '../spec/operations.ts';
import { capped, coverageNote, cutShort, listed, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

/** `api.endpoints.status-codes`: every status the API answered is one the spec documents for that operation. */
export function statusCodesCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.status-codes',
    title: 'Statuses are documented for their operation',
    checklist: ['integration.api.endpoint.verify-response-codes', 'test-setup.api.http-status-codes-verified'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const sweep = await context.resources.sweep(context);
      const answered = sweep.entries.filter((entry) => entry.exchange.response);
      const undocumented = answered.filter((entry) => !responseFor(entry.operation, entry.exchange.response!.status));
      const evidence = {
        undocumented: capped(undocumented.map((entry) => ({
          operation: entry.operation.key,
          documented: entry.operation.responses.map((response) => response.status.toLowerCase()),
          ...describeExchange(entry.exchange, context.redact),
        }))),
      };
      if (undocumented.length > 0) {
        const names = undocumented.map((entry) => `${entry.operation.key} → ${entry.exchange.response!.status}`);
        return { status: 'fail', summary: `${undocumented.length} of ${answered.length} operations answered an undocumented status: ${listed(names)}`, evidence };
      }
      if (answered.length === 0) return { status: 'warn', summary: `no operation answered${coverageNote(sweep)}`, evidence };
      return { status: cutShort(sweep) ? 'warn' : 'pass', summary: `${plural(answered.length, 'operation')} answered documented statuses${coverageNote(sweep)}`, evidence };
    },
  };
}
