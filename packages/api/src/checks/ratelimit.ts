import { setTimeout as sleep } from 'node:timers/promises';
import type { Check } from '@probe/core';
import { headerValue, type ApiResponse, type Exchange } from '../client/client.ts';
import { describeExchange } from '../client/curl.ts';
import { positiveCase } from '../cases/build.ts';
import { budgetOf, mapLimit } from '../cases/limit.ts';
import { sendAs } from '../context.ts';
import type { ApiResources } from '../resources.ts';
import type { ResolvedOptions } from '../options.ts';
import { findOperation } from '../spec/operations.ts';
import { skipped } from './report.ts';

/** What a 429 (or a 2xx) says about the limit. */
export interface LimitHeaders {
  /** Seconds to wait, from Retry-After (delta or HTTP date) or a RateLimit reset. */
  retryAfterS?: number;
  limit?: number;
  remaining?: number;
  /** The header names that carried it. */
  sources: string[];
}

/**
 * `api.ratelimit`: a bounded burst (never more than `burst` requests; it stops at the first
 * 429) finds the limit; the 429 says when to retry (Retry-After or RateLimit-* headers); after
 * that wait the API answers again. Opt-in: runs only with a `rateLimit` option.
 */
export function rateLimitCheck(options: ResolvedOptions): Check<ApiResources> {
  const settings = options.rateLimit;
  const burst = settings?.burst ?? 30;
  const recoveryMs = settings?.recoveryMs ?? 5_000;
  return {
    id: 'api.ratelimit',
    title: 'A rate limit exists, says when to retry, and recovers',
    checklist: ['integration.external.third-party-services.check-rate-limits', 'integration.external.third-party-services.monitor-usage'],
    timeoutMs: options.limits.budgetMs + recoveryMs + options.limits.requestTimeoutMs + 1_000,
    async run(context) {
      if (!settings) return skipped('not configured (set `rateLimit: { burst }` to send a bounded burst)');
      const { resources } = context;
      const operation = settings.operation ? findOperation(resources.operations, settings.operation)
        : resources.operations.find((candidate) => candidate.method === 'GET' && !candidate.path.includes('{'));
      if (!operation) return skipped('no GET operation without path parameters to burst; set `rateLimit.operation`');
      const identity = resources.identities.get(settings.user ?? 'default');
      const send = positiveCase(operation, { runId: context.runId, parameters: options.parameters ?? {} }).send;
      let limited: Exchange | undefined;
      let sent = 0;
      let accepted = 0;
      const budget = budgetOf(options.limits.budgetMs, context.deadline - recoveryMs);
      const jobs = Array.from({ length: burst }, (_, index) => index);
      const started = performance.now();
      await mapLimit(jobs, settings.concurrency ?? 5, budget, context.signal, async () => {
        if (limited) return;
        sent += 1;
        const exchange = await sendAs(context, identity, send);
        if (exchange.response?.status === 429) limited ??= exchange;
        else if ((exchange.response?.status ?? 500) < 400) accepted += 1;
      });
      context.metric('api.ratelimit.sent', sent, 'count');
      context.metric('api.ratelimit.accepted_before_limit', accepted, 'count');
      context.metric('api.ratelimit.burst_ms', Math.round(performance.now() - started), 'ms');
      const evidence: Record<string, unknown> = { operation: operation.key, burst, sent, accepted };
      if (!limited) {
        if (settings.limit !== undefined && accepted > settings.limit) {
          return { status: 'fail', summary: `${accepted} requests to ${operation.key} accepted in one burst, over the documented limit of ${settings.limit}, without a 429`, evidence };
        }
        return { status: 'warn', summary: `no 429 within a burst of ${sent} requests to ${operation.key}: no limit found (raise \`rateLimit.burst\` or set \`limit\`)`, evidence };
      }
      const headers = limitHeaders(limited.response!);
      evidence.limited = { ...describeExchange(limited, context.redact), headers };
      if (headers.retryAfterS === undefined) {
        return { status: 'fail', summary: `429 after ${accepted} requests to ${operation.key} without Retry-After or RateLimit-* headers: clients cannot tell when to retry`, evidence };
      }
      const waitMs = Math.min(recoveryMs, Math.max(0, headers.retryAfterS * 1000) + 100);
      await sleep(waitMs, undefined, { signal: context.signal });
      const after = await sendAs(context, identity, send);
      evidence.recovery = { waitedMs: waitMs, ...describeExchange(after, context.redact) };
      if (after.response?.status === 429) {
        const capped = headers.retryAfterS * 1000 > recoveryMs ? ` (waited the recoveryMs cap of ${recoveryMs} ms)` : '';
        return { status: 'fail', summary: `still 429 ${waitMs} ms after the limit on ${operation.key}, though it said retry after ${headers.retryAfterS} s${capped}`, evidence };
      }
      const summary = `limit of ${accepted} requests on ${operation.key}; 429 carries ${headers.sources.join(', ')}; recovered after ${waitMs} ms`;
      if (settings.limit !== undefined && accepted > settings.limit) return { status: 'fail', summary: `${summary}, but the documented limit is ${settings.limit}`, evidence };
      return { status: 'pass', summary, evidence };
    },
  };
}

/** Read Retry-After, RateLimit-* (IETF draft, both forms) and X-RateLimit-* headers. */
export function limitHeaders(response: ApiResponse): LimitHeaders {
  const out: LimitHeaders = { sources: [] };
  const retryAfter = headerValue(response.headers, 'retry-after');
  if (retryAfter !== undefined) {
    const seconds = /^\d+$/.test(retryAfter.trim()) ? Number(retryAfter) : (Date.parse(retryAfter) - Date.now()) / 1000;
    if (Number.isFinite(seconds)) {
      out.retryAfterS = Math.max(0, seconds);
      out.sources.push('Retry-After');
    }
  }
  const combined = headerValue(response.headers, 'ratelimit');
  const fields = combined ? Object.fromEntries([...combined.matchAll(/([a-z]+)=(\d+)/gi)].map((match) => [match[1]!.toLowerCase(), Number(match[2])])) : {};
  const number = (...names: string[]) => {
    for (const name of names) {
      const value = Number(headerValue(response.headers, name));
      if (headerValue(response.headers, name) !== undefined && Number.isFinite(value)) {
        out.sources.push(name);
        return value;
      }
    }
    return undefined;
  };
  const reset = fields.r ?? fields.reset ?? number('ratelimit-reset', 'x-ratelimit-reset');
  if (combined && (fields.r ?? fields.reset) !== undefined) out.sources.push('RateLimit');
  const limit = fields.limit ?? number('ratelimit-limit', 'x-ratelimit-limit');
  const remaining = fields.remaining ?? number('ratelimit-remaining', 'x-ratelimit-remaining');
  if (limit !== undefined) out.limit = limit;
  if (remaining !== undefined) out.remaining = remaining;
  if (out.retryAfterS === undefined && reset !== undefined) {
    // X-RateLimit-Reset is often an epoch timestamp; RateLimit-Reset is delta seconds.
    out.retryAfterS = reset > 1_000_000_000 ? Math.max(0, reset - Date.now() / 1000) : reset;
  }
  return out;
}
