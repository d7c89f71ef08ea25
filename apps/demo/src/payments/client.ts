import CircuitBreaker from 'opossum';
import { setTimeout as sleep } from 'node:timers/promises';
import { AttemptFailed, PaymentRejected, PaymentUnavailable } from './errors.ts';

/** A charge the provider made. */
export interface Charge {
  id: string;
  status: 'succeeded';
  amountCents: number;
}

export interface ChargeRequest {
  orderId: string;
  customerId: number;
  amountCents: number;
}

export interface PaymentClientOptions {
  /** The provider's base URL (`http://127.0.0.1:4010`). */
  baseUrl: string;
  /** Bound on one attempt, headers and body (default 1 000 ms). */
  timeoutMs?: number;
  /** Bound on a whole charge, every attempt and wait included (default 2 500 ms). */
  totalTimeoutMs?: number;
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /** The first retry's nominal delay, doubling each time, capped at 1 s, with equal jitter (default 100 ms). */
  backoffMs?: number;
  /** The breaker opens when half of at least `volumeThreshold` (5) calls in 10 s failed, and tries again after `resetTimeoutMs` (2 000). */
  breaker?: { volumeThreshold?: number; resetTimeoutMs?: number };
  /** The `retriesClientErrors` defect: 4xx answers are retried as if transient. */
  retriesClientErrors?: boolean;
}

export interface PaymentClient {
  /** Charge an order once (the order id is the idempotency key, so retries never charge twice). */
  charge(request: ChargeRequest, options?: { signal?: AbortSignal }): Promise<Charge>;
  /** The breaker, for health and for the resilience probe's evidence. */
  readonly breaker: CircuitBreaker<[ChargeRequest, AbortSignal | undefined, number], Charge>;
}

const TRANSIENT_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
const MAX_BACKOFF_MS = 1_000;
const MAX_RETRY_AFTER_MS = 2_000;

/**
 * The payment provider's client: each attempt bounded by a timeout (and the
 * whole charge by an overall one), transient
 * failures (network errors, timeouts, 408/425/429/5xx) retried with exponential
 * backoff and equal jitter (honouring Retry-After), permanent ones (other 4xx)
 * not retried, and an opossum circuit breaker around the attempts so a failing
 * provider is left alone instead of being hammered.
 */
export function createPaymentClient(options: PaymentClientOptions): PaymentClient {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 2_500;
  const maxAttempts = options.maxAttempts ?? 3;
  const backoffMs = options.backoffMs ?? 100;
  const attempt = async (request: ChargeRequest, signal: AbortSignal | undefined, boundMs: number): Promise<Charge> => {
    const bound = AbortSignal.timeout(boundMs);
    let response: Response;
    let text: string;
    try {
      response = await fetch(new URL('/v1/charges', options.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': request.orderId },
        body: JSON.stringify({ amount: request.amountCents, currency: 'eur', metadata: { orderId: request.orderId, customerId: request.customerId } }),
        signal: signal ? AbortSignal.any([signal, bound]) : bound,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new AttemptFailed(bound.aborted ? `no answer within ${boundMs} ms` : `network error: ${(error as Error).message}`);
    }
    if (response.ok) {
      const body = JSON.parse(text) as { id: string; amount: number };
      return { id: body.id, status: 'succeeded', amountCents: body.amount };
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    throw new AttemptFailed(`${response.status} ${text.slice(0, 200)}`, response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1_000 : undefined);
  };
  const isPermanent = (error: unknown) => error instanceof AttemptFailed && error.status !== undefined && !TRANSIENT_STATUSES.has(error.status);
  const breaker = new CircuitBreaker(attempt, {
    name: 'payments',
    timeout: false, // each attempt has its own timeout
    volumeThreshold: options.breaker?.volumeThreshold ?? 5,
    errorThresholdPercentage: 50,
    resetTimeout: options.breaker?.resetTimeoutMs ?? 2_000,
    rollingCountTimeout: 10_000,
    errorFilter: isPermanent, // a declined card says nothing about the provider's health
  });
  return {
    breaker,
    async charge(request, { signal } = {}) {
      const deadline = Date.now() + totalTimeoutMs;
      for (let attemptNumber = 1; ; attemptNumber++) {
        try {
          return await breaker.fire(request, signal, Math.max(1, Math.min(timeoutMs, deadline - Date.now())));
        } catch (error) {
          if (signal?.aborted) throw error;
          if ((error as { code?: string }).code === 'EOPENBREAKER') throw new PaymentUnavailable('the payment breaker is open: the provider failed repeatedly');
          const failure = error as AttemptFailed;
          const permanent = isPermanent(failure);
          if (permanent && !options.retriesClientErrors) throw new PaymentRejected(failure.status!, failure.message);
          if (attemptNumber >= maxAttempts) {
            throw permanent ? new PaymentRejected(failure.status!, failure.message) : new PaymentUnavailable(`the payment provider failed ${attemptNumber} times: ${failure.message}`);
          }
          const nominal = Math.min(backoffMs * 2 ** (attemptNumber - 1), MAX_BACKOFF_MS);
          const delay = Math.max(nominal / 2 + Math.random() * (nominal / 2), Math.min(failure.retryAfterMs ?? 0, MAX_RETRY_AFTER_MS));
          if (Date.now() + delay >= deadline) throw new PaymentUnavailable(`the payment provider failed ${attemptNumber} times within ${totalTimeoutMs} ms: ${failure.message}`);
          await sleep(delay, undefined, signal ? { signal } : {});
        }
      }
    },
  };
}
