import { defineCheck, type Check } from '@probe/core';
import { since } from '../../shared/time.ts';
import { verdict, type Finding } from '../../shared/verdict.ts';
import { atLeast } from '../../shared/version.ts';
import { onThrowaway } from '../connection.ts';
import type { RabbitmqOptions } from '../options.ts';
import type { RabbitmqResources } from '../resources.ts';

/**
 * `queue.mgmt.health`: the broker answers over AMQP (connection, a channel and
 * a passive declare of `amq.direct`), says which product and version it is
 * (compared with `expect.minVersion`), and has not blocked the probe's
 * publishers (`connection.blocked`: a memory or disk alarm).
 */
export function healthCheck(options: RabbitmqOptions): Check<RabbitmqResources> {
  return defineCheck<RabbitmqResources>({
    id: 'queue.mgmt.health',
    title: 'The broker answers over AMQP, runs an accepted version, and does not block publishers',
    checklist: ['integration.message-queue.queue-management.monitor-health'],
    async run(context) {
      const { connection, blocked } = context.resources;
      const server = connection.connection.serverProperties;
      const started = performance.now();
      const roundTrip = await onThrowaway(connection, (channel) => channel.checkExchange('amq.direct'));
      const latencyMs = since(started);
      context.metric('queue.amqp.channel_roundtrip_ms', latencyMs, 'ms');
      const product = `${server.product ?? 'AMQP broker'} ${server.version ?? '?'}`;
      const findings: Finding[] = [];
      if (!roundTrip.ok) findings.push({ severity: 'fail', text: `a passive declare of amq.direct failed: ${roundTrip.error.message}` });
      if (blocked.length > 0) findings.push({ severity: 'fail', text: `the broker blocked publishers: ${blocked.at(-1)} (a memory or disk alarm)` });
      const minimum = options.expect.minVersion;
      if (minimum && !atLeast(String(server.version ?? '0'), minimum)) findings.push({ severity: 'fail', text: `${product} is older than the required ${minimum}` });
      return verdict(findings, `${product} (${String(server.cluster_name ?? 'cluster')}): channel round trip ${latencyMs} ms, publishers not blocked`, {
        server: { product: server.product, version: server.version, cluster: server.cluster_name, platform: server.platform }, blocked,
        reproduce: 'rabbitmq-diagnostics -q check_running && rabbitmq-diagnostics -q check_local_alarms',
      });
    },
  });
}
