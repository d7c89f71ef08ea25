import { z } from 'zod';
import { TOXIC_TYPES } from './proxy/toxics.ts';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { message: 'expected a function' });
const httpUrl = z.string().refine((value) => /^https?:\/\/[^\s/]+/i.test(value), { message: 'expected an http:// or https:// URL' });
const address = z.string().regex(/^(\[[^\]]+\]|[^:\s]*):\d{1,5}$/, 'expected host:port, e.g. "127.0.0.1:9999"');
const positive = z.number().positive();
const milliseconds = z.number().int().nonnegative();
const status = z.number().int().min(100).max(599);

const httpAction = z.strictObject({
  url: httpUrl,
  method: z.string().regex(/^[A-Za-z]+$/).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});

/** An action: an HTTP request to the system under test, or a function calling the user's client. */
export const actionSchema = z.union([fn, httpAction], { error: 'expected a function ({ url, signal }) => … or an HTTP request { url, method?, headers?, body? }' });

const expectation = z.strictObject({
  status: z.union([status, z.array(status).min(1)]).optional(),
  headers: z.record(z.string(), z.union([z.string(), z.instanceof(RegExp)])).optional(),
  body: z.record(z.string().regex(/^(\/.*)?$/, 'expected a JSON pointer such as "/source"'), z.unknown()).optional(),
  maxMs: positive.optional(),
  satisfies: fn.optional(),
});

const jitter = z.union([z.enum(['none', 'full', 'equal', 'decorrelated']), z.number().gt(0).max(1)]);
const backoff = z.strictObject({
  type: z.enum(['constant', 'linear', 'exponential']),
  delayMs: positive,
  factor: z.number().gt(1).optional(),
  maxDelayMs: positive.optional(),
  jitter: jitter.optional(),
});

/** The zod schema of {@link ResilienceOptions}. */
export const resilienceOptionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  action: actionSchema,
  dependency: z.strictObject({ listen: address.optional(), route: z.string().min(1).optional() }).optional(),
  actionTimeoutMs: positive.optional(),
  retry: z.strictObject({
    maxAttempts: z.number().int().min(1).max(20),
    backoff: backoff.optional(),
    honoursRetryAfter: z.boolean().optional(),
    transient: z.array(z.union([status, z.enum(['reset', 'close', 'timeout'])])).min(1).optional(),
    permanent: z.array(status).min(1).optional(),
  }).optional(),
  breaker: z.strictObject({
    opensAfter: z.number().int().min(1).max(100),
    resetTimeoutMs: positive.max(60_000),
    halfOpenTrials: z.number().int().min(1).max(20).optional(),
    failure: z.union([status, z.literal('reset')]).optional(),
    instance: z.unknown().optional(),
  }).optional(),
  timeout: z.strictObject({ within: positive, dependencyDelayMs: milliseconds.optional() }).optional(),
  fallback: z.strictObject({ expect: expectation.optional(), fault: z.union([z.enum(['down', 'reset', 'timeout']), status]).optional() }).optional(),
  tolerance: z.strictObject({ lateMs: milliseconds.optional(), lateRatio: z.number().nonnegative().optional(), earlyMs: milliseconds.optional() }).optional(),
});

const proxyHandle = z.custom<object>((value) => typeof value === 'object' && value !== null
  && ['state', 'addToxic', 'removeToxic', 'setEnabled'].every((method) => typeof (value as Record<string, unknown>)[method] === 'function'), {
  message: 'expected a proxy handle (startFaultProxy(…) or createToxiproxyClient(…).handle(name))',
});
const toxicSpec = z.union([
  z.strictObject({ type: z.literal('down') }),
  z.strictObject({
    type: z.enum(TOXIC_TYPES as [string, ...string[]]),
    name: z.string().min(1).optional(),
    stream: z.enum(['upstream', 'downstream']).optional(),
    toxicity: z.number().min(0).max(1).optional(),
    attributes: z.record(z.string(), z.number().nonnegative()).optional(),
  }),
], { error: 'expected a toxic ({ type: "latency", attributes: { latency: 500 } }) or { type: "down" }' });

const steadyProbe = z.union([
  httpAction.extend({ name: z.string().optional(), expect: expectation.optional() }).strict(),
  z.strictObject({ name: z.string().min(1), run: fn, expect: expectation.optional() }),
  z.custom<object>((value) => typeof value === 'object' && value !== null && Array.isArray((value as { checks?: unknown }).checks) && typeof (value as { target?: unknown }).target === 'object'),
], { error: 'expected an HTTP probe { url, expect? }, a function probe { name, run }, or a @probe/* probe' });

/** The zod schema of {@link ExperimentOptions}. */
export const experimentOptionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  steadyState: z.array(steadyProbe).min(1),
  fault: z.strictObject({ proxy: proxyHandle, toxic: toxicSpec, holdMs: milliseconds.optional() }),
  during: z.array(steadyProbe).min(1),
  recovery: z.strictObject({ within: positive, intervalMs: positive.optional() }).optional(),
  failover: z.strictObject({ secondary: proxyHandle }).optional(),
  probeTimeoutMs: positive.optional(),
});
