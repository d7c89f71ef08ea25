import type { Check } from '@probe/core';
import { headerValue, type Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { authorize } from '../auth/identity.ts';
import { tamper } from '../auth/jwt.ts';
import { budgetOf, mapLimit } from '../cases/limit.ts';
import { isSafe, registerCreated } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { capped, listed, plural } from './report.ts';
import { caseCheckTimeout } from './timeouts.ts';

interface Attempt {
  operation: string;
  variant: 'no credentials' | 'tampered credentials';
  exchange: Exchange;
}

/**
 * `api.auth.required`: every secured operation rejects a request without credentials and one
 * with a tampered token (401; 403/404 also count as refused). Safe operations always; creates
 * only when writes are allowed (a wrongly accepted one is deleted at teardown).
 */
export function authRequiredCheck(options: ResolvedOptions): Check<ApiResources> {
  return {
    id: 'api.auth.required',
    title: 'Secured operations refuse missing and tampered credentials',
    checklist: ['integration.api.authentication.test-auth-flows', 'integration.api.authentication.monitor-security', 'integration.external.integration-security.test-authentication', 'test-setup.api.error-responses-tested'],
    timeoutMs: caseCheckTimeout(options),
    async run(context) {
      const { resources } = context;
      const sweep = await resources.sweep(context);
      const secured = sweep.entries.filter((entry) => entry.operation.secured && (isSafe(entry.operation) || entry.operation.method === 'POST'));
      if (secured.length === 0) {
        const reason = resources.operations.some((operation) => operation.secured) ? 'no secured operation was exercised in the sweep' : 'no operation is marked secured (spec `security` or `secured: true`)';
        return { status: 'skip', summary: `skipped: ${reason}`, reason };
      }
      const identity = resources.identities.get('default');
      const tampered = identity ? identity.withToken(tamper(await identity.token(context.signal))) : undefined;
      const jobs = secured.flatMap((entry) => [
        { entry, variant: 'no credentials' as const },
        ...(tampered ? [{ entry, variant: 'tampered credentials' as const }] : []),
      ]);
      const budget = budgetOf(options.limits.budgetMs, context.deadline);
      const attempts = (await mapLimit(jobs, options.limits.concurrency, budget, context.signal, async ({ entry, variant }): Promise<Attempt> => {
        const send = variant === 'tampered credentials' ? authorize(entry.case.send, tampered!) : entry.case.send;
        const exchange = await resources.client.send(send, context.signal);
        if ((exchange.response?.status ?? 500) < 300 && entry.operation.method === 'POST') registerCreated(context, entry.operation, exchange, variant);
        return { operation: entry.operation.key, variant, exchange };
      })).filter((attempt): attempt is Attempt => attempt !== undefined);
      const letThrough = attempts.filter((attempt) => (attempt.exchange.response?.status ?? 0) < 400 && attempt.exchange.response);
      const crashed = attempts.filter((attempt) => !attempt.exchange.response || attempt.exchange.response.status >= 500);
      const noChallenge = attempts.filter((attempt) => attempt.exchange.response?.status === 401 && !headerValue(attempt.exchange.response.headers, 'www-authenticate'));
      const baselineRejected = secured.filter((entry) => entry.exchange.response?.status === 401);
      const show = (list: Attempt[]) => capped(list.map((attempt) => ({ operation: attempt.operation, sent: attempt.variant, ...describeExchange(attempt.exchange, context.redact) })));
      const evidence = {
        letThrough: show(letThrough), serverErrors: show(crashed), missingWwwAuthenticate: show(noChallenge),
        ...(baselineRejected.length ? { validCredentialsRejected: baselineRejected.map((entry) => entry.operation.key) } : {}),
        ...(!identity ? { note: 'no `auth` configured: tampered tokens not tested' } : {}),
      };
      if (letThrough.length > 0) {
        const byOperation = new Map<string, string[]>();
        for (const attempt of letThrough) byOperation.set(attempt.operation, [...(byOperation.get(attempt.operation) ?? []), `${attempt.variant} → ${attempt.exchange.response!.status}`]);
        const names = [...byOperation].map(([operation, variants]) => `${operation} (${variants.join('; ')})`);
        return { status: 'fail', summary: `${plural(names.length, 'secured operation')} let a request through: ${listed(names)}`, evidence };
      }
      if (crashed.length > 0) {
        return { status: 'fail', summary: `${crashed.length} unauthenticated requests got a server error: ${listed(crashed.map((attempt) => `${attempt.operation} (${attempt.variant})`))}`, evidence };
      }
      if (baselineRejected.length > 0 || noChallenge.length > 0) {
        const parts = [
          ...(baselineRejected.length ? [`the configured credentials were refused by ${listed(baselineRejected.map((entry) => entry.operation.key), 2)}`] : []),
          ...(noChallenge.length ? [`${plural(noChallenge.length, '401')} without WWW-Authenticate`] : []),
        ];
        return { status: 'warn', summary: `secured operations refuse bad credentials, but ${parts.join('; ')}`, evidence };
      }
      return { status: 'pass', summary: `${plural(secured.length, 'secured operation')} refused ${attempts.length} requests without valid credentials`, evidence };
    },
  };
}
