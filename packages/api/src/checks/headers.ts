import type { Check } from '@probe/core';
import { headerValue, type Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import type { SweepEntry } from '../cases/sweep.ts';
import { identityFor, sendAs, type ApiContext } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { responseFor } from '../spec/operations.ts';
import { capped, coverageNote, listed, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

interface HeaderProblem {
  operation: string;
  problem: string;
  severity: 'fail' | 'warn';
  exchange: Exchange;
}

/**
 * `api.endpoints.headers`: documented response headers are present and valid; security headers
 * (X-Content-Type-Options, HSTS on https); no CORS that grants credentials to any origin.
 */
export function headersCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.endpoints.headers',
    title: 'Documented and security headers are present; CORS does not share credentials with any origin',
    checklist: ['test-setup.api.request-response-headers-checked-when-relevant', 'integration.api.authentication.monitor-security', 'integration.external.integration-security.check-compliance'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const sweep = await context.resources.sweep(context);
      const https = context.resources.client.baseUrl.startsWith('https:');
      const problems: HeaderProblem[] = [];
      for (const entry of sweep.entries) problems.push(...documentedHeaderProblems(entry, context), ...securityHeaderProblems(entry, https));
      const cors = await corsProbe(context, sweep.entries);
      if (cors) problems.push(cors);
      const failing = problems.filter((problem) => problem.severity === 'fail');
      const warnings = problems.filter((problem) => problem.severity === 'warn');
      const evidence = {
        problems: capped(problems.map(({ exchange, ...problem }) => ({ ...problem, ...describeExchange(exchange, context.redact) }))),
      };
      const describe = (list: HeaderProblem[]) => listed([...new Set(list.map((problem) => `${problem.operation}: ${problem.problem}`))], 2);
      if (failing.length > 0) return { status: 'fail', summary: `${plural(failing.length, 'header problem')}: ${describe(failing)}`, evidence };
      if (warnings.length > 0) return { status: 'warn', summary: `${plural(warnings.length, 'missing security header')}: ${describe(warnings)}`, evidence };
      return { status: 'pass', summary: `${plural(sweep.entries.length, 'response')} carried their documented and security headers${coverageNote(sweep)}`, evidence };
    },
  };
}

function documentedHeaderProblems(entry: SweepEntry, context: ApiContext): HeaderProblem[] {
  const response = entry.exchange.response;
  const documented = response ? responseFor(entry.operation, response.status) : undefined;
  if (!response || !documented) return [];
  const out: HeaderProblem[] = [];
  for (const header of documented.headers) {
    const value = headerValue(response.headers, header.name);
    if (value === undefined) {
      if (header.required) out.push({ operation: entry.operation.key, problem: `required header ${header.name} missing on ${response.status}`, severity: 'fail', exchange: entry.exchange });
      continue;
    }
    if (header.schema && context.resources.validator.validate(header.schema, scalar(value, header.schema)).length > 0) {
      out.push({ operation: entry.operation.key, problem: `header ${header.name}: ${JSON.stringify(value)} does not match its schema`, severity: 'fail', exchange: entry.exchange });
    }
  }
  return out;
}

function securityHeaderProblems(entry: SweepEntry, https: boolean): HeaderProblem[] {
  const response = entry.exchange.response;
  if (!response) return [];
  const out: HeaderProblem[] = [];
  const key = entry.operation.key;
  if (response.body.length > 0 && headerValue(response.headers, 'x-content-type-options')?.toLowerCase() !== 'nosniff') {
    out.push({ operation: key, problem: 'no X-Content-Type-Options: nosniff', severity: 'warn', exchange: entry.exchange });
  }
  if (https && !headerValue(response.headers, 'strict-transport-security')) {
    out.push({ operation: key, problem: 'no Strict-Transport-Security on https', severity: 'warn', exchange: entry.exchange });
  }
  if (headerValue(response.headers, 'access-control-allow-origin') === '*' && headerValue(response.headers, 'access-control-allow-credentials') === 'true') {
    out.push({ operation: key, problem: 'Access-Control-Allow-Origin: * with Allow-Credentials: true', severity: 'fail', exchange: entry.exchange });
  }
  return out;
}

/** Send one safe request with a foreign Origin: an API must not grant it credentials. */
async function corsProbe(context: ApiContext, entries: SweepEntry[]): Promise<HeaderProblem | undefined> {
  const entry = entries.find((candidate) => candidate.operation.method === 'GET' && (candidate.exchange.response?.status ?? 500) < 400);
  if (!entry) return undefined;
  const origin = `https://probe-${context.runId}.invalid`;
  const send = { ...entry.case.send, headers: { ...entry.case.send.headers, origin } };
  const exchange = await sendAs(context, identityFor(context.resources, entry.operation), send);
  const response = exchange.response;
  if (!response) return undefined;
  const allowed = headerValue(response.headers, 'access-control-allow-origin');
  const credentials = headerValue(response.headers, 'access-control-allow-credentials') === 'true';
  if (allowed === origin && credentials) {
    return { operation: entry.operation.key, problem: `CORS reflects any Origin (${origin}) with Allow-Credentials: true`, severity: 'fail', exchange };
  }
  return undefined;
}

function scalar(value: string, schema: Record<string, unknown>): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if ((type === 'integer' || type === 'number') && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}
