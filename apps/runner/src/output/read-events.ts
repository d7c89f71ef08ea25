import { resolve } from 'node:path';
import { isProbeError, readNdjsonFile, type RunEvent } from '@probe/core';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/**
 * The events of a saved run. Lines that are not probe events are reported on
 * stderr and left out; a file that cannot be read or holds no events is a
 * {@link CliError} (exit 2).
 */
export async function readEvents(path: string, io: CliIo): Promise<RunEvent[]> {
  let parsed: Awaited<ReturnType<typeof readNdjsonFile>>;
  try {
    parsed = await readNdjsonFile(resolve(io.cwd, path));
  } catch (error) {
    if (isProbeError(error)) throw new CliError(error.hint ? `${error.message.replace(resolve(io.cwd, path), path)}; ${error.hint}` : error.message);
    throw error;
  }
  for (const problem of parsed.problems) io.stderr.write(`probe: ${path}: ${problem}\n`);
  return parsed.events;
}
