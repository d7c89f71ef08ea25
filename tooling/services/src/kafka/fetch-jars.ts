import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kafkaHome, packageFile } from '../paths.ts';
import { findExecutable, run, tail } from '../process.ts';
import type { LogLine } from '../types.ts';
import { isKafka4 } from './version.ts';

/**
 * The folder of the broker's jars for `version`, fetched once from Maven
 * Central with `mvn` (tooling/services/kafka/pom.xml) into
 * `<cache>/kafka/<version>/lib`; later calls only look for the marker file.
 * Maven's own cache (~/.m2) is reused, so a re-fetch after wiping our cache
 * costs about a second.
 */
export async function ensureKafkaJars(version: string, log: LogLine): Promise<string> {
  const home = kafkaHome(version);
  const lib = join(home, 'lib');
  const marker = join(home, 'fetched.json');
  if (existsSync(marker) && existsSync(lib)) return lib;

  const mvn = findExecutable('mvn');
  if (!mvn) throw new Error('mvn is not installed, so the Kafka jars cannot be fetched (Debian: apt-get install maven)');
  mkdirSync(home, { recursive: true });
  const partial = join(home, 'lib.partial');
  rmSync(partial, { recursive: true, force: true });
  const args = [
    '-q', '-B', '-Dstyle.color=never',
    '-f', packageFile('kafka/pom.xml'),
    'package',
    `-Dkafka.version=${version}`,
    `-Dprobe.build.dir=${join(home, 'build')}`,
    `-Dprobe.lib.dir=${partial}`,
    ...(isKafka4(version) ? [] : ['-Dprobe.logging=reload4j']),
  ];
  log(`kafka: fetching the Kafka ${version} jars from Maven Central (once; cached in ${home})`);
  const started = Date.now();
  const result = await run(mvn, args, { timeoutMs: 600_000 });
  const logFile = join(home, 'mvn.log');
  writeFileSync(logFile, result.output);
  const jars = existsSync(partial) ? readdirSync(partial).filter((file) => file.endsWith('.jar')) : [];
  if (result.code !== 0 || !jars.some((jar) => jar.startsWith(`kafka_2.13-${version}`))) {
    throw new Error(`mvn could not fetch org.apache.kafka:kafka_2.13:${version} (exit ${result.code}); ${logFile} ends:\n${tail(logFile)}`);
  }
  rmSync(lib, { recursive: true, force: true });
  renameSync(partial, lib);
  rmSync(join(home, 'build'), { recursive: true, force: true });
  const ms = Date.now() - started;
  writeFileSync(marker, `${JSON.stringify({ version, jars: jars.length, ms, at: new Date().toISOString() }, null, 2)}\n`);
  log(`kafka: fetched ${jars.length} jars in ${ms} ms`);
  return lib;
}
