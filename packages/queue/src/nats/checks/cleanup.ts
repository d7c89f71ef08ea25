import { defineCheck, type Check } from '@probe/core';
import { staleNames, underscoredName } from '../../shared/names.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { natsCli } from '../connection.ts';
import type { NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';
import { streamInfo } from './routing.ts';

/**
 * `queue.mgmt.cleanup` for NATS: the probe can delete what it creates (a
 * stream made, deleted and confirmed gone), and no `probe_<runId>_*` stream
 * of an earlier run older than `staleAfterMs` is left. Under --read-only only
 * the leftover report runs.
 */
export function cleanupCheck(options: NatsOptions): Check<NatsResources> {
  return defineCheck<NatsResources>({
    id: 'queue.mgmt.cleanup',
    title: 'Probe-owned streams can be deleted; no stale leftovers of crashed runs',
    checklist: ['integration.message-queue.queue-management.test-cleanup'],
    async run(context) {
      const { jsm } = context.resources;
      const findings: Finding[] = [];
      if (!context.readOnly) {
        const stream = await context.resources.stream('cleanup', context.signal);
        await jsm.streams.delete(stream);
        if (await streamInfo(context.resources, stream, context.signal)) findings.push({ severity: 'fail', text: `stream ${stream} still exists after deletion` });
      }
      const names: string[] = [];
      for await (const name of jsm.streams.names()) names.push(name);
      const stale = staleNames(names, context.runId, options.staleAfterMs).map((owned) => owned.name);
      if (stale.length > 0) findings.push({ severity: 'warn', text: `leftovers of earlier probe runs: ${plural(stale.length, 'stream')} (${listSome(stale, 3)})` });
      return verdict(findings, `${context.readOnly ? '' : 'probe streams can be deleted; '}no probe leftovers older than ${Math.round(options.staleAfterMs / 60_000)} min`, {
        ...(stale.length ? { staleStreams: stale, remove: stale.slice(0, 20).map((name) => natsCli(options, `stream rm -f ${name}`)) } : {}),
        prefix: underscoredName(context.runId, ''),
      });
    },
  });
}
