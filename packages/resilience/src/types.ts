import type { Probe } from '@probe/core';
import type { FaultTarget, ProxyHandle } from './proxy/handle.ts';
import type { BackoffPolicy } from './retry/backoff.ts';
import type { Action, Expectation, HttpAction } from './verify/action.ts';
import type { Tolerance } from './verify/arrivals.ts';

/** A transient fault the dependency can answer with: a status, a reset (RST), a close without answer, or no answer at all. */
export type TransientFault = number | 'reset' | 'close' | 'timeout';

/** What the client's retry policy is declared to be. */
export interface RetryExpectations {
  /** Attempts in all, the first included: the client never makes more (`resilience.retry.max-attempts`). */
  maxAttempts: number;
  /** The declared delays between attempts (`resilience.retry.backoff`; not checked when absent). */
  backoff?: BackoffPolicy;
  /** The client waits at least the server's `Retry-After` (checked with `503` + `Retry-After: 1`, then 200). */
  honoursRetryAfter?: boolean;
  /** Transient faults that must be retried (default `[503, 'reset']`; `timeout` needs a client-side timeout). */
  transient?: TransientFault[];
  /** Permanent statuses that must not be retried (default `[400, 404]`). */
  permanent?: number[];
}

/** What the client's (or the system's) circuit breaker is declared to do. */
export interface BreakerExpectations {
  /** After at most this many failing calls, calls stop reaching the dependency. */
  opensAfter: number;
  /** How long it stays open before a trial call may pass, in ms. */
  resetTimeoutMs: number;
  /** Trial calls let through while half-open (default 1, as opossum does). */
  halfOpenTrials?: number;
  /** How the dependency fails while the breaker is driven open (default 503). */
  failure?: number | 'reset';
  /** The breaker object when in-process (opossum `CircuitBreaker` or cockatiel `CircuitBreakerPolicy`): its own state changes join the evidence. */
  instance?: unknown;
}

/** The subject's own bound while its dependency does not answer. */
export interface TimeoutExpectations {
  /** The subject answers — anything: an error, a 504, a fallback — within this many ms. */
  within: number;
  /** The dependency's delay (default: it never answers). */
  dependencyDelayMs?: number;
}

/** The degraded answer while the dependency is down. */
export interface FallbackExpectations {
  /** What the answer must look like (default: success — a 2xx, or the function resolves). */
  expect?: Expectation;
  /** How the dependency fails (default `down`: connection refused; or `reset`, `timeout` — no answer — or a status). */
  fault?: 'down' | 'reset' | 'timeout' | number;
}

/** Options of {@link resilience}. */
export interface ResilienceOptions {
  /** The target's name in results (default: the action's host, or `client`). */
  name?: string;
  /**
   * How to trigger the subject once: an HTTP request to a running system whose dependency
   * points at `dependency.listen`, or a function that makes the user's client call `url`.
   */
  action: Action;
  /** The fake dependency the subject calls: @probe/api's fake upstream behind this package's fault proxy. */
  dependency?: {
    /** `host:port` the subject's dependency points at (default `127.0.0.1:0`: a free port, handed to a function action as `url`). */
    listen?: string;
    /** The route the subject calls, as the fake upstream's patterns (`POST /charges`); default every request. */
    route?: string;
  };
  /** Bound on one trigger of the subject in ms (default 3 000). */
  actionTimeoutMs?: number;
  retry?: RetryExpectations;
  breaker?: BreakerExpectations;
  timeout?: TimeoutExpectations;
  fallback?: FallbackExpectations;
  /** Timing slack of the gap and breaker judgements. */
  tolerance?: Partial<Tolerance>;
}

/** A steady-state probe that sends an HTTP request and holds the answer against `expect` (default: 2xx). */
export interface HttpSteadyProbe extends HttpAction {
  name?: string;
  expect?: Expectation;
}

/** A steady-state probe that runs a function: resolving is steady (or `expect` holds on what it resolved with), throwing is not. */
export interface FunctionSteadyProbe {
  name: string;
  run(context: { signal: AbortSignal }): unknown;
  expect?: Expectation;
}

/** A probe of the steady state: HTTP, a function, or any @probe/* probe (steady when none of its checks fails or errors). */
export type SteadyProbe = HttpSteadyProbe | FunctionSteadyProbe | Probe;

/** Options of {@link experiment}: a Chaos Toolkit-shaped degradation experiment. */
export interface ExperimentOptions {
  /** The target's name in results (default `experiment <proxy>`). */
  name?: string;
  /** Must hold before the fault (else the experiment is not run) and again after it, within `recovery.within`. */
  steadyState: SteadyProbe[];
  /** The fault: a proxy and what to do to it (a toxic, or `down`); `holdMs` waits after injecting it before `during` runs. */
  fault: FaultTarget & { holdMs?: number };
  /** Must hold while the fault is in force: the system degrades gracefully (answers fast, with 503 or fallback data). */
  during: SteadyProbe[];
  /** The steady state must come back within `within` ms of the fault's removal (default 5 000), polled every `intervalMs` (default 100). */
  recovery?: { within: number; intervalMs?: number };
  /** A declared secondary (a replica's proxy): while the fault's proxy is down, traffic must move to it (`resilience.failover`). */
  failover?: { secondary: ProxyHandle };
  /** Bound on each steady/during probe in ms (default 2 000). */
  probeTimeoutMs?: number;
}
