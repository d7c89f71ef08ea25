/** Option schemas (zod) and the step from a validated shape to the engine's plan. */
import { z } from 'zod';
import { toMs } from './engine/duration.ts';
import { Profile, type Stage } from './engine/schedule.ts';
import type { LoadShape } from './types.ts';

const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { message: 'expected a function' });
const duration = z.union([z.number(), z.string()]).refine((value) => toMs(value) !== undefined, {
  message: 'expected a duration: milliseconds or "500ms", "10s", "2m"',
});
const count = z.number().int('expected a whole number').positive('expected a number above 0');
const positive = z.number().positive('expected a number above 0');
const MAX_DURATION_MS = 3_600_000;

const thresholds = z.strictObject({
  p50Ms: positive.optional(), p90Ms: positive.optional(), p95Ms: positive.optional(), p99Ms: positive.optional(),
  p999Ms: positive.optional(), maxMs: positive.optional(),
  maxErrorRate: z.number().min(0).max(1, 'expected a ratio between 0 and 1').optional(),
  minRps: positive.optional(),
});

const capacity = z.strictObject({
  from: positive, to: positive, step: positive.optional(), factor: z.number().gt(1, 'expected a factor above 1').optional(),
  stepDuration: duration.optional(), minRate: positive.optional(),
}).refine((value) => value.to >= value.from, { message: 'expected to >= from', path: ['to'] });

const degradation = z.strictObject({
  maxFactor: z.number().gt(1, 'expected a factor above 1').optional(),
  percentile: z.enum(['p50', 'p90', 'p95', 'p99']).optional(),
  lowRate: positive.optional(), highRate: positive.optional(), stepDuration: duration.optional(),
}).refine((value) => (value.lowRate === undefined) === (value.highRate === undefined), { message: 'give both lowRate and highRate, or neither', path: ['highRate'] })
  .refine((value) => value.lowRate === undefined || value.highRate! > value.lowRate, { message: 'expected highRate > lowRate', path: ['highRate'] });

const resources = z.strictObject({
  pid: count.optional(),
  metricsUrl: z.string().regex(/^https?:\/\//i, 'expected an http:// or https:// URL').optional(),
  maxCpuPercent: positive.optional(), maxRssMb: positive.optional(), interval: duration.optional(),
}).refine((value) => value.pid !== undefined || value.metricsUrl !== undefined, { message: 'give pid or metricsUrl' });

const baseline = z.strictObject({ file: z.string().min(1), maxRegressionPercent: positive.optional() });

const stage = z.strictObject({ duration, target: z.number().min(0, 'expected a level >= 0') });

/** Fields shared by every load probe. */
const loadShapeFields = {
  model: z.enum(['closed', 'open']).optional(),
  connections: count.max(10_000, 'expected at most 10000 connections').optional(),
  rate: z.number().positive('expected a rate above 0 requests/s').max(1_000_000, 'expected at most 1000000 requests/s').optional(),
  stages: z.array(stage).min(1).max(100).optional(),
  duration: duration.optional(),
  requests: count.optional(),
  warmup: duration.optional(),
  timeout: duration.optional(),
  lateAfter: duration.optional(),
  name: z.string().min(1).optional(),
  thresholds: thresholds.optional(),
  capacity: capacity.optional(),
  degradation: degradation.optional(),
  resources: resources.optional(),
  baseline: baseline.optional(),
  progress: z.union([z.enum(['log', 'off']), fn]).optional(),
  checklist: z.array(z.string()).optional(),
  writes: z.boolean().optional(),
  distribute: z.boolean().optional(),
};

/** Checks across fields: a model needs its level, durations are bounded. */
function refineShape(value: LoadShape, context: z.RefinementCtx): void {
  if (value.model === 'open' && value.rate === undefined && !value.stages) {
    context.addIssue({ code: 'custom', path: ['rate'], message: 'the open model needs a rate (requests/s) or stages' });
  }
  if (value.model === 'closed' && value.rate !== undefined) {
    context.addIssue({ code: 'custom', path: ['rate'], message: 'rate is for the open model; the closed model takes connections' });
  }
  if (value.stages && value.duration !== undefined) {
    context.addIssue({ code: 'custom', path: ['duration'], message: 'give duration or stages, not both (stages set the duration)' });
  }
  const total = value.stages ? value.stages.reduce((sum, item) => sum + (toMs(item.duration) ?? 0), 0) : toMs(value.duration ?? 0) ?? 0;
  if (total > MAX_DURATION_MS) context.addIssue({ code: 'custom', path: [value.stages ? 'stages' : 'duration'], message: 'expected at most 1 h of load' });
  if (value.stages && total <= 0) context.addIssue({ code: 'custom', path: ['stages'], message: 'expected stages lasting more than 0 ms' });
  if (value.duration !== undefined && (toMs(value.duration) ?? 0) <= 0) context.addIssue({ code: 'custom', path: ['duration'], message: 'expected a duration above 0' });
}

/** The schema of `httpLoad(...)` options. */
export const httpLoadSchema = z.strictObject({
  ...loadShapeFields,
  url: z.string().regex(/^https?:\/\/[^\s/]+/i, 'expected an http:// or https:// URL'),
  method: z.string().regex(/^[A-Za-z]+$/, 'expected an HTTP method such as GET').optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  pipelining: count.max(1_000, 'expected at most 1000 requests in flight per connection').optional(),
  generate: z.union([z.array(z.strictObject({
    method: z.string().regex(/^[A-Za-z]+$/).optional(), path: z.string().startsWith('/').optional(),
    headers: z.record(z.string(), z.string()).optional(), body: z.unknown().optional(),
  })), fn]).optional(),
  expectStatus: z.union([z.array(z.number().int().min(100).max(999)).min(1), fn]).optional(),
  check: fn.optional(),
  engine: z.enum(['auto', 'fast', 'undici']).optional(),
  tls: z.record(z.string(), z.unknown()).optional(),
}).superRefine(refineShape);

/** The schema of `load(fn, options)` options. */
export const loadSchema = z.strictObject({
  ...loadShapeFields,
  kind: z.string().min(1).optional(),
  url: z.string().optional(),
  check: fn.optional(),
}).superRefine(refineShape);

/** What the engine needs, resolved from a shape. */
export interface LoadPlan {
  model: 'closed' | 'open';
  /** Warm-up followed by the measured profile. */
  profile: Profile;
  warmupMs: number;
  /** The measured phase alone. */
  durationMs: number;
  maxRequests: number;
  timeoutMs: number;
  lateAfterMs: number;
  /** Connections (or concurrent calls) to open. */
  connections: number;
}

/** Defaults: closed model, 10 connections, 10 s; open model, 100 connections. */
export function planLoad(shape: LoadShape): LoadPlan {
  const model = shape.model ?? (shape.rate !== undefined ? 'open' : 'closed');
  const open = model === 'open';
  const stages: Stage[] = shape.stages
    ? shape.stages.map((item) => ({ durationMs: toMs(item.duration)!, target: item.target }))
    : [];
  const start = open ? shape.rate ?? 0 : shape.stages ? shape.connections ?? 1 : shape.connections ?? 10;
  const measured = stages.length > 0 ? stages : [{ durationMs: toMs(shape.duration ?? '10s')!, target: start }];
  const durationMs = measured.reduce((sum, item) => sum + item.durationMs, 0);
  const warmupMs = shape.warmup !== undefined ? toMs(shape.warmup)! : Math.min(1_000, Math.round(durationMs / 5));
  // Warm-up holds the starting level, or the first stage's target when the ramp starts from zero.
  const warmLevel = start > 0 ? start : stages[0]?.target ?? 0;
  const profile = new Profile(warmupMs > 0 ? warmLevel : start, [
    ...(warmupMs > 0 ? [{ durationMs: warmupMs, target: warmLevel }, { durationMs: 0, target: start }] : []),
    ...measured,
  ]);
  const peak = Math.max(start, ...measured.map((item) => item.target));
  return {
    model,
    profile,
    warmupMs,
    durationMs,
    maxRequests: shape.requests ?? 10_000_000,
    timeoutMs: toMs(shape.timeout ?? '5s')!,
    lateAfterMs: toMs(shape.lateAfter ?? '10ms')!,
    connections: open ? shape.connections ?? 100 : Math.max(1, Math.ceil(peak), shape.connections ?? 0),
  };
}
