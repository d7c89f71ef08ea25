import { parseOptions, secretsOfUrl, type Check, type Probe } from '@probe/core';
import { guardChecks } from '../shared/guard.ts';
import { opsChecks } from '../shared/ops/index.ts';
import { backlogCheck } from './checks/backlog.ts';
import { cleanupCheck } from './checks/cleanup.ts';
import { deadLetterCheck } from './checks/dead-letter.ts';
import { dlqHealthCheck } from './checks/dlq-health.ts';
import { healthCheck } from './checks/health.ts';
import { routingCheck } from './checks/routing.ts';
import { scalingCheck } from './checks/scaling.ts';
import { durableQueues } from './checks/durability.ts';
import { translateAmqp } from './connection.ts';
import { rabbitmqOptionsSchema, type RabbitmqOptions, type RabbitmqProbeOptions } from './options.ts';
import { closeRabbitmq, openRabbitmq, type RabbitmqResources } from './resources.ts';

/**
 * A probe of one RabbitMQ broker (vhost) over AMQP 0-9-1: the shared
 * operations checks on probe-owned queues, dead-lettering with `x-death`,
 * declared queues' depth and consumers, routing, health and cleanup.
 *
 * ```ts
 * rabbitmq({ url: 'amqp://app:secret@rabbit:5672/orders', queues: [{ name: 'orders', durable: true }] })
 * ```
 */
export function rabbitmq(input: RabbitmqProbeOptions): Probe<RabbitmqResources> {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<RabbitmqProbeOptions>;
  const url = typeof raw.url === 'string' ? raw.url : undefined;
  const target = { kind: 'amqp', name: raw.name ?? 'rabbitmq', ...(url ? { url } : {}) };
  const secrets = [...new Set(secretsOfUrl(url))];
  const parsed = parseOptions(rabbitmqOptionsSchema, input);
  if (!parsed.ok) return { target, checks: [], issues: parsed.issues, secrets };
  const options = parsed.value;
  return {
    target,
    checks: guardChecks(rabbitmqChecks(options), translateAmqp),
    secrets,
    setup: (context) => openRabbitmq(options, context),
    teardown: (_context, resources) => closeRabbitmq(resources),
  };
}

/** Every RabbitMQ check, in run order (the window checks side by side, cleanup last). */
function rabbitmqChecks(options: RabbitmqOptions): Check<RabbitmqResources>[] {
  return [
    healthCheck(options),
    routingCheck(options),
    ...opsChecks<RabbitmqResources>({ ops: options.ops, thresholds: options.thresholds, persistence: durableQueues(options) }),
    deadLetterCheck(options),
    backlogCheck(options),
    scalingCheck(options),
    dlqHealthCheck(options),
    cleanupCheck(),
  ];
}
