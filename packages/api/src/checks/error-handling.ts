import type { Check } from '@probe/core';
import { headerValue, type Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { budgetOf, mapLimit, spread } from '../cases/limit.ts';
import { bodyNegatives, methodNegative, parameterNegatives, type NegativeCase } from '../cases/negative.ts';
import { canWrite, identityFor, registerCreated, sendAs, whyNoWrites, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { capped, listed, plural } from './report.ts';
import { schemaViolation } from './response-schema.ts';
import { caseCheckTimeout } from './timeouts.ts';

interface Verdict {
  case: NegativeCase;
  exchange: Exchange;
  severity: 'fail' | 'warn' | 'ok' | 'inconclusive';
  problem?: string;
}

/**
 * `api.endpoints.error-handling`: generated invalid input (missing required parameters, wrong
 * types, schema-violating bodies, malformed JSON) gets a 4xx, never a 2xx or 5xx; an unknown
 * id gets 404; an undocumented method gets 405 with `Allow`; 4xx bodies follow the documented
 * error schema. Bodies and methods are sent only when writes are allowed.
 */
export function errorHandlingCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.error-handling',
    title: 'Invalid input is rejected with a documented 4xx',
    checklist: ['integration.api.endpoint.test-error-handling', 'test-setup.api.error-responses-tested', 'integration.api.data-flow.test-validation'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const { resources } = context;
      const sweep = await resources.sweep(context);
      const writes = canWrite(context);
      const cases: NegativeCase[] = [];
      const max = options.limits.maxCasesPerOperation;
      const methodPaths = new Set<string>();
      for (const entry of sweep.entries) {
        const status = entry.exchange.response?.status ?? 0;
        const own: NegativeCase[] = parameterNegatives(entry.case, context.runId);
        // Bodies only against a working baseline: a 2xx positive case of a create.
        if (writes && entry.operation.method === 'POST' && status >= 200 && status < 300) own.push(...bodyNegatives(entry.case, max));
        if (writes && !methodPaths.has(entry.operation.path)) {
          const method = methodNegative(resources.operations, entry.operation, context.runId);
          if (method) own.push(method);
          methodPaths.add(entry.operation.path);
        }
        cases.push(...spread(own, max));
      }
      const budget = budgetOf(options.limits.budgetMs, context.deadline);
      const verdicts = (await mapLimit(cases, options.limits.concurrency, budget, context.signal, (negative) => judge(context, negative)))
        .filter((verdict): verdict is Verdict => verdict !== undefined);
      const failing = verdicts.filter((verdict) => verdict.severity === 'fail');
      const warnings = verdicts.filter((verdict) => verdict.severity === 'warn');
      const inconclusive = verdicts.filter((verdict) => verdict.severity === 'inconclusive');
      context.metric('api.negative_cases', verdicts.length, 'count');
      const show = (list: Verdict[]) => capped(list.map((verdict) => ({
        operation: verdict.case.operation.key, case: verdict.case.label, problem: verdict.problem, ...describeExchange(verdict.exchange, context.redact),
      })));
      const notSent = cases.length - verdicts.length;
      const evidence = {
        failures: show(failing), warnings: show(warnings),
        ...(inconclusive.length ? { inconclusive: show(inconclusive) } : {}),
        ...(notSent > 0 ? { notSent: `${notSent} cases: time budget spent` } : {}),
        ...(!writes ? { bodiesAndMethods: `not sent: ${whyNoWrites(context)}` } : {}),
      };
      const name = (verdict: Verdict) => `${verdict.case.operation.key} with ${verdict.case.label} → ${verdict.exchange.response?.status ?? 'no answer'}`;
      if (failing.length > 0) {
        return { status: 'fail', summary: `${failing.length} of ${verdicts.length} invalid requests were not rejected with a proper 4xx: ${listed(failing.map(name), 2)}`, evidence };
      }
      if (verdicts.length === 0) return { status: 'skip', summary: 'skipped: no invalid case could be derived (no parameters, and bodies need writes)', reason: 'no invalid case could be derived' };
      if (warnings.length > 0) return { status: 'warn', summary: `${plural(warnings.length, 'case')} answered an unexpected 4xx: ${listed(warnings.map((verdict) => `${name(verdict)} (${verdict.problem})`), 2)}`, evidence };
      return { status: notSent > 0 ? 'warn' : 'pass', summary: `${plural(verdicts.length, 'invalid request')} rejected with documented 4xx answers${notSent > 0 ? ` (${notSent} not sent: time budget)` : ''}`, evidence };
    },
  };
}

async function judge(context: ApiContext, negative: NegativeCase): Promise<Verdict> {
  const identity = identityFor(context.resources, negative.operation);
  const exchange = await sendAs(context, identity, negative.send);
  const response = exchange.response;
  const verdict = (severity: Verdict['severity'], problem?: string): Verdict => ({ case: negative, exchange, severity, ...(problem ? { problem } : {}) });
  if (!response) return verdict('fail', `no answer: ${exchange.error}`);
  const status = response.status;
  if (status === 429) return verdict('inconclusive', 'rate limited');
  if (status >= 500) return verdict('fail', 'server error on invalid input');
  if (status < 400) {
    if (negative.writes && negative.operation.method === 'POST') registerCreated(context, negative.operation, exchange, negative.label);
    return verdict('fail', negative.expect === 'not-found' ? 'answered for an id nobody created' : negative.expect === 'method' ? 'an undocumented method was accepted' : 'invalid input was accepted');
  }
  if (negative.expect === 'method') {
    if (status === 401 || status === 403) return verdict('inconclusive', 'refused before method routing');
    if (status !== 405) return verdict('warn', `expected 405 Method Not Allowed, got ${status}`);
    if (!headerValue(response.headers, 'allow')) return verdict('warn', '405 without an Allow header');
    return verdict('ok');
  }
  const shape = schemaViolation({ operation: negative.operation, exchange }, context.resources.validator);
  if (shape && shape !== 'unchecked') return verdict('fail', `error body does not match the documented ${status} schema at ${shape.pointer || '/'}: ${shape.problems[0]!.message}`);
  if (negative.expect === 'not-found' && status !== 404 && status !== 410 && status !== 400 && status !== 422 && status !== 401 && status !== 403) {
    return verdict('warn', `expected 404 for an unknown id, got ${status}`);
  }
  return verdict('ok');
}
