import { parseOptions, type Check, type Probe } from '@probe/core';
import { guardChecks } from '../shared/guard.ts';
import { opsChecks } from '../shared/ops/index.ts';
import { backlogCheck } from './checks/backlog.ts';
import { cleanupCheck } from './checks/cleanup.ts';
import { dlqHealthCheck } from './checks/dlq-health.ts';
import { durableStreams } from './checks/durability.ts';
import { healthCheck } from './checks/health.ts';
import { maxDeliverCheck } from './checks/max-deliver.ts';
import { routingCheck } from './checks/routing.ts';
import { serverList, translateNats } from './connection.ts';
import { natsOptionsSchema, type NatsOptions, type NatsProbeOptions } from './options.ts';
import { closeNatsResources, openNatsResources, type NatsResources } from './resources.ts';

/**
 * A probe of one NATS server with JetStream: the shared operations checks on
 * probe-owned streams, max-deliver advisories, declared consumers' backlog
 * and dead letters, routing, health and cleanup.
 *
 * ```ts
 * nats({ servers: 'nats://nats:4222', streams: [{ name: 'ORDERS', subjects: ['orders.created'] }], consumers: [{ stream: 'ORDERS', name: 'billing' }] })
 * ```
 */
export function nats(input: NatsProbeOptions): Probe<NatsResources> {
  const raw = (typeof input === 'object' && input !== null ? input : {}) as Partial<NatsProbeOptions>;
  const secrets = [raw.pass, raw.token].filter((value): value is string => typeof value === 'string' && value.length > 0);
  const parsed = parseOptions(natsOptionsSchema, input);
  if (!parsed.ok) return { target: { kind: 'nats', name: raw.name ?? 'nats' }, checks: [], issues: parsed.issues, secrets };
  const options = parsed.value;
  const url = serverList(options).map((server) => (server.includes('://') ? server : `nats://${server}`)).join(',');
  return {
    target: { kind: 'nats', name: options.name ?? 'nats', url },
    checks: guardChecks(natsChecks(options), translateNats),
    secrets,
    setup: (context) => openNatsResources(options, context),
    teardown: (_context, resources) => closeNatsResources(resources),
  };
}

/** Every NATS check, in run order (the window checks side by side, cleanup last). */
function natsChecks(options: NatsOptions): Check<NatsResources>[] {
  return [
    healthCheck(options),
    routingCheck(options),
    ...opsChecks<NatsResources>({ ops: options.ops, thresholds: options.thresholds, persistence: durableStreams(options) }),
    maxDeliverCheck(options),
    backlogCheck(options),
    dlqHealthCheck(options),
    cleanupCheck(options),
  ];
}
