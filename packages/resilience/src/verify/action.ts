import { messageOf, systemCode } from '@probe/core';

/** A system under test exercised over HTTP: the request that makes it call its dependency. */
export interface HttpAction {
  url: string;
  /** Default GET, or POST when there is a body. */
  method?: string;
  headers?: Record<string, string>;
  /** A string is sent as is, anything else as JSON. */
  body?: unknown;
}

/**
 * An in-process subject: a function that makes the user's own client (or opossum/cockatiel
 * breaker) call the dependency at `url` once. Resolving is success, throwing is failure.
 */
export type ActionFunction = (context: { url: string; signal: AbortSignal }) => unknown;

/** How a check triggers the subject. */
export type Action = HttpAction | ActionFunction;

/** What one trigger of the subject came to. */
export interface ActionOutcome {
  /** The function resolved, or the HTTP answer was 2xx. */
  ok: boolean;
  durationMs: number;
  /** The HTTP answer's status (HTTP actions). */
  status?: number;
  headers?: Record<string, string>;
  /** The HTTP body (parsed JSON, else text up to 2 000 characters), or what the function resolved with. */
  body?: unknown;
  /** Why it failed: the thrown error's message and code, or the network error. */
  error?: string;
  /** Not settled within the bound: abandoned (its signal aborted). */
  timedOut?: boolean;
}

/** What an answer must look like (a fallback, a degraded answer, a steady state). */
export interface Expectation {
  /** Allowed statuses (HTTP); default: the action succeeds (2xx / resolves). */
  status?: number | number[];
  /** Headers that must be present: a string must be equal, a RegExp must match. */
  headers?: Record<string, string | RegExp>;
  /** Values at JSON pointers of the body: `{ '/source': 'cache' }`. */
  body?: Record<string, unknown>;
  /** The answer must come within this many ms. */
  maxMs?: number;
  /** Any other condition: false or a string (why) rejects. */
  satisfies?: (outcome: ActionOutcome) => boolean | string | undefined | void;
}

/** True for an {@link HttpAction}. */
export function isHttpAction(action: unknown): action is HttpAction {
  return typeof action === 'object' && action !== null && typeof (action as HttpAction).url === 'string';
}

/**
 * Trigger the subject once. Never throws: failures and timeouts are in the outcome.
 * `boundMs` abandons the action (aborting its signal) so no subject can hang a check.
 */
export async function runAction(action: Action, context: { url: string; signal: AbortSignal; boundMs: number }): Promise<ActionOutcome> {
  const controller = new AbortController();
  const signal = AbortSignal.any([controller.signal, context.signal]);
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'bound'>((resolve) => { timer = setTimeout(() => resolve('bound'), context.boundMs); });
  const aborted = new Promise<'aborted'>((resolve) => {
    if (context.signal.aborted) resolve('aborted');
    context.signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
  const attempt = (async (): Promise<ActionOutcome> => {
    try {
      if (isHttpAction(action)) return await httpOutcome(action, signal, started);
      const value = await action({ url: context.url, signal });
      return { ok: true, durationMs: since(started), ...(value === undefined ? {} : { body: summarise(value) }) };
    } catch (error) {
      return { ok: false, durationMs: since(started), error: describeError(error) };
    }
  })();
  try {
    const settled = await Promise.race([attempt, bound, aborted]);
    if (settled === 'bound' || settled === 'aborted') {
      controller.abort(new Error(settled === 'bound' ? `abandoned after ${context.boundMs} ms` : 'aborted'));
      attempt.catch(() => {});
      return { ok: false, durationMs: since(started), timedOut: true, error: `no answer within ${Math.round(since(started))} ms` };
    }
    return settled;
  } finally {
    clearTimeout(timer);
  }
}

async function httpOutcome(action: HttpAction, signal: AbortSignal, started: number): Promise<ActionOutcome> {
  const hasBody = action.body !== undefined;
  const headers: Record<string, string> = { ...(hasBody && typeof action.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...action.headers };
  const response = await fetch(action.url, {
    method: action.method ?? (hasBody ? 'POST' : 'GET'),
    headers,
    signal,
    ...(hasBody ? { body: typeof action.body === 'string' ? action.body : JSON.stringify(action.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text.length > 2_000 ? `${text.slice(0, 2_000)}…` : text;
  if (/json/i.test(response.headers.get('content-type') ?? '')) {
    try { body = JSON.parse(text); } catch { /* keep the text */ }
  }
  return {
    ok: response.status >= 200 && response.status < 300,
    durationMs: since(started),
    status: response.status,
    headers: Object.fromEntries(response.headers),
    ...(text === '' ? {} : { body }),
  };
}

/** Problems of an outcome against an expectation (empty when it holds). */
export function unmet(outcome: ActionOutcome, expectation: Expectation = {}): string[] {
  const problems: string[] = [];
  if (outcome.timedOut) return [outcome.error ?? 'no answer'];
  if (expectation.status !== undefined) {
    const allowed = ([] as number[]).concat(expectation.status);
    if (outcome.status === undefined) problems.push(`expected status ${allowed.join('/')}, but there was no HTTP answer${outcome.error ? ` (${outcome.error})` : ''}`);
    else if (!allowed.includes(outcome.status)) problems.push(`status ${outcome.status}, expected ${allowed.join('/')}`);
  } else if (!outcome.ok) {
    problems.push(outcome.status === undefined ? `failed: ${outcome.error ?? 'unknown error'}` : `status ${outcome.status}, expected 2xx`);
  }
  for (const [name, wanted] of Object.entries(expectation.headers ?? {})) {
    const actual = outcome.headers?.[name.toLowerCase()];
    const fits = actual !== undefined && (typeof wanted === 'string' ? actual === wanted : wanted.test(actual));
    if (!fits) problems.push(`header ${name} is ${actual === undefined ? 'missing' : JSON.stringify(actual)}, expected ${String(wanted)}`);
  }
  for (const [pointer, wanted] of Object.entries(expectation.body ?? {})) {
    const actual = atPointer(outcome.body, pointer);
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`body ${pointer} is ${JSON.stringify(actual) ?? 'missing'}, expected ${JSON.stringify(wanted)}`);
  }
  if (expectation.maxMs !== undefined && outcome.durationMs > expectation.maxMs) problems.push(`took ${Math.round(outcome.durationMs)} ms, expected ≤ ${expectation.maxMs} ms`);
  if (expectation.satisfies) {
    const verdict = expectation.satisfies(outcome);
    if (verdict === false || typeof verdict === 'string') problems.push(typeof verdict === 'string' ? verdict : 'the `satisfies` condition returned false');
  }
  return problems;
}

/** A one-line account of an outcome: `503 in 12 ms`, `ECONNREFUSED in 3 ms`, `no answer within 2000 ms`. */
export function describeOutcome(outcome: ActionOutcome): string {
  if (outcome.timedOut) return outcome.error ?? 'no answer';
  const what = outcome.status !== undefined ? String(outcome.status) : outcome.ok ? 'resolved' : `threw ${outcome.error ?? ''}`.trim();
  return `${what} in ${Math.round(outcome.durationMs)} ms`;
}

/** A `curl` line reproducing an HTTP action (for a failure's evidence). */
export function curlOf(action: HttpAction): string {
  const method = action.method ?? (action.body === undefined ? 'GET' : 'POST');
  const parts = ['curl', '-sS', '-i', '-X', method];
  for (const [name, value] of Object.entries(action.headers ?? {})) parts.push('-H', quote(`${name}: ${value}`));
  if (action.body !== undefined) parts.push('-H', quote('content-type: application/json'), '--data', quote(typeof action.body === 'string' ? action.body : JSON.stringify(action.body)));
  parts.push(quote(action.url));
  return parts.join(' ');
}

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function atPointer(value: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return value;
  let current = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function describeError(error: unknown): string {
  const code = systemCode(error);
  const message = messageOf(error);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

function summarise(value: unknown): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined || text.length <= 2_000 ? value : `${text.slice(0, 2_000)}…`;
  } catch {
    return String(value);
  }
}

function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}
