import { readFileSync } from 'node:fs';
import type { ConfigIssue } from '@probe/core';
import { CliError } from '../cli-error.ts';
import { interpolateEnv } from './interpolate-env.ts';
import { resolveProbeFactories } from './resolve-probe-factories.ts';

/** A JSON config turned into a config object, plus the secrets its `${VAR}`s brought in. */
export interface JsonConfig {
  config: Record<string, unknown>;
  secrets: string[];
  /** Problems found while reading it (unset variables, unknown factories); the config is not run when there are any. */
  issues: ConfigIssue[];
}

/**
 * Read `probe.config.json`: parse it, interpolate `${VAR}` from the environment,
 * and build each probe by calling the factory it names (`"use": "@probe/db#postgres"`)
 * with its `options`. A JSON syntax error is a {@link CliError} with line and column.
 */
export async function readJsonConfig(file: string, shownAs: string, env: Record<string, string | undefined>): Promise<JsonConfig> {
  const text = readFileSync(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new CliError(`${shownAs}${jsonPosition(message, text)}: invalid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/\s*in JSON at position \d+/, '')}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${shownAs}: expected a JSON object ({ "probes": [...] }), got ${Array.isArray(parsed) ? 'an array' : JSON.stringify(parsed)}`);
  }
  const { $schema: _schema, ...rest } = parsed as Record<string, unknown>;
  const interpolated = interpolateEnv(rest, env);
  const issues = [...interpolated.issues];
  const config: Record<string, unknown> = { ...interpolated.value };
  if (issues.length === 0 && Array.isArray(config.probes)) {
    const built = await resolveProbeFactories(config.probes, file);
    config.probes = built.probes;
    issues.push(...built.issues);
  }
  return { config, secrets: interpolated.secrets, issues };
}

/** `:3:14` from V8's `(line 3 column 14)` or, on older V8, `at position 42`. */
export function jsonPosition(message: string, text: string): string {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return `:${lineColumn[1]}:${lineColumn[2]}`;
  const position = /position (\d+)/.exec(message);
  if (!position) return '';
  const before = text.slice(0, Number(position[1])).split('\n');
  return `:${before.length}:${before.at(-1)!.length + 1}`;
}
