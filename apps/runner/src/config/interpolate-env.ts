import type { ConfigIssue } from '@probe/core';
import { isSecretEnvName } from './secret-env.ts';

/** What {@link interpolateEnv} returns: the value with `${VAR}`s replaced, the problems, and the secrets it put in. */
export interface Interpolated<T> {
  value: T;
  issues: ConfigIssue[];
  /** Values of secret-looking variables (`*_PASSWORD`, `*_TOKEN`, …) that were interpolated: redact them everywhere. */
  secrets: string[];
}

const REFERENCE = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replace `${VAR}` (and `${VAR:-default}`) in every string of a JSON value with
 * the environment's values; `$${VAR}` stays a literal `${VAR}`. A variable that is
 * not set (and has no default) is an issue at the path of the field.
 */
export function interpolateEnv<T>(input: T, env: Record<string, string | undefined>): Interpolated<T> {
  const issues: ConfigIssue[] = [];
  const secrets = new Set<string>();
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return interpolateString(value, path);
    if (Array.isArray(value)) return value.map((item, index) => visit(item, `${path}[${index}]`));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, visit(inner, path ? `${path}.${key}` : key)]));
    }
    return value;
  };
  const interpolateString = (text: string, path: string): string =>
    text.replace(REFERENCE, (match, escaped: string, name: string, fallback: string | undefined) => {
      if (escaped) return match.slice(1);
      const value = env[name];
      if (fallback !== undefined && (value === undefined || value === '')) return fallback;
      if (value === undefined) {
        issues.push({ path, message: `environment variable ${name} is not set; export it, or write \${${name}:-default}` });
        return match;
      }
      if (isSecretEnvName(name)) secrets.add(value);
      return value;
    });
  return { value: visit(input, '') as T, issues, secrets: [...secrets] };
}
