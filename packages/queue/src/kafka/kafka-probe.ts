import { parseOptions, type Check, type Probe } from '@probe/core';
import { guardChecks } from '../shared/guard.ts';
import { opsChecks } from '../shared/ops/index.ts';
import { backlogCheck } from './checks/backlog.ts';
import { cleanupCheck } from './checks/cleanup.ts';
import { dlqHealthCheck } from './checks/dlq-health.ts';
import { declaredDurability } from './checks/durability.ts';
import { handlerCheck } from './checks/handler.ts';
import { healthCheck } from './checks/health.ts';
import { keyAffinity } from './checks/key-affinity.ts';
import { recoveryCheck } from './checks/recovery.ts';
import { retryDlqCheck } from './checks/retry-dlq.ts';
import { routingCheck } from './checks/routing.ts';
import { scalingCheck } from './checks/scaling.ts';
import { translate } from './client.ts';
import { kafkaOptionsSchema, type KafkaOptions, type KafkaProbeOptions } from './options.ts';
import { closeKafka, openKafka, type KafkaResources } from './resources.ts';

/**
 * A probe of one Kafka cluster covering the checklist's Message Queue
 * Integration section. Invalid options give a probe whose `issues` name the
 * field; it runs nothing.
 *
 * ```ts
 * kafka({ brokers: 'kafka:9092', topics: [{ name: 'orders', partitions: 12 }], groups: ['billing'] })
 * ```
 */
export function kafka(input: KafkaProbeOptions): Probe<KafkaResources> {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<KafkaProbeOptions>;
  const parsed = parseOptions(kafkaOptionsSchema, input);
  const secrets = typeof raw.sasl?.password === 'string' && raw.sasl.password ? [raw.sasl.password] : [];
  if (!parsed.ok) return { target: { kind: 'kafka', name: raw.name ?? 'kafka' }, checks: [], issues: parsed.issues, secrets };
  const options = parsed.value;
  return {
    target: { kind: 'kafka', name: options.name ?? 'kafka', url: `kafka://${options.brokers.join(',')}` },
    checks: guardChecks(kafkaChecks(options), translate),
    secrets,
    setup: (context) => openKafka(options, context),
    teardown: (_context, resources) => closeKafka(resources),
  };
}

/**
 * Every Kafka check, in run order: the cluster first (health, routing), then
 * the probe's own traffic, the declared handlers and dead-letter routes, the
 * three read-only window checks side by side (one window for all), cleanup last.
 */
function kafkaChecks(options: KafkaOptions): Check<KafkaResources>[] {
  return [
    healthCheck(options),
    routingCheck(options),
    ...opsChecks<KafkaResources>({ ops: options.ops, thresholds: options.thresholds, ordering: keyAffinity(options), persistence: declaredDurability(options) }),
    handlerCheck(options),
    retryDlqCheck(options),
    recoveryCheck(options),
    backlogCheck(options),
    scalingCheck(options),
    dlqHealthCheck(options),
    cleanupCheck(options),
  ];
}
