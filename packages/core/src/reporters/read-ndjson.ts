import { readFile } from 'node:fs/promises';
import { ProbeError, ProbeErrorCode } from '../errors.ts';
import type { RunEvent } from '../protocol/events.ts';

/** What {@link parseNdjson} found in a stream. */
export interface ParsedNdjson {
  /** The events, in stream order. */
  events: RunEvent[];
  /** Lines that were left out, each naming its line number (`line 7: not JSON: …`). */
  problems: string[];
}

const TYPES = new Set(['run-start', 'check-start', 'check-end', 'run-end']);

/**
 * Parse a run's NDJSON stream. Blank lines are ignored; lines that are not
 * JSON or not a v1 probe event are left out and named in `problems`. A cut-off
 * last line (the process died mid-write) is tolerated and reported.
 */
export function parseNdjson(text: string): ParsedNdjson {
  const events: RunEvent[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  const endsComplete = text.endsWith('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!.trim();
    if (line === '') continue;
    const number = index + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const last = index === lines.length - 1 && !endsComplete;
      problems.push(last
        ? `line ${number}: cut-off last line ignored (the run probably died while writing it)`
        : `line ${number}: not JSON: ${(error as Error).message}`);
      continue;
    }
    const problem = eventProblem(value);
    if (problem) problems.push(`line ${number}: ${problem}`);
    else events.push(value as RunEvent);
  }
  return { events, problems };
}

/** Why a parsed value is not a v1 probe event, or undefined when it is one. */
function eventProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a probe event (expected a JSON object)';
  const event = value as Record<string, unknown>;
  if (event.v !== 1) return `unsupported protocol version ${JSON.stringify(event.v)} (this reader knows v 1)`;
  if (typeof event.type !== 'string' || !TYPES.has(event.type)) return `unknown event type ${JSON.stringify(event.type)}`;
  if (event.type === 'check-end') {
    const result = event.result as Record<string, unknown> | undefined;
    const target = result?.target as Record<string, unknown> | undefined;
    if (typeof result?.id !== 'string' || typeof result.status !== 'string' || typeof target?.name !== 'string') {
      return 'check-end without a result { id, status, target }';
    }
  }
  if (event.type === 'check-start') {
    const target = event.target as Record<string, unknown> | undefined;
    if (typeof event.id !== 'string' || typeof target?.name !== 'string') return 'check-start without id and target';
  }
  return undefined;
}

/**
 * Read and parse a run's NDJSON file. Throws `PROBE_ERR_CONFIG` when the file
 * cannot be read or holds no probe events.
 */
export async function readNdjsonFile(path: string): Promise<ParsedNdjson> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new ProbeError(ProbeErrorCode.CONFIG, `cannot read NDJSON file ${path}: ${why}`, {
      cause: error, hint: 'write one with `probe run --ndjson FILE`',
    });
  }
  const parsed = parseNdjson(text);
  if (parsed.events.length === 0) {
    const why = text.trim() === '' ? 'it is empty' : `no line is a probe event (${parsed.problems.slice(0, 3).join('; ')})`;
    throw new ProbeError(ProbeErrorCode.CONFIG, `${path} contains no probe events: ${why}`, {
      hint: 'expected the NDJSON written by `probe run --ndjson FILE`',
    });
  }
  return parsed;
}
