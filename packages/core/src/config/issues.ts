import type { ConfigIssue } from '../protocol/types.ts';

/** A zod-like issue (zod 4), enough to format it. */
interface SchemaIssue {
  code?: string;
  path?: readonly PropertyKey[];
  message: string;
  expected?: unknown;
  input?: unknown;
  keys?: readonly string[];
}

/** `['probes', 2, 'url']` → `probes[2].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/** Describe a value the way error messages quote it: `"localhost"`, `-5`, `a function`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  try {
    const json = JSON.stringify(value);
    return json.length > 60 ? `${json.slice(0, 57)}...` : json;
  } catch {
    return 'an object';
  }
}

/** Turn schema issues into `{ path, message }` with "expected …, got …" wording. */
export function toConfigIssues(issues: readonly SchemaIssue[], prefix: readonly PropertyKey[] = []): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path ?? [])];
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) out.push({ path: formatPath([...path, key]), message: `unknown option "${key}"; remove it or check its spelling` });
      continue;
    }
    out.push({ path: formatPath(path), message: wording(issue) });
  }
  return out;
}

function wording(issue: SchemaIssue): string {
  const got = 'input' in issue ? `, got ${describeValue(issue.input)}` : '';
  const generic = /^Invalid (input|option|value)/.test(issue.message);
  if (issue.code === 'invalid_type' && issue.input === undefined) return `is required (expected ${String(issue.expected)})`;
  if (!generic) return /, got /.test(issue.message) || !got ? issue.message : `${issue.message}${got}`;
  if (issue.code === 'invalid_type') return `expected ${String(issue.expected)}${got}`;
  return `${issue.message.replace(/^Invalid (input|option|value): /, '')}${got}`;
}

/** Prefix issues of one probe with its place in the config. */
export function prefixIssues(issues: readonly ConfigIssue[], prefix: string): ConfigIssue[] {
  return issues.map((issue) => ({ path: issue.path ? `${prefix}.${issue.path}` : prefix, message: issue.message }));
}

/** One issue per line: `probes[2].url: expected a postgres:// URL, got "localhost"`. */
export function formatIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('\n');
}
