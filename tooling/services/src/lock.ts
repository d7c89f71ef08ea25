import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './paths.ts';
import { isAlive } from './process.ts';
import { sleep } from './wait.ts';

/**
 * Runs `task` while holding a file lock in the state directory, so that two
 * `up`s (say, two packages' test runs under turbo) never start the same
 * service twice. A lock whose holder died is taken over.
 */
export async function withLock<T>(name: string, timeoutMs: number, task: () => Promise<T>): Promise<T> {
  mkdirSync(stateDir(), { recursive: true });
  const file = join(stateDir(), `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readText(file));
      const justCreated = !holder && Date.now() - mtime(file) < 5_000; // created, pid not written yet
      if (!justCreated && (!holder || !isAlive(holder))) {
        rmSync(file, { force: true });
        continue;
      }
      if (Date.now() >= deadline) throw new Error(`another process (pid ${holder}) holds ${file} for longer than ${timeoutMs} ms`);
      await sleep(200);
    }
  }
  try {
    return await task();
  } finally {
    rmSync(file, { force: true });
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
