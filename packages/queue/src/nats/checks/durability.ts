import type { CheckContext } from '@probe/core';
import type { Finding } from '../../shared/verdict.ts';
import type { NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';
import { streamInfo } from './routing.ts';

/**
 * The persistence check's NATS extension: declared streams kept in memory
 * lose every message when the server restarts (warn), and their retention
 * and replica settings are reported.
 */
export function durableStreams(options: NatsOptions) {
  return async (context: CheckContext<NatsResources>) => {
    if (options.streams.length === 0) return undefined;
    const findings: Finding[] = [];
    const declaredStreams: Record<string, unknown> = {};
    for (const declared of options.streams) {
      const info = await streamInfo(context.resources, declared.name, context.signal);
      if (!info) continue;
      declaredStreams[declared.name] = { storage: info.config.storage, replicas: info.config.num_replicas, retention: info.config.retention, maxAgeNs: info.config.max_age };
      if (info.config.storage === 'memory') findings.push({ severity: 'warn', text: `stream ${declared.name} keeps messages in memory: they are lost when the server restarts` });
    }
    return { findings, evidence: { declaredStreams }, passText: 'declared streams keep messages on file' };
  };
}
