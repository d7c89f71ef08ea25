import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../process.ts';
import type { LogLine } from '../types.ts';

/** What the data directory was formatted with, kept beside it. */
interface FormatStamp {
  version: string;
  clusterId: string;
  port: number;
}

/** A random Kafka cluster id: 16 bytes, base64url without padding, not starting with '-' (as Kafka's Uuid.randomUuid). */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Whether `dataDir` holds storage this version formatted for this port: its
 * meta.properties names node 1 and the cluster id in the stamp. Anything else
 * (no stamp, another version, another cluster, a half-written dir) is wiped.
 */
export function storageIsUsable(dataDir: string, stampFile: string, expected: Omit<FormatStamp, 'clusterId'>): boolean {
  try {
    const stamp = JSON.parse(readFileSync(stampFile, 'utf8')) as FormatStamp;
    const meta = readFileSync(join(dataDir, 'meta.properties'), 'utf8');
    return (
      stamp.version === expected.version &&
      stamp.port === expected.port &&
      /^node\.id=1$/m.test(meta) &&
      meta.includes(`cluster.id=${stamp.clusterId}`) &&
      existsSync(join(dataDir, 'bootstrap.checkpoint'))
    );
  } catch {
    return false;
  }
}

/** Wipes `dataDir` and formats it with a new cluster id (`kafka.tools.StorageTool format`). */
export async function formatStorage(options: {
  java: string;
  classpath: string;
  logOption: string;
  configFile: string;
  dataDir: string;
  stampFile: string;
  stamp: Omit<FormatStamp, 'clusterId'>;
  log: LogLine;
}): Promise<void> {
  rmSync(options.stampFile, { force: true });
  rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const clusterId = randomClusterId();
  const args = [options.logOption, '-cp', options.classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', options.configFile];
  const result = await run(options.java, args, { timeoutMs: 60_000 });
  if (result.code !== 0) throw new Error(`kafka storage format failed (exit ${result.code}): ${result.output.slice(-600)}`);
  writeFileSync(options.stampFile, `${JSON.stringify({ ...options.stamp, clusterId }, null, 2)}\n`);
  options.log(`kafka: formatted ${options.dataDir} (cluster ${clusterId})`);
}
