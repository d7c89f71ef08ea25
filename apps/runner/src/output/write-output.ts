import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/** Write `text` to `--out FILE` (creating its directory), or to stdout when no file is given; an unwritable file is a {@link CliError}. */
export function writeOutput(text: string, out: string | undefined, io: CliIo): void {
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  const file = resolve(io.cwd, out);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (error) {
    throw new CliError(`--out: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
