import type { Check } from '@probe/core';
import { describeExchange } from '../client/curl.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { mediaFor, responseFor } from '../spec/operations.ts';
import { capped, coverageNote, cutShort, listed, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

/** `api.endpoints.content-type`: the Content-Type is one documented for the status, and JSON bodies parse. */
export function contentTypeCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.content-type',
    title: 'Content types are documented and bodies parse',
    checklist: ['integration.api.endpoint.check-response-formats', 'integration.api.data-flow.verify-data-formats', 'test-setup.api.request-response-headers-checked-when-relevant'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const sweep = await context.resources.sweep(context);
      const problems: { operation: string; problem: string; entry: (typeof sweep.entries)[number] }[] = [];
      let checked = 0;
      for (const entry of sweep.entries) {
        const response = entry.exchange.response;
        if (!response) continue;
        const documented = responseFor(entry.operation, response.status);
        const hasBody = response.body.length > 0;
        if (hasBody && !response.mediaType) {
          problems.push({ operation: entry.operation.key, problem: `${response.status} with a body but no Content-Type`, entry });
          continue;
        }
        if (response.jsonError) {
          problems.push({ operation: entry.operation.key, problem: `${response.status} ${response.mediaType} body is not valid JSON (${response.jsonError})`, entry });
          continue;
        }
        if (!documented || documented.content.length === 0 || !hasBody) continue;
        checked += 1;
        if (!mediaFor(documented, response.mediaType)) {
          const allowed = documented.content.map((media) => media.mediaType).join(', ');
          problems.push({ operation: entry.operation.key, problem: `${response.status} answered ${response.mediaType}, documented ${allowed}`, entry });
        }
      }
      const evidence = { problems: capped(problems.map(({ entry, ...problem }) => ({ ...problem, ...describeExchange(entry.exchange, context.redact) }))) };
      if (problems.length > 0) {
        return { status: 'fail', summary: `${problems.length} responses have a wrong content type or an unparsable body: ${listed(problems.map((problem) => `${problem.operation} (${problem.problem})`), 2)}`, evidence };
      }
      if (checked === 0) return { status: 'warn', summary: `no answered body had a documented content type to check${coverageNote(sweep)}`, evidence };
      return { status: cutShort(sweep) ? 'warn' : 'pass', summary: `${plural(checked, 'response')} had documented content types${coverageNote(sweep)}`, evidence };
    },
  };
}
