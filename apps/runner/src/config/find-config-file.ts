import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { CliError } from '../cli-error.ts';

/** The default config files, in the order they are looked for. */
export const DEFAULT_CONFIG_FILES = ['probe.config.ts', 'probe.config.mts', 'probe.config.mjs', 'probe.config.js', 'probe.config.json'] as const;

/**
 * The config file to load: `--config FILE` (resolved against `cwd`), else the
 * first default file in `cwd`. A missing file is a {@link CliError} (exit 2).
 */
export function findConfigFile(cwd: string, explicit: string | undefined): string {
  if (explicit !== undefined) {
    const file = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(file)) throw new CliError(`config file not found: ${explicit} (looked for ${file}); check the path given to --config`);
    if (!statSync(file).isFile()) throw new CliError(`config file ${explicit} is not a file`);
    return file;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const file = join(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new CliError(`no config file in ${cwd}: none of ${DEFAULT_CONFIG_FILES.join(', ')} exists; create one (see the @probe/runner README) or pass --config FILE`);
}
