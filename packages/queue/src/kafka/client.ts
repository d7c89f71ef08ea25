import type { ConnectionOptions } from 'node:tls';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { ProbeError, ProbeErrorCode, isProbeError, type Logger } from '@probe/core';
import { BrokerRefusal, isRefusal } from '../shared/driver.ts';
import type { KafkaOptions } from './options.ts';

/**
 * A kafkajs client that gives up in seconds, not kafkajs's default minute:
 * bounded connect, request and retry budgets, and logs sent (redacted, at
 * debug level) to the probe's logger instead of stdout.
 */
export function createKafka(options: KafkaOptions, log: Logger): Kafka {
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeoutMs,
    authenticationTimeout: options.connectionTimeoutMs,
    requestTimeout: options.requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, log: entry }) => log.debug(`kafkajs ${namespace}: ${entry.message}`),
  };
  if (options.ssl !== undefined) config.ssl = options.ssl;
  if (options.sasl) config.sasl = options.sasl as SASLOptions;
  return new Kafka(config);
}

/** The TLS options of the preflight handshake, matching the client's. */
export function tlsOptions(options: KafkaOptions): ConnectionOptions | undefined {
  if (!options.ssl) return undefined;
  return options.ssl === true ? {} : (options.ssl as ConnectionOptions);
}

/** Broker answers that mean "your request was understood and refused" when producing. */
const REFUSALS = new Set([
  'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE',
  'INVALID_REQUIRED_ACKS', 'CORRUPT_MESSAGE', 'INVALID_RECORD', 'POLICY_VIOLATION', 'UNKNOWN_TOPIC_OR_PARTITION',
  'THROTTLING_QUOTA_EXCEEDED', 'KAFKA_STORAGE_ERROR', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'INVALID_TIMESTAMP',
]);

/** Answers to topic creation that mean the probe's own topic settings cannot work on this cluster. */
const TOPIC_SETTINGS = new Set(['INVALID_REPLICATION_FACTOR', 'INVALID_PARTITIONS', 'INVALID_CONFIG', 'POLICY_VIOLATION', 'INVALID_REPLICA_ASSIGNMENT']);

const CONNECTION_ERRORS = new Set([
  'KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSBrokerNotFound', 'KafkaJSNoBrokerAvailableError', 'KafkaJSMetadataNotLoaded',
]);

interface KafkaJsErrorShape {
  name?: string;
  message?: string;
  type?: string;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown[];
}

/** Walk an error and what caused it (kafkajs wraps retried errors), outermost first. */
function chain(error: unknown): KafkaJsErrorShape[] {
  const out: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const shape = current as KafkaJsErrorShape;
    out.push(shape);
    current = shape.cause ?? shape.originalError ?? shape.errors?.[0];
  }
  return out;
}

/** The kafkajs protocol error type (`NOT_ENOUGH_REPLICAS`) anywhere in the chain. */
export function protocolType(error: unknown): string | undefined {
  return chain(error).find((entry) => typeof entry.type === 'string')?.type;
}

/**
 * Translate what kafkajs throws into the probe's vocabulary: a
 * {@link ProbeError} with a stable code and a next step (unreachable, auth,
 * ACLs, timeouts), or a {@link BrokerRefusal} for produce requests the broker
 * refused. Anything else is returned unchanged. `during` names the operation
 * (`creating topic probe.x.ops`) for topic-setting errors.
 */
export function translate(error: unknown, during?: string): unknown {
  if (isProbeError(error) || isRefusal(error)) return error;
  const links = chain(error);
  const names = links.map((link) => link.name ?? '');
  const type = protocolType(error);
  const message = links.at(-1)?.message ?? String(error);
  if (names.includes('KafkaJSSASLAuthenticationError')) {
    return new ProbeError(ProbeErrorCode.AUTH, `SASL authentication failed: ${message}`, {
      cause: error, hint: 'check sasl.username, sasl.password and sasl.mechanism against the listener',
    });
  }
  if (type === 'ILLEGAL_SASL_STATE' || type === 'UNSUPPORTED_SASL_MECHANISM') {
    return new ProbeError(ProbeErrorCode.AUTH, `the broker rejected the SASL handshake (${type}: ${message})`, {
      cause: error,
      hint: type === 'ILLEGAL_SASL_STATE'
        ? '`sasl` is set but this listener does not use SASL (PLAINTEXT or SSL): remove `sasl`, or point `brokers` at the SASL_PLAINTEXT/SASL_SSL listener'
        : 'set sasl.mechanism to one the listener enables (sasl.enabled.mechanisms)',
    });
  }
  if (type?.endsWith('_AUTHORIZATION_FAILED')) {
    return new ProbeError(ProbeErrorCode.AUTH, `the broker's ACLs deny the probe: ${type} (${message})`, {
      cause: error, hint: 'grant the probe principal Describe on the cluster, topics and groups it reads, and Create/Write/Read/Delete on probe.* topics and groups',
    });
  }
  if (type && TOPIC_SETTINGS.has(type) && during) {
    return new ProbeError(ProbeErrorCode.CONFIG, `${during} failed: ${type}: ${message}`, {
      cause: error, hint: 'adjust `probeTopic` (partitions, replicationFactor, configs) to what this cluster accepts',
    });
  }
  if (type && REFUSALS.has(type)) return new BrokerRefusal(type, message, { cause: error });
  if (names.includes('KafkaJSRequestTimeoutError')) {
    return new ProbeError(ProbeErrorCode.TIMEOUT, `a Kafka request timed out: ${message}`, { cause: error, hint: 'the broker is overloaded or `requestTimeoutMs` is too short' });
  }
  if (names.some((name) => CONNECTION_ERRORS.has(name)) || /Broker not connected|Connection error|Closed connection/i.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, `lost the connection to Kafka: ${message}`, { cause: error });
  }
  return error;
}
