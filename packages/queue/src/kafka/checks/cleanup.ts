import { defineCheck, type Check } from '@probe/core';
import { dottedName, staleNames } from '../../shared/names.ts';
import { abortable, sleep } from '../../shared/time.ts';
import { listSome, plural, verdict, type Finding } from '../../shared/verdict.ts';
import type { KafkaOptions } from '../options.ts';
import { kafkaTool } from '../reproduce.ts';
import { deleteGroups, type KafkaResources } from '../resources.ts';

/** How long a deleted topic may stay listed (deletion is asynchronous on the controller). */
const GONE_WITHIN_MS = 2_000;

/**
 * `queue.mgmt.cleanup`: the probe can delete what it creates (a topic and a
 * group made and removed here: deletion disabled or denied by ACLs would
 * leave every run's objects behind), and no `probe.*` topic or group of an
 * earlier run older than `staleAfterMs` is left on the cluster. Under
 * --read-only only the leftover report runs.
 */
export function cleanupCheck(options: KafkaOptions): Check<KafkaResources> {
  return defineCheck<KafkaResources>({
    id: 'queue.mgmt.cleanup',
    title: 'Probe-owned topics and groups can be deleted; no stale leftovers of crashed runs',
    checklist: ['integration.message-queue.queue-management.test-cleanup'],
    async run(context) {
      const { admin } = context.resources;
      const { signal } = context;
      const findings: Finding[] = [];
      const evidence: Record<string, unknown> = {};
      if (!context.readOnly) {
        const problem = await deleteRoundTrip(context.resources, dottedName(context.runId, 'cleanup'), signal);
        evidence.deleteRoundTrip = problem ?? 'created and deleted a probe topic and group';
        if (problem) findings.push({ severity: 'fail', text: problem });
      }
      const [topics, groups] = await abortable(Promise.all([admin.listTopics(), admin.listGroups()]), signal);
      const staleTopics = staleNames(topics, context.runId, options.staleAfterMs).map((owned) => owned.name);
      const staleGroups = staleNames(groups.groups.map((group) => group.groupId), context.runId, options.staleAfterMs).map((owned) => owned.name);
      if (staleTopics.length + staleGroups.length > 0) {
        findings.push({ severity: 'warn', text: `leftovers of earlier probe runs: ${[staleTopics.length ? plural(staleTopics.length, 'topic') : '', staleGroups.length ? plural(staleGroups.length, 'group') : ''].filter(Boolean).join(' and ')} (${listSome([...staleTopics, ...staleGroups], 3)})` });
        evidence.staleTopics = staleTopics;
        evidence.staleGroups = staleGroups;
        evidence.remove = [
          ...staleTopics.map((topic) => kafkaTool(options, 'kafka-topics.sh', `--delete --topic ${topic}`)),
          ...staleGroups.map((group) => kafkaTool(options, 'kafka-consumer-groups.sh', `--delete --group ${group}`)),
        ].slice(0, 20);
      }
      const roundTrip = context.readOnly ? '' : 'probe topics and groups can be deleted; ';
      return verdict(findings, `${roundTrip}no probe leftovers older than ${Math.round(options.staleAfterMs / 60_000)} min`, evidence);
    },
  });
}

/** Create a topic and a group named `name`, delete both, and confirm they are gone; a problem in words, or undefined. */
async function deleteRoundTrip(resources: KafkaResources, name: string, signal: AbortSignal): Promise<string | undefined> {
  const { admin } = resources;
  await resources.topic('cleanup', signal, 1);
  const member = await resources.subscribe('cleanup', [name], 'earliest', signal);
  try {
    await abortable(member.joined, signal);
  } finally {
    await member.close();
  }
  const [groupProblem] = await abortable(deleteGroups(admin, [name]), signal);
  if (groupProblem) return `${groupProblem} failed`;
  try {
    await abortable(admin.deleteTopics({ topics: [name], timeout: resources.options.requestTimeoutMs }), signal);
  } catch (error) {
    return `deleting the probe topic ${name} failed (delete.topic.enable=false, or ACLs deny Delete): ${(error as Error).message}`;
  }
  const deadline = Date.now() + GONE_WITHIN_MS;
  for (;;) {
    const [topics, groups] = await abortable(Promise.all([admin.listTopics(), admin.listGroups()]), signal);
    const left = [...(topics.includes(name) ? [`topic ${name}`] : []), ...(groups.groups.some((group) => group.groupId === name) ? [`group ${name}`] : [])];
    if (left.length === 0) return undefined;
    if (Date.now() > deadline) return `${left.join(' and ')} still listed ${GONE_WITHIN_MS} ms after deletion`;
    await sleep(100, signal);
  }
}
