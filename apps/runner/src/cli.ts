#!/usr/bin/env node
import { processIo } from './io.ts';
import { main } from './main.ts';
import { quietKnownWarnings } from './warnings.ts';

// The bin: run, then exit explicitly once stdout/stderr are flushed, so that a
// check that ignored its abort signal (a stray timer, an open socket) cannot keep
// the process alive after the run has ended.
// `probe run | head`: a closed stdout must not crash the run (its teardowns and report files still matter).
process.stdout.on('error', ignoreClosedPipe);
process.stderr.on('error', ignoreClosedPipe);
quietKnownWarnings();

const code = await main(process.argv.slice(2), processIo());
await Promise.all([flush(process.stdout), flush(process.stderr)]);
process.exit(code);

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (stream.writableLength === 0 || stream.destroyed) resolve();
    else stream.write('', () => resolve());
  });
}

function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}
