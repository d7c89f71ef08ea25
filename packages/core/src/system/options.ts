import { z } from 'zod';
import type { ConfigIssue } from '../protocol/types.ts';
import { endpointOf } from './endpoint.ts';
import { parseRange, type VersionRange } from './semver-range.ts';
import type { SystemOptions } from './types.ts';

const fn = (what: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
  error: (issue) => `expected ${what}, got ${issue.input === undefined ? 'nothing' : typeof issue.input}`,
});
const name = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, { error: (issue) => `expected a kebab-case name like "orders-to-warehouse", got ${JSON.stringify(issue.input)}` });
const positiveMs = z.number().int().positive({ error: (issue) => `expected a positive whole number of milliseconds, got ${JSON.stringify(issue.input)}` });
const sample = z.number().int().positive({ error: (issue) => `expected a positive whole number of keys, got ${JSON.stringify(issue.input)}` });

/** The zod schema of {@link SystemOptions}: shapes and types; cross-field rules are in {@link systemOptionIssues}. */
export const systemOptionsSchema = z.object({
  name: z.string().min(1).optional(),
  targets: z.array(z.object({
    name: z.string().min(1, { error: 'expected a non-empty name' }),
    url: z.string({ error: 'expected a URL such as postgres://db:5432/app' }),
    version: fn('a function ({ signal }) => version text').optional(),
    ping: fn('a function ({ signal }) => a round trip').optional(),
  }).strict()).min(1, { error: 'expected at least one target' }),
  versions: z.record(z.string(), z.string()).optional(),
  availability: z.object({ warnMs: positiveMs.optional() }).strict().optional(),
  hookTimeoutMs: positiveMs.optional(),
  pipelines: z.array(z.object({
    name,
    title: z.string().optional(),
    source: fn('a function ({ signal }) => rows'),
    transform: fn('a function (row) => row').optional(),
    sink: fn('a function ({ signal }) => rows'),
    key: z.union([z.string().min(1), fn('a column name or a function (row) => key')]),
    sample: sample.optional(),
    timeoutMs: positiveMs.optional(),
  }).strict()).optional(),
  drift: z.object({
    stores: z.array(z.object({
      name: z.string().min(1),
      keys: fn('a function ({ signal }) => keys'),
      read: fn('a function (keys, { signal }) => Map of key → value'),
      subset: z.boolean().optional(),
    }).strict()).min(2, { error: 'expected at least two stores: the reference first, then the stores compared with it' }),
    threshold: z.number().min(0).max(1, { error: 'expected a share between 0 and 1 (0.01 = 1 %)' }).optional(),
    sample: sample.optional(),
    timeoutMs: positiveMs.optional(),
  }).strict().optional(),
  isolation: z.array(z.object({
    target: z.string().min(1),
    fingerprint: fn('a function ({ signal }) => state'),
  }).strict()).optional(),
  checks: z.array(z.custom<object>((value) => typeof value === 'object' && value !== null, { error: 'expected a check (defineCheck, defineFlow)' })).optional(),
}).strict();

/**
 * Rules across fields, after the shapes hold: target names unique, URLs with a
 * host and a port, each declared range parses and names a target with a
 * `version` hook, pipeline and store names unique. Returns the parsed ranges.
 */
export function systemOptionIssues(options: SystemOptions): { issues: ConfigIssue[]; ranges: Map<string, VersionRange> } {
  const issues: ConfigIssue[] = [];
  const ranges = new Map<string, VersionRange>();
  duplicates(options.targets.map((target) => target.name)).forEach((index) => {
    issues.push({ path: `targets[${index}].name`, message: `"${options.targets[index]!.name}" names another target too; give each a unique name` });
  });
  options.targets.forEach((target, index) => {
    try {
      endpointOf(target.url);
    } catch (error) {
      issues.push({ path: `targets[${index}].url`, message: (error as Error).message });
    }
  });
  for (const [targetName, range] of Object.entries(options.versions ?? {})) {
    const target = options.targets.find((candidate) => candidate.name === targetName);
    if (!target) issues.push({ path: `versions.${targetName}`, message: `no target is named "${targetName}"; targets: ${options.targets.map((candidate) => candidate.name).join(', ')}` });
    else if (!target.version) issues.push({ path: `versions.${targetName}`, message: `target "${targetName}" has no version hook to read its version from; add version: async () => …` });
    try {
      ranges.set(targetName, parseRange(range));
    } catch (error) {
      issues.push({ path: `versions.${targetName}`, message: (error as Error).message });
    }
  }
  duplicates((options.pipelines ?? []).map((pipeline) => pipeline.name)).forEach((index) => {
    issues.push({ path: `pipelines[${index}].name`, message: `"${options.pipelines![index]!.name}" names another pipeline too` });
  });
  duplicates((options.drift?.stores ?? []).map((store) => store.name)).forEach((index) => {
    issues.push({ path: `drift.stores[${index}].name`, message: `"${options.drift!.stores[index]!.name}" names another store too` });
  });
  if (options.drift?.stores[0]?.subset) issues.push({ path: 'drift.stores[0].subset', message: 'the first store is the reference (the source of truth) and cannot be a subset' });
  duplicates((options.isolation ?? []).map((entry) => entry.target)).forEach((index) => {
    issues.push({ path: `isolation[${index}].target`, message: `"${options.isolation![index]!.target}" has another fingerprint too; combine them into one` });
  });
  return { issues, ranges };
}

/** Indexes of values seen earlier in the list. */
function duplicates(values: readonly string[]): number[] {
  const seen = new Set<string>();
  return values.flatMap((value, index) => {
    if (seen.has(value)) return [index];
    seen.add(value);
    return [];
  });
}
