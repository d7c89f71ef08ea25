import { redactHeaders, type Redactor } from '@probe/core';
import type { ActionFunction, HttpAction } from './options.ts';
import { abortable, roundMs, truncate } from './util.ts';

/** What performing an action showed. */
export interface ActionReport {
  ok: boolean;
  ms: number;
  /** `POST http://app/cache/users/1 → 204`, or `function`. */
  description: string;
  /** Why it did not succeed. */
  problem?: string;
  /** A one-paste `curl` for an HTTP action. */
  repro?: string;
}

/**
 * Perform an HTTP request or call a function, bounded by `signal`. An HTTP
 * answer outside `expectStatus` (default: 2xx) or a thrown function is not ok.
 */
export async function performAction(action: HttpAction | ActionFunction, signal: AbortSignal, redact: Redactor): Promise<ActionReport> {
  const started = performance.now();
  if (typeof action === 'function') {
    try {
      await abortable(Promise.resolve(action({ signal })), signal);
      return { ok: true, ms: roundMs(performance.now() - started), description: 'function' };
    } catch (error) {
      if (signal.aborted) throw error;
      return { ok: false, ms: roundMs(performance.now() - started), description: 'function', problem: `the function threw: ${redact(String((error as Error)?.message ?? error))}` };
    }
  }
  const body = action.body === undefined || typeof action.body === 'string' ? action.body : JSON.stringify(action.body);
  const headers = { ...(typeof action.body === 'object' && action.body !== null ? { 'content-type': 'application/json' } : {}), ...action.headers };
  const response = await fetch(action.url, { method: action.method, headers, body, signal });
  const text = await response.text().catch(() => '');
  const ok = action.expectStatus ? action.expectStatus.includes(response.status) : response.status >= 200 && response.status < 300;
  const description = redact(`${action.method} ${action.url} → ${response.status}`);
  return {
    ok,
    ms: roundMs(performance.now() - started),
    description,
    ...(ok ? {} : { problem: `${description}: ${redact(truncate(text, 200))}` }),
    repro: curl(action, body, headers, redact),
  };
}

function curl(action: HttpAction, body: string | undefined, headers: Record<string, string>, redact: Redactor): string {
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl', '-sS', '-X', action.method, quote(redact(action.url))];
  for (const [name, value] of Object.entries(redactHeaders(headers, redact))) parts.push('-H', quote(`${name}: ${String(value)}`));
  if (body !== undefined) parts.push('--data', quote(redact(body)));
  return parts.join(' ');
}
