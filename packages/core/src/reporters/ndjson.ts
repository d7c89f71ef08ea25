import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, RunEvent } from '../protocol/events.ts';
import { toJson } from './json.ts';

/** Where NDJSON lines go when not to a file: each call gets one complete line ending in `\n`. */
export interface LineSink {
  write(line: string): void;
}

/** One event as one line of JSON (no trailing newline); never throws (see {@link toJson}). */
export function formatEvent(event: RunEvent): string {
  return toJson(event);
}

/**
 * A reporter that writes every event as one JSON line. Given a path, it creates
 * the parent directories, truncates the file and writes each line synchronously,
 * so the file is valid to its last line even if the process is killed mid-run;
 * `close()` closes the file. Given a sink (e.g. `process.stdout`), it calls
 * `sink.write(line + '\n')` per event.
 */
export function createNdjsonReporter(target: string | LineSink): Reporter {
  if (typeof target !== 'string') {
    return { onEvent: (event) => { target.write(`${formatEvent(event)}\n`); } };
  }
  mkdirSync(dirname(target), { recursive: true });
  let fd: number | undefined = openSync(target, 'w');
  return {
    onEvent(event) {
      if (fd === undefined) return;
      const bytes = Buffer.from(`${formatEvent(event)}\n`, 'utf8');
      for (let offset = 0; offset < bytes.length;) offset += writeSync(fd, bytes, offset);
    },
    close() {
      if (fd === undefined) return;
      const open = fd;
      fd = undefined;
      closeSync(open);
    },
  };
}
