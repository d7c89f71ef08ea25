import { homedir } from 'node:os';
import { join } from 'node:path';

/** Root of everything cached outside the repository (`PROBE_CACHE_DIR`, default `~/.cache/probe`). */
export function cacheRoot(): string {
  return process.env.PROBE_CACHE_DIR || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'probe');
}

/** Pid records, logs and data of the services this package starts. */
export function stateDir(): string {
  return join(cacheRoot(), 'services');
}

/** Where one Kafka version's jars are cached (`<cache>/kafka/<version>`). */
export function kafkaHome(version: string): string {
  return join(cacheRoot(), 'kafka', version);
}

/** A file shipped with this package, e.g. `kafka/pom.xml`. */
export function packageFile(relative: string): string {
  return new URL(`../${relative}`, import.meta.url).pathname;
}
