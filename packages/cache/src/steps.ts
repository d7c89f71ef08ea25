import type { Redis } from 'ioredis';
import { failStep, isStepFailure, type FlowStep, type StepContext } from '@probe/core';
import { endpointOf, openRedis } from './connection.ts';
import { shellQuote, truncate } from './util.ts';

/** What a {@link cacheStep} saw; later steps find it in `state[name]`. */
export interface CacheEntry {
  key: string;
  exists: boolean;
  /** `string`, `hash`, … (`none` when absent). */
  type: string;
  /** A string's value, or a hash's fields; undefined for other types and absent keys. */
  value?: string | Record<string, string>;
  /** Remaining time to live in ms; -1 without a TTL, undefined when absent. */
  ttlMs?: number;
}

/** What the entry must look like. */
export type CacheExpectation<S> =
  /** The key is gone (invalidated). */
  | 'absent'
  /** The key is there. */
  | 'present'
  /** Any condition: call `expectStep`/`failStep`, or return `false` or a string (why it does not hold). */
  | ((entry: CacheEntry, state: S) => boolean | string | void);

/** Options of {@link cacheStep}. */
export interface CacheStepOptions<S extends Record<string, unknown> = Record<string, unknown>> {
  /** The step's name, unique in the flow; what it saw is `state[name]`. */
  name: string;
  /** The system shown in the evidence (default `redis`). */
  target?: string;
  /** `redis://` or `rediss://` URL (user, password and db in it). */
  url: string;
  /** The key, or a function of what earlier steps returned (`demo:product:${id}`). */
  key: string | ((state: S) => string);
  expect?: CacheExpectation<S>;
  /** Bound on connecting and on each command (default 2 000 ms). */
  timeoutMs?: number;
}

/**
 * A flow step that looks at one cache entry — read only: TYPE, PTTL and GET or
 * HGETALL — and checks it: `'absent'` after an invalidation, `'present'`, or a
 * condition on its value (fresh, not stale). Fails naming the step, with what it
 * found and a `redis-cli` line.
 */
export function cacheStep<S extends Record<string, unknown> = Record<string, unknown>>(options: CacheStepOptions<S>): FlowStep<S> {
  return {
    name: options.name,
    target: options.target ?? 'redis',
    async run(context) {
      const key = typeof options.key === 'function' ? options.key(context.state) : options.key;
      const timeoutMs = options.timeoutMs ?? 2_000;
      const client = await openRedis(endpointOf(options.url), { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs, connectionName: `probe:${context.runId}` });
      const abort = () => client.disconnect();
      context.signal.addEventListener('abort', abort, { once: true });
      try {
        const entry = await read(client, key);
        judge(options, entry, context);
        return entry;
      } finally {
        context.signal.removeEventListener('abort', abort);
        client.disconnect();
      }
    },
  };
}

async function read(client: Redis, key: string): Promise<CacheEntry> {
  const [type, ttlMs] = await Promise.all([client.type(key), client.pttl(key)]);
  if (type === 'none') return { key, exists: false, type };
  const value = type === 'string' ? (await client.get(key)) ?? undefined : type === 'hash' ? await client.hgetall(key) : undefined;
  return { key, exists: true, type, ...(value === undefined ? {} : { value }), ttlMs };
}

function judge<S extends Record<string, unknown>>(options: CacheStepOptions<S>, entry: CacheEntry, context: StepContext<S>): void {
  const evidence = () => {
    const shown = typeof entry.value === 'string' ? truncate(entry.value, 500) : entry.value;
    const command = entry.type === 'hash' ? 'HGETALL' : 'GET';
    const reproduce = context.redact(['redis-cli', '-u', options.url, command, entry.key].map(shellQuote).join(' '));
    return { key: entry.key, type: entry.type, ...(shown === undefined ? {} : { value: shown }), ...(entry.ttlMs === undefined ? {} : { ttlMs: entry.ttlMs }), reproduce };
  };
  const expected = options.expect;
  if (expected === 'absent') {
    if (entry.exists) failStep(`${entry.key} is still cached (TTL ${entry.ttlMs} ms): it was not invalidated`, evidence());
    return;
  }
  if (expected === 'present') {
    if (!entry.exists) failStep(`${entry.key} is not cached`, evidence());
    return;
  }
  let verdict: boolean | string | void;
  try {
    verdict = expected?.(entry, context.state);
  } catch (error) {
    if (isStepFailure(error)) failStep(error.message, { ...error.evidence, ...evidence() });
    throw error;
  }
  if (verdict === false || typeof verdict === 'string') failStep(`${entry.key}: ${verdict || 'the entry does not hold'}`, evidence());
}
