import { defineCheck, type Check } from '@probe/core';
import type { StreamInfo } from '@nats-io/jetstream';
import { abortable } from '../../shared/time.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import { natsCli } from '../connection.ts';
import type { DeclaredStream, NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';

/** How a declared stream differs from the server's. */
function streamMismatches(declared: DeclaredStream, info: StreamInfo): string[] {
  const out: string[] = [];
  if (declared.storage && info.config.storage !== declared.storage) out.push(`storage ${info.config.storage}, expected ${declared.storage}`);
  if (declared.replicas && info.config.num_replicas !== declared.replicas) out.push(`replicas ${info.config.num_replicas}, expected ${declared.replicas}`);
  if (declared.retention && info.config.retention !== declared.retention) out.push(`retention ${info.config.retention}, expected ${declared.retention}`);
  return out;
}

/** The stream's info, or undefined when it does not exist. */
export async function streamInfo(resources: NatsResources, name: string, signal: AbortSignal): Promise<StreamInfo | undefined> {
  try {
    return await abortable(resources.jsm.streams.info(name), signal);
  } catch (error) {
    if (/stream not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * `queue.mgmt.routing` for NATS: declared streams exist with the declared
 * storage, replicas and retention, and each declared subject is captured by
 * its stream (asked of the server: which stream takes this subject?).
 */
export function routingCheck(options: NatsOptions): Check<NatsResources> {
  return defineCheck<NatsResources>({
    id: 'queue.mgmt.routing',
    title: 'Declared streams exist as declared and capture their subjects',
    checklist: ['integration.message-queue.queue-management.verify-routing'],
    async run(context) {
      if (options.streams.length === 0) return { status: 'skip', summary: 'no streams declared', reason: 'no streams declared (option `streams`)' };
      const { jsm } = context.resources;
      const findings: Finding[] = [];
      for (const declared of options.streams) {
        const info = await streamInfo(context.resources, declared.name, context.signal);
        if (!info) {
          findings.push({ severity: 'fail', text: `stream ${declared.name} does not exist` });
          continue;
        }
        const mismatches = streamMismatches(declared, info);
        if (mismatches.length) findings.push({ severity: 'fail', text: `${declared.name}: ${mismatches.join(', ')}` });
        const misrouted: string[] = [];
        for (const subject of declared.subjects ?? []) {
          const owner = await abortable(jsm.streams.find(subject).catch(() => undefined), context.signal);
          if (owner !== declared.name) misrouted.push(`${subject} → ${owner ?? 'no stream'}`);
        }
        if (misrouted.length) findings.push({ severity: 'fail', text: `${declared.name} does not capture ${listSome(misrouted)}` });
      }
      const count = options.streams.length;
      return verdict(findings, `${plural(count, 'declared stream')} ${count === 1 ? 'exists as declared and captures its' : 'exist as declared and capture their'} subjects`, {
        reproduce: natsCli(options, `stream info ${options.streams[0]!.name}`),
      });
    },
  });
}
