import { z } from 'zod';
import { ProbeError, ProbeErrorCode } from '../errors.ts';
import type { Config, ConfigIssue, Probe } from '../protocol/types.ts';
import { formatIssues, prefixIssues, toConfigIssues } from './issues.ts';

/** The shape of a dotted check id: `db.connection.connectivity`. */
export const CHECK_ID = /^[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)+$/;

const fn = (message: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { error: (issue) => `${message}, got ${typeof issue.input === 'undefined' ? 'nothing' : typeof issue.input}` });

const positiveMs = z.number({ error: (issue) => `expected a positive number of milliseconds, got ${JSON.stringify(issue.input) ?? 'nothing'}` })
  .int({ error: 'expected a whole number of milliseconds' })
  .positive({ error: (issue) => `expected a positive number of milliseconds, got ${String(issue.input)}` });

const checkSchema = z.object({
  id: z.string().regex(CHECK_ID, { error: (issue) => `expected a dotted lower-case id like "db.connection.connectivity", got ${JSON.stringify(issue.input)}` }),
  title: z.string().min(1, { error: 'expected a non-empty title' }),
  checklist: z.array(z.string()).optional(),
  needs: z.array(z.string()).optional(),
  writes: z.boolean().optional(),
  parallel: z.boolean().optional(),
  slow: z.boolean().optional(),
  timeoutMs: positiveMs.optional(),
  split: z.object({
    combiner: z.string().regex(/^.+#.+$/, { error: (issue) => `expected "<package>#<export>", e.g. "@probe/perf#combineLoadParts", got ${JSON.stringify(issue.input)}` }),
  }).optional(),
  run: fn('expected a function run(ctx) returning { status, summary }'),
});

const probeSchema = z.object({
  target: z.object({
    kind: z.string().min(1, { error: 'expected a non-empty kind, e.g. "postgres"' }),
    name: z.string().min(1, { error: 'expected a non-empty name' }),
    url: z.string().optional(),
  }),
  checks: z.array(checkSchema),
  secrets: z.array(z.string()).optional(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  setup: fn('expected a function setup(ctx)').optional(),
  teardown: fn('expected a function teardown(ctx, resources)').optional(),
}, { error: (issue) => `expected a probe (what postgres(), redis(), http() … return), got ${issue.input === undefined ? 'nothing' : JSON.stringify(issue.input)?.slice(0, 40) ?? typeof issue.input}` });

const configSchema = z.object({
  probes: z.array(probeSchema, { error: 'expected an array of probes' }),
  timeoutMs: positiveMs.optional(),
  concurrency: z.number().int().positive({ error: (issue) => `expected a positive whole number, got ${String(issue.input)}` }).optional(),
  secrets: z.array(z.string()).optional(),
}).strict();

/** Every problem with a config, with the path of the field; empty when it is valid. */
export function configIssues(input: unknown): ConfigIssue[] {
  if (typeof input !== 'object' || input === null) {
    return [{ path: '', message: `expected the config to export an object ({ probes: [...] }), got ${input === null ? 'null' : typeof input}` }];
  }
  const parsed = configSchema.safeParse(input, { reportInput: true });
  const issues = parsed.success ? [] : toConfigIssues(parsed.error.issues);
  const config = input as Config;
  if (!Array.isArray(config.probes)) return issues;
  const names = new Map<string, number>();
  config.probes.forEach((probe: Probe | undefined, index) => {
    if (!probe || typeof probe !== 'object') return;
    if (probe.issues?.length) issues.push(...prefixIssues(probe.issues, `probes[${index}]`));
    const name = probe.target?.name;
    if (typeof name === 'string') {
      if (names.has(name)) issues.push({ path: `probes[${index}].target.name`, message: `"${name}" is already the name of probes[${names.get(name)}]; give each target a unique name` });
      else names.set(name, index);
    }
    if (!Array.isArray(probe.checks)) return;
    const ids = new Set<string>();
    probe.checks.forEach((check, checkIndex) => {
      if (!check || typeof check.id !== 'string') return;
      if (ids.has(check.id)) issues.push({ path: `probes[${index}].checks[${checkIndex}].id`, message: `duplicate check id "${check.id}"` });
      ids.add(check.id);
    });
    probe.checks.forEach((check, checkIndex) => {
      for (const need of check?.needs ?? []) {
        if (!ids.has(need)) issues.push({ path: `probes[${index}].checks[${checkIndex}].needs`, message: `"${need}" is not a check of this probe` });
      }
    });
  });
  return issues;
}

/** Throw a `PROBE_ERR_CONFIG` error listing every issue, or return the config typed. */
export function assertValidConfig(input: unknown, source = 'config'): Config {
  const issues = configIssues(input);
  if (issues.length > 0) throw configError(issues, source);
  return input as Config;
}

/** A `PROBE_ERR_CONFIG` error carrying its issues. */
export function configError(issues: readonly ConfigIssue[], source = 'config'): ProbeError & { issues: ConfigIssue[] } {
  const error = new ProbeError(ProbeErrorCode.CONFIG, `invalid ${source}:\n${formatIssues(issues)}`) as ProbeError & { issues: ConfigIssue[] };
  error.issues = [...issues];
  return error;
}
