import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { kafkaBrokers } from '../env.ts';
import { spawnAndWait, serviceFiles, type LocalStarter } from '../local/starter.ts';
import { packageFile } from '../paths.ts';
import { findExecutable, tail } from '../process.ts';
import { errorMessage } from '../wait.ts';
import { serverProperties } from './config.ts';
import { ensureKafkaJars } from './fetch-jars.ts';
import { javaExecutable, javaMajor } from './java.ts';
import { formatStorage, storageIsUsable } from './storage.ts';
import { isKafka4, kafkaVersion } from './version.ts';

/** JVM options for a small test broker on a 2-core machine (`PROBE_KAFKA_HEAP_OPTS` replaces the heap part). */
function jvmOptions(): string[] {
  const heap = (process.env.PROBE_KAFKA_HEAP_OPTS || '-Xms256m -Xmx512m').split(/\s+/).filter(Boolean);
  return [
    ...heap,
    '-XX:+UseG1GC',
    '-XX:MaxGCPauseMillis=20',
    '-XX:InitiatingHeapOccupancyPercent=35',
    '-XX:+ExplicitGCInvokesConcurrent',
    '-XX:ActiveProcessorCount=2',
    '-Djava.awt.headless=true',
  ];
}

/**
 * A single-node KRaft broker from Maven Central jars: fetch the jars (once),
 * write server.properties, format storage when it is missing or does not
 * match, start `kafka.Kafka` detached, wait until metadata names a
 * controller. If the first start fails, the data directory is wiped,
 * reformatted and the broker started once more.
 */
export const kafkaStarter: LocalStarter = {
  unavailable: () => {
    if (!javaExecutable()) return 'Java is not installed, so Kafka cannot run here (Debian: apt-get install openjdk-17-jre-headless)';
    if (!findExecutable('mvn')) return 'Maven is not installed, so the Kafka jars cannot be fetched (Debian: apt-get install maven)';
    return undefined;
  },
  start: async (context) => {
    const version = kafkaVersion();
    const java = javaExecutable()!;
    const major = await javaMajor(java);
    const needed = isKafka4(version) ? 17 : 11;
    if (!major || major < needed) {
      throw new Error(`Kafka ${version} needs Java ${needed}+, but ${java} is ${major ?? 'not runnable'} (or set PROBE_KAFKA_VERSION=3.9.2)`);
    }
    const lib = await ensureKafkaJars(version, context.log);

    const [broker] = kafkaBrokers(context.url);
    const { hostname: host, port } = new URL(`kafka://${broker}`);
    const { dataDir: home, logFile } = serviceFiles('kafka');
    const dataDir = join(home, 'data');
    const tmpDir = join(home, 'tmp');
    mkdirSync(tmpDir, { recursive: true });
    const configFile = join(home, 'server.properties');
    const stampFile = join(home, 'formatted.json');
    const stamp = { version, port: Number(port || 9092) };
    writeFileSync(configFile, serverProperties({ version, host, port: stamp.port, dataDir }));
    // Copied beside the data: the broker outlives this checkout (CI clones into a temporary folder).
    const logConfig = join(home, isKafka4(version) ? 'log4j2.properties' : 'log4j.properties');
    copyFileSync(packageFile(`kafka/${basename(logConfig)}`), logConfig);
    const logOption = isKafka4(version) ? `-Dlog4j2.configurationFile=${logConfig}` : `-Dlog4j.configuration=file:${logConfig}`;
    const classpath = `${lib}/*`;
    const format = () => formatStorage({ java, classpath, logOption, configFile, dataDir, stampFile, stamp, log: context.log });

    if (!storageIsUsable(dataDir, stampFile, stamp)) await format();
    const args = [
      ...jvmOptions(),
      logOption,
      `-Dkafka.logs.dir=${join(home, 'logs')}`,
      `-DZstdTempFolder=${tmpDir}`,
      `-Dorg.xerial.snappy.tempdir=${tmpDir}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      configFile,
    ];
    const command = { file: java, args, match: configFile, cwd: home };
    const perAttempt = { ...context, timeoutMs: Math.max(10_000, Math.floor(context.timeoutMs / 2)) };
    try {
      return await spawnAndWait(perAttempt, command);
    } catch (error) {
      if (/Address already in use/.test(tail(logFile, 40))) {
        throw new Error(`port ${stamp.port} or ${stamp.port + 1} is taken by another program; ${errorMessage(error)}`);
      }
      context.log(`kafka: the first start failed (${errorMessage(error).split('\n')[0]}); wiping ${dataDir}, reformatting, retrying once`);
      await format();
      return spawnAndWait(perAttempt, command);
    }
  },
};
