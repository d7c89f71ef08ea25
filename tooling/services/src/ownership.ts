import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateDir } from './paths.ts';
import { commandLine, isAlive, processStartTime } from './process.ts';
import type { Ownership, ServiceName } from './types.ts';

function recordFile(name: ServiceName): string {
  return join(stateDir(), `${name}.owned.json`);
}

/** Remembers that this package started `record.name`. */
export function saveOwnership(record: Ownership): void {
  mkdirSync(stateDir(), { recursive: true });
  const file = recordFile(record.name);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/** The record of a service this package started, if any (alive or not). */
export function readOwnership(name: ServiceName): Ownership | undefined {
  try {
    return JSON.parse(readFileSync(recordFile(name), 'utf8')) as Ownership;
  } catch {
    return undefined;
  }
}

/** Forgets a record (after the service stopped). */
export function forgetOwnership(name: ServiceName): void {
  rmSync(recordFile(name), { force: true });
}

/**
 * Whether the recorded process still runs and is the one we started: its pid
 * is alive, started when it did, and its command line still contains
 * `match` (pids get recycled).
 * Containers are taken on trust here; `down` asks the runtime.
 */
export function stillOurs(record: Ownership): boolean {
  if (record.kind === 'container') return true;
  if (!record.pid || !isAlive(record.pid)) return false;
  if (record.procStart !== undefined && processStartTime(record.pid) !== record.procStart) return false;
  return !record.match || commandLine(record.pid).includes(record.match);
}
