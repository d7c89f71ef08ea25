/**
 * Sample subjects for the verifier tests: clients and services that are right, and ones
 * with the defects the verifiers exist to catch.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { retry } from '../src/retry/retry.ts';
import { isTransient } from '../src/retry/transient.ts';
import { parseRetryAfter, type BackoffPolicy } from '../src/retry/backoff.ts';
import type { ActionFunction } from '../src/verify/action.ts';

/** An HTTP failure a client throws, carrying the status and Retry-After. */
class HttpError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | undefined;
  constructor(status: number, retryAfter: string | null) {
    super(`HTTP ${status}`);
    this.status = status;
    this.retryAfterMs = parseRetryAfter(retryAfter);
  }
}

async function getOnce(url: string, signal: AbortSignal, timeoutMs: number | undefined = 1_000): Promise<unknown> {
  const response = await fetch(`${url}/charges`, { signal: timeoutMs === undefined ? signal : AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
  if (!response.ok) throw new HttpError(response.status, response.headers.get('retry-after'));
  return response.json();
}

/** A right client: transient failures retried with the policy's backoff, permanent ones not, Retry-After honoured (built on `retry`). */
export function goodClient(maxAttempts: number, backoff: BackoffPolicy, attemptTimeoutMs = 1_000): ActionFunction {
  return ({ url, signal }) => retry(() => getOnce(url, signal, attemptTimeoutMs), {
    attempts: maxAttempts, backoff, signal,
    retryable: (error) => isTransient(error) || (error as Error).name === 'TimeoutError',
  });
}

/** Retries everything, 400 and 404 included. */
export function retriesEverythingClient(maxAttempts: number, delayMs: number): ActionFunction {
  return async ({ url, signal }) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await getOnce(url, signal);
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
        await sleep(delayMs);
      }
    }
  };
}

/** Retries transient failures at once, with no backoff at all. */
export function noBackoffClient(maxAttempts: number): ActionFunction {
  return ({ url, signal }) => retry(() => getOnce(url, signal), { attempts: maxAttempts, backoff: { type: 'constant', delayMs: 0 }, signal });
}

/** Retries transient failures after a fixed delay: no jitter, and Retry-After ignored. */
export function fixedDelayClient(maxAttempts: number, delayMs: number): ActionFunction {
  return ({ url, signal }) => retry(() => getOnce(url, signal).catch((error: HttpError) => {
    throw Object.assign(new Error(error.message), { status: error.status });
  }), { attempts: maxAttempts, backoff: { type: 'constant', delayMs }, signal });
}

/** Does not retry at all. */
export function noRetryClient(): ActionFunction {
  return ({ url, signal }) => getOnce(url, signal);
}

/** An opossum breaker around a one-shot call: opens after the first failure (opossum's default with volumeThreshold 0). */
export function opossumClient(resetTimeoutMs: number, options: Partial<CircuitBreaker.Options> = {}): { action: ActionFunction; breaker: CircuitBreaker } {
  const breaker = new CircuitBreaker((url: string, signal: AbortSignal) => getOnce(url, signal), {
    timeout: 1_000, resetTimeout: resetTimeoutMs, errorThresholdPercentage: 50, volumeThreshold: 2, ...options,
  });
  return { breaker, action: ({ url, signal }) => breaker.fire(url, signal) };
}

/** A hand-rolled breaker with the classic bug: after the reset timeout it lets every call through, not one trial. */
export function leakyHalfOpenClient(opensAfter: number, resetTimeoutMs: number): ActionFunction {
  let failures = 0;
  let openedAt: number | undefined;
  return async ({ url, signal }) => {
    if (openedAt !== undefined && Date.now() - openedAt < resetTimeoutMs) throw new Error('breaker open');
    try {
      const value = await getOnce(url, signal);
      failures = 0;
      openedAt = undefined;
      return value;
    } catch (error) {
      if (++failures >= opensAfter) {
        openedAt = Date.now();
        failures = 0;
      }
      throw error;
    }
  };
}

/** A small service on its own port that calls its dependency for every request, the way a real system under test would. */
export async function startService(options: {
  dependency: () => string;
  /** How it calls its dependency (default: one fetch, with `timeoutMs`). */
  call?: ActionFunction;
  /** Client-side timeout on the dependency call (undefined: none — it hangs with its dependency). */
  timeoutMs?: number;
  /** Answer from a cache when the dependency fails (else 502). */
  fallback?: boolean;
}): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (_request, response) => {
    try {
      const data = options.call
        ? await options.call({ url: options.dependency(), signal: new AbortController().signal })
        : await getOnce(options.dependency(), new AbortController().signal, options.timeoutMs);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ source: 'live', data }));
    } catch (error) {
      if (options.fallback) {
        response.writeHead(200, { 'content-type': 'application/json', 'x-fallback': 'cache' }).end(JSON.stringify({ source: 'cache', data: [] }));
      } else {
        const timedOut = (error as Error).name === 'TimeoutError';
        response.writeHead(timedOut ? 504 : 502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: (error as Error).message }));
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** A free TCP port on 127.0.0.1 (for a system whose dependency address is fixed before the probe starts). */
export async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
