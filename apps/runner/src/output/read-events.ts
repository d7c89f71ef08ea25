import { resolve } from 'node:path';
import { createRedactor, isProbeError, readNdjsonFile, redactDeep, type RunEvent } from '@probe/core';
import { CliError } from '../cli-error.ts';
import type { CliIo } from '../io.ts';

/**
 * The events of a saved run. Lines that are not probe events are reported on
 * stderr and left out; a file that cannot be read or holds no events is a
 * {@link CliError} (exit 2). Every event is redacted again by pattern (URL
 * passwords, secret query parameters, Authorization values, `password=…`,
 * secret-named fields): a file written by another tool, or edited by hand, does
 * not carry a secret into a report.
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
  const redact = createRedactor();
  return parsed.events.map((event) => redactDeep(event, redact));
}
