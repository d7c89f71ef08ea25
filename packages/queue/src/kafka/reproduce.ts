import type { KafkaOptions } from './options.ts';

/**
 * A `kcat` command line for this cluster: brokers and, when set, the
 * security settings (the SASL password as `***`).
 */
export function kcat(options: Pick<KafkaOptions, 'brokers' | 'ssl' | 'sasl'>, args: string): string {
  const security: string[] = [];
  if (options.sasl) {
    security.push(`-X security.protocol=${options.ssl ? 'SASL_SSL' : 'SASL_PLAINTEXT'}`);
    security.push(`-X sasl.mechanisms=${options.sasl.mechanism.toUpperCase()}`, `-X sasl.username=${options.sasl.username}`, '-X sasl.password=***');
  } else if (options.ssl) {
    security.push('-X security.protocol=SSL');
  }
  return ['kcat', '-b', options.brokers.join(','), ...security, args].join(' ');
}

/** A `kafka-*.sh` tool command line against this cluster. */
export function kafkaTool(options: Pick<KafkaOptions, 'brokers'>, tool: string, args: string): string {
  return `${tool} --bootstrap-server ${options.brokers.join(',')} ${args}`;
}
