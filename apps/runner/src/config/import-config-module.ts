import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CliError } from '../cli-error.ts';
import type { Redactor } from '@probe/core';

/**
 * Import a `.ts`/`.mts`/`.mjs`/`.js` config (Node 24 strips TypeScript types
 * natively) and return its config: the `default` export, else the `config`
 * export; a function is called and awaited. Every failure is a {@link CliError}
 * naming the file (and the line of a syntax error), redacted, without a stack trace.
 */
export async function importConfigModule(file: string, shownAs: string, redact: Redactor): Promise<unknown> {
  let module: Record<string, unknown>;
  try {
    module = await import(pathToFileURL(file).href) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(redact(await describeImportError(error, file, shownAs)));
  }
  const exported = 'default' in module && module.default !== undefined ? module.default : module.config;
  if (exported === undefined) {
    throw new CliError(`${shownAs} has no default export (nor a \`config\` export); end it with \`export default defineConfig({ probes: [...] })\``);
  }
  let config: unknown = exported;
  if (typeof exported === 'function') {
    try {
      config = await (exported as () => unknown)();
    } catch (error) {
      throw new CliError(redact(`${shownAs}: the config function threw: ${messageOf(error)}${whereIn(error, file, shownAs)}`));
    }
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new CliError(`${shownAs}: the default export must be a config object ({ probes: [...] }) or a function returning one, got ${kindOf(config)}`);
  }
  return config;
}

/** One message for a failed import of the config: missing module, syntax error (with line and excerpt), or a throw while loading. */
export async function describeImportError(error: unknown, file: string, shownAs: string): Promise<string> {
  const code = (error as { code?: unknown }).code;
  const message = messageOf(error);
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
    const missing = /(?:package|module) '([^']+)'/i.exec(message)?.[1];
    const from = /imported from (\S+)/.exec(message)?.[1];
    const where = from && from !== file ? ` (imported from ${from})` : '';
    return `${shownAs} imports ${missing ? `"${missing}"` : 'a module'} that cannot be found${where}; install it (e.g. pnpm add -D ${missing && !missing.startsWith('.') && !missing.startsWith('/') ? missing : '<package>'}) or fix the import`;
  }
  if (code === 'ERR_UNKNOWN_FILE_EXTENSION' && /\.m?ts$/.test(file)) {
    return `${shownAs}: Node ${process.versions.node} cannot load TypeScript; run probe on Node ≥ 22.18 (which strips types natively) or write the config as .mjs`;
  }
  if (error instanceof SyntaxError || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX' || code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX') {
    const located = (await syntaxLocation(error, file)) ?? { line: undefined, excerpt: [] };
    const head = located.line ? `${shownAs}:${located.line}` : shownAs;
    const hint = code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' ? ' (Node runs .ts configs by stripping types: no enum, namespace or parameter properties)' : '';
    return [`${head}: syntax error: ${message}${hint}`, ...located.excerpt.map((line) => `  ${line}`)].join('\n');
  }
  return `${shownAs} threw while loading: ${message}${whereIn(error, file, shownAs)}`;
}

/** Line and source excerpt of a syntax error: from the error's stack (TypeScript), else from `node --check` (JavaScript). */
async function syntaxLocation(error: unknown, file: string): Promise<{ line: number; excerpt: string[] } | undefined> {
  const fromStack = locationIn(error instanceof Error ? error.stack ?? '' : '', file);
  if (fromStack) return fromStack;
  if (file.endsWith('.ts') || file.endsWith('.mts')) return undefined;
  const output = await new Promise<string>((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: 5_000 }, (_error, _stdout, stderr) => resolve(String(stderr)));
  });
  return locationIn(output, file);
}

/** Node prints `path:line`, the source line and a caret line before the error name. */
function locationIn(text: string, file: string): { line: number; excerpt: string[] } | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => new RegExp(`^(?:file://)?${escapeRegExp(file)}:(\\d+)$`).test(line.trim()));
  if (index < 0) return undefined;
  const line = Number(/:(\d+)$/.exec(lines[index]!.trim())![1]);
  const context: string[] = [];
  for (const next of lines.slice(index + 1)) {
    if (next.trim() === '' && context.length === 0) continue;
    if (next.trim() === '' || /^\w*Error\b/.test(next)) break;
    context.push(next);
  }
  const caret = context.findIndex((next) => /^\s*\^+\s*$/.test(next));
  return { line, excerpt: caret > 0 ? context.slice(caret - 1, caret + 1) : context.slice(0, 1) };
}

/** ` (at probe.config.ts:12:9)` from the first stack frame inside the config file. */
function whereIn(error: unknown, file: string, shownAs: string): string {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  for (const name of [pathToFileURL(file).href, file]) {
    for (const line of stack.split('\n')) {
      const at = line.indexOf(name);
      const position = at < 0 ? undefined : /^:(\d+:\d+)/.exec(line.slice(at + name.length))?.[1];
      if (position) return ` (at ${shownAs}:${position})`;
    }
  }
  return '';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message.split('\n')[0] || error.name;
  return String(error);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `a string (${JSON.stringify(value.slice(0, 40))})`;
  return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
