import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ConfigIssue } from '@probe/core';

/** Probes built from a JSON config's `{ "use": "module#export", "options": {…} }` entries. */
export interface BuiltProbes {
  probes: unknown[];
  issues: ConfigIssue[];
}

/**
 * A JSON config cannot hold functions, so each of its probes names the factory
 * that makes it: `"use": "@probe/db#postgres"` (a package, resolved from the
 * config's directory) or `"./my-probes.mjs#orders"` (a file relative to it);
 * without `#`, the default export. The factory is called with `options`. Option
 * problems the factory reports (`probe.issues`) are re-pathed under `options`,
 * so they print as `probes[0].options.url: …`.
 */
export async function resolveProbeFactories(entries: readonly unknown[], configFile: string): Promise<BuiltProbes> {
  const issues: ConfigIssue[] = [];
  const probes: unknown[] = [];
  for (const [index, entry] of entries.entries()) {
    const path = `probes[${index}]`;
    if (!isFactoryReference(entry)) {
      issues.push({ path, message: 'expected { "use": "module#export", "options": { … } }: a JSON config names the probe factory to call; write probe.config.ts for inline checks' });
      probes.push(entry);
      continue;
    }
    const extra = Object.keys(entry).filter((key) => key !== 'use' && key !== 'options');
    for (const key of extra) issues.push({ path: `${path}.${key}`, message: `unknown option "${key}"; a JSON probe has only "use" and "options"` });
    let factory: (options: unknown) => unknown;
    try {
      factory = await loadFactory(entry.use, configFile);
    } catch (error) {
      issues.push({ path: `${path}.use`, message: messageOf(error) });
      probes.push(entry);
      continue;
    }
    try {
      probes.push(withOptionsPaths(await factory(entry.options ?? {})));
    } catch (error) {
      issues.push({ path: `${path}.options`, message: `${entry.use} threw: ${messageOf(error)}` });
      probes.push(entry);
    }
  }
  return { probes, issues };
}

function isFactoryReference(entry: unknown): entry is { use: string; options?: Record<string, unknown> } {
  return typeof entry === 'object' && entry !== null && typeof (entry as { use?: unknown }).use === 'string';
}

async function loadFactory(reference: string, configFile: string): Promise<(options: unknown) => unknown> {
  const hash = reference.lastIndexOf('#');
  const specifier = hash > 0 ? reference.slice(0, hash) : reference;
  const name = hash > 0 ? reference.slice(hash + 1) : 'default';
  let url: string;
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    url = pathToFileURL(resolve(dirname(configFile), specifier)).href;
  } else {
    try {
      url = pathToFileURL(createRequire(configFile).resolve(specifier)).href;
    } catch {
      throw new Error(`cannot find "${specifier}" from ${dirname(configFile)}; install it (e.g. pnpm add -D ${specifier})`);
    }
  }
  let module: Record<string, unknown>;
  try {
    module = await import(url) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load "${specifier}": ${messageOf(error)}`);
  }
  const factory = module[name];
  if (typeof factory !== 'function') {
    const exported = Object.keys(module).filter((key) => typeof module[key] === 'function');
    throw new Error(`"${specifier}" has no factory export "${name}"${exported.length ? `; it exports ${exported.join(', ')}` : ''}`);
  }
  return factory as (options: unknown) => unknown;
}

function withOptionsPaths(probe: unknown): unknown {
  const issues = (probe as { issues?: ConfigIssue[] } | null)?.issues;
  if (!Array.isArray(issues) || issues.length === 0) return probe;
  return { ...(probe as object), issues: issues.map((issue) => ({ path: issue.path ? `options.${issue.path}` : 'options', message: issue.message })) };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? error.name : String(error);
}
