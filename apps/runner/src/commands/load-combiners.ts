/**
 * The combiners split checks name in their parts (`<package>#<export>`), loaded
 * for `probe merge`: from the runner's own dependencies first, then from the
 * directory it runs in (where the config's probe packages are installed).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PartCombiner } from '@probe/core';
import { CliError } from '../cli-error.ts';

/** Each named combiner, imported; a package or export that cannot be found is a {@link CliError} saying what to install. */
export async function loadCombiners(names: readonly string[], cwd: string): Promise<Record<string, PartCombiner>> {
  const combiners: Record<string, PartCombiner> = {};
  for (const name of names) {
    const at = name.lastIndexOf('#');
    const pkg = name.slice(0, at);
    const exported = name.slice(at + 1);
    const module = await importPackage(pkg, cwd);
    if (!module) throw new CliError(`the shards hold parts of split checks combined by ${name}; install ${pkg} where probe merge runs (npm i ${pkg})`);
    const combiner = module[exported];
    if (typeof combiner !== 'function') throw new CliError(`${pkg} has no function ${exported} to combine split checks; use the ${pkg} version the shards ran with`);
    combiners[name] = combiner as PartCombiner;
  }
  return combiners;
}

async function importPackage(pkg: string, cwd: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(pkg)) as Record<string, unknown>;
  } catch {
    try {
      const file = createRequire(join(cwd, 'package.json')).resolve(pkg);
      return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
}
