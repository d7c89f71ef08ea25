import { defineCheck, type Check } from '@probe/core';
import { abortable } from '../../shared/time.ts';
import { verdict, type Finding } from '../../shared/verdict.ts';
import { atLeast } from '../../shared/version.ts';
import { natsCli } from '../connection.ts';
import type { NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';

/** `used / limit` when the limit is set (> 0). */
function share(used: number, limit: number): number | undefined {
  return limit > 0 ? used / limit : undefined;
}

/**
 * `queue.mgmt.health` for NATS: the server answers, JetStream is enabled for
 * the account, the version is accepted (`expect.minVersion`), and JetStream
 * storage and memory use stay under `thresholds.usageRatio` of the account limits.
 */
export function healthCheck(options: NatsOptions): Check<NatsResources> {
  return defineCheck<NatsResources>({
    id: 'queue.mgmt.health',
    title: 'Server and JetStream answer, version accepted, storage and memory under their limits',
    checklist: ['integration.message-queue.queue-management.monitor-health'],
    async run(context) {
      const { connection, jsm } = context.resources;
      const rtt = await abortable(connection.rtt(), context.signal);
      const account = await abortable(jsm.getAccountInfo(), context.signal);
      const info = connection.info;
      const version = info?.version ?? '?';
      context.metric('queue.nats.rtt_ms', rtt, 'ms');
      const findings: Finding[] = [];
      const minimum = options.expect.minVersion;
      if (minimum && !atLeast(version, minimum)) findings.push({ severity: 'fail', text: `nats-server ${version} is older than the required ${minimum}` });
      const usage = { storage: share(account.storage, account.limits.max_storage), memory: share(account.memory, account.limits.max_memory) };
      for (const [kind, ratio] of Object.entries(usage)) {
        if (ratio !== undefined && ratio >= options.thresholds.usageRatio) findings.push({ severity: 'warn', text: `JetStream ${kind} at ${Math.round(ratio * 100)}% of the account limit` });
      }
      return verdict(findings, `nats-server ${version} with JetStream: round trip ${Math.round(rtt * 10) / 10} ms, ${account.streams} streams, ${account.consumers} consumers`, {
        server: { version, serverName: info?.server_name, jetstream: info?.jetstream, maxPayload: info?.max_payload },
        account: { streams: account.streams, consumers: account.consumers, storage: account.storage, memory: account.memory, limits: account.limits, apiErrors: account.api.errors },
        reproduce: natsCli(options, 'account info'),
      });
    },
  });
}
