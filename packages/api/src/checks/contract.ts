import type { Check } from '@probe/core';
import { toCurl } from '../client/curl.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { diffSpecs, type Change } from '../spec/diff.ts';
import { loadSpec } from '../spec/operations.ts';
import { capped, listed, plural, skipped } from './report.ts';
import { schemaViolation } from './response-schema.ts';
import { caseCheckTimeout } from './timeouts.ts';

/**
 * `api.contract.breaking`: diff the previous spec version against the current one (removed
 * operations and fields, new required inputs, narrowed enums and bounds, changed types, new
 * auth), and validate the live answers against both versions: an operation whose live answer
 * no longer matches the previous version breaks the clients built on it.
 */
export function contractCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.contract.breaking',
    title: 'No breaking change for clients of the previous spec version',
    checklist: ['integration.external.external-dependencies.verify-contracts', 'integration.external.external-dependencies.check-versioning', 'integration.system.component-integration.verify-contracts'],
    timeoutMs: caseCheckTimeout(options) + 5_000,
    async run(context) {
      const settings = options.contract;
      if (!settings) return skipped('no `contract.previous` spec configured');
      const current = context.resources.spec!;
      const previous = await loadSpec(settings.previous, { signal: context.signal });
      const changes = diffSpecs(previous, current);
      const sweep = await context.resources.sweep(context);
      const oldOperations = new Map(previous.operations.map((operation) => [operation.key, operation]));
      const liveBreaks: { operation: string; status: number; pointer: string; message: string; curl: string }[] = [];
      let liveChecked = 0;
      for (const entry of sweep.entries) {
        const old = oldOperations.get(entry.operation.key);
        if (!old || !entry.exchange.response || entry.exchange.response.status >= 300) continue;
        const violation = schemaViolation({ operation: old, exchange: entry.exchange }, context.resources.validator);
        if (violation === 'unchecked') continue;
        liveChecked += 1;
        if (violation) liveBreaks.push({ operation: entry.operation.key, status: violation.status, pointer: violation.pointer, message: violation.problems[0]!.message, curl: toCurl(entry.exchange.request, context.redact) });
      }
      const errors = changes.filter((change) => change.level === 'error');
      const warnings = changes.filter((change) => change.level === 'warning');
      const byOperation = (list: Change[]) => [...new Set(list.map((change) => change.operation))];
      context.metric('api.contract.breaking_changes', errors.length, 'count');
      context.metric('api.contract.warnings', warnings.length, 'count');
      const evidence = {
        previous: typeof settings.previous === 'string' ? settings.previous : '(object)',
        breaking: capped(errors, 50), warnings: capped(warnings, 50),
        info: changes.filter((change) => change.level === 'info'),
        clientsThatBreak: byOperation(errors),
        liveAgainstPrevious: { checked: liveChecked, violations: liveBreaks },
      };
      const failOnWarnings = settings.failOn === 'warning';
      if (errors.length > 0 || liveBreaks.length > 0 || (failOnWarnings && warnings.length > 0)) {
        const parts = [
          ...(errors.length ? [`${plural(errors.length, 'breaking change')} in ${plural(byOperation(errors).length, 'operation')}: ${listed(errors.map((change) => `${change.operation} ${change.message}`), 2)}`] : []),
          ...(liveBreaks.length ? [`the live API breaks clients of the previous version on ${listed(liveBreaks.map((item) => `${item.operation} at ${item.pointer || '/'}`), 2)}`] : []),
          ...(failOnWarnings && warnings.length ? [`${plural(warnings.length, 'warning')}`] : []),
        ];
        return { status: 'fail', summary: parts.join('; '), evidence };
      }
      if (warnings.length > 0) return { status: 'warn', summary: `no breaking change; ${plural(warnings.length, 'change')} may affect clients: ${listed(warnings.map((change) => `${change.operation} ${change.message}`), 2)}`, evidence };
      return { status: 'pass', summary: `no breaking change from ${previous.title} (previous) to the current spec; ${plural(liveChecked, 'live answer')} still match the previous version`, evidence };
    },
  };
}
