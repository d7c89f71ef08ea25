import { eventually, failStep, isStepFailure, type EventuallyWindow, type FlowStep, type StepContext } from '@probe/core';
import { createClient, type Exchange } from './client/client.ts';
import { describeExchange } from './client/curl.ts';

/** A value, or a function of what earlier steps returned. */
export type FromState<T, S> = T | ((state: S) => T);

/** What an {@link httpStep} returns; later steps find it in `state[name]`. */
export interface HttpStepResult {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string | string[]>;
  /** The parsed JSON body, else the text ('' when empty). */
  body: unknown;
  /** Requests sent: more than one when `eventually` repeated it. */
  attempts: number;
}

/** A request that undoes a step's effect (`DELETE /orders/{id}`), sent after the flow. */
export interface UndoRequest {
  method?: string;
  /** Relative to the base URL. */
  path: string;
  headers?: Record<string, string>;
}

/** Options of {@link httpStep}. */
export interface HttpStepOptions<S extends Record<string, unknown> = Record<string, unknown>> {
  /** The step's name, unique in the flow; its result is `state[name]`. */
  name: string;
  /** The system shown in the evidence (default `api`). */
  target?: string;
  /** Base URL; `path` is appended. */
  baseUrl: string;
  /** Default GET. */
  method?: string;
  path: FromState<string, S>;
  headers?: FromState<Record<string, string>, S>;
  /** A JSON body (sent with `Content-Type: application/json`). */
  json?: FromState<unknown, S>;
  /** Statuses that pass (default any 2xx). */
  status?: number | number[];
  /**
   * More conditions on the answer: call `expectStep`/`failStep`, or return
   * `false` or a string (why it does not hold). The flow fails at this step.
   */
  expect?: (result: HttpStepResult, state: S) => boolean | string | void;
  /**
   * Send the request again until the status and `expect` hold — for effects that
   * appear asynchronously (an order processed by a consumer) — for at most
   * `withinMs`, every `intervalMs` (default 100). The flow's deadline bounds it too.
   */
  eventually?: EventuallyWindow;
  /** After the flow (also after a failure), send this request to undo the step's effect. */
  undo?: (result: HttpStepResult, state: S) => UndoRequest | undefined;
  /** Bound on each request (default 5 000 ms). */
  timeoutMs?: number;
}

/**
 * A flow step that sends one HTTP request and checks the answer. Fails (naming
 * the step) with the request as a `curl` line, the status and the body; a
 * connection that cannot be made is an `error` (PROBE_ERR_UNREACHABLE).
 */
export function httpStep<S extends Record<string, unknown> = Record<string, unknown>>(options: HttpStepOptions<S>): FlowStep<S> {
  const method = (options.method ?? 'GET').toUpperCase();
  return {
    name: options.name,
    target: options.target ?? 'api',
    async run(context) {
      const timeoutMs = options.timeoutMs ?? 5_000;
      const client = createClient({ baseUrl: options.baseUrl, runId: context.runId, requestTimeoutMs: timeoutMs, connectTimeoutMs: Math.min(timeoutMs, 3_000), maxBodyBytes: 1024 * 1024 });
      const path = resolve(options.path, context.state);
      const headers = resolve(options.headers, context.state);
      const json = resolve(options.json, context.state);
      try {
        return await eventually(async (attempts) => {
          const exchange = await client.send({ method, path, ...(headers ? { headers } : {}), ...(json !== undefined ? { json } : {}) }, context.signal);
          const result = toResult(exchange, attempts);
          judge(options, exchange, result, context);
          if (options.undo) deferUndo(options, result, context);
          return result;
        }, options.eventually, context.signal);
      } finally {
        await client.close();
      }
    },
  };
}

function judge<S extends Record<string, unknown>>(options: HttpStepOptions<S>, exchange: Exchange, result: HttpStepResult | undefined, context: StepContext<S>): asserts result is HttpStepResult {
  const evidence = () => ({ ...describeExchange(exchange, context.redact), ...(result && result.attempts > 1 ? { attempts: result.attempts } : {}) });
  const line = `${exchange.request.method} ${new URL(exchange.request.url).pathname}`;
  if (!result) failStep(`${line} got no answer: ${exchange.error ?? 'no response'}`, evidence());
  const allowed = options.status === undefined ? undefined : [options.status].flat();
  if (allowed ? !allowed.includes(result.status) : result.status < 200 || result.status > 299) {
    failStep(`${line} answered ${result.status}, expected ${allowed ? allowed.join(' or ') : '2xx'}${result.attempts > 1 ? ` (after ${result.attempts} tries)` : ''}`, evidence());
  }
  let verdict: boolean | string | void;
  try {
    verdict = options.expect?.(result, context.state);
  } catch (error) {
    if (isStepFailure(error)) failStep(`${line}: ${error.message}`, { ...error.evidence, ...evidence() });
    throw error;
  }
  if (verdict === false || typeof verdict === 'string') failStep(`${line}: ${verdict || 'the answer does not hold'}`, evidence());
}

function deferUndo<S extends Record<string, unknown>>(options: HttpStepOptions<S>, result: HttpStepResult, context: StepContext<S>): void {
  const undo = options.undo!(result, context.state);
  if (!undo) return;
  context.defer(async () => {
    const client = createClient({ baseUrl: options.baseUrl, runId: context.runId, requestTimeoutMs: 5_000, connectTimeoutMs: 3_000, maxBodyBytes: 64 * 1024 });
    try {
      const exchange = await client.send({ method: undo.method ?? 'DELETE', path: undo.path, ...(undo.headers ? { headers: undo.headers } : {}) }, AbortSignal.timeout(5_000));
      const status = exchange.response?.status;
      if (status === undefined || status >= 400) context.log.warn(`${options.name}: undo ${undo.method ?? 'DELETE'} ${undo.path} answered ${status ?? exchange.error}`);
    } finally {
      await client.close();
    }
  });
}

function toResult(exchange: Exchange, attempts: number): HttpStepResult | undefined {
  const response = exchange.response;
  if (!response) return undefined;
  return { status: response.status, headers: response.headers, body: response.json !== undefined ? response.json : response.body, attempts };
}

function resolve<T, S>(value: FromState<T, S> | undefined, state: S): T | undefined {
  return typeof value === 'function' ? (value as (state: S) => T)(state) : value;
}
