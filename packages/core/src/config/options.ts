import type { z } from 'zod';
import type { ConfigIssue } from '../protocol/types.ts';
import { toConfigIssues } from './issues.ts';

/** The result of {@link parseOptions}: the parsed value, or the issues with paths. */
export type ParsedOptions<T> = { ok: true; value: T; issues: [] } | { ok: false; value: undefined; issues: ConfigIssue[] };

/**
 * Validate a probe factory's options with its zod schema. A factory that gets
 * invalid options still returns a probe, carrying the issues (`probe.issues`):
 * the runner then reports them with the probe's place in the config
 * (`probes[2].url: expected a postgres:// URL, got "localhost"`) and runs nothing.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): ParsedOptions<z.output<S>> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data, issues: [] };
  return { ok: false, value: undefined, issues: toConfigIssues(parsed.error.issues) };
}
