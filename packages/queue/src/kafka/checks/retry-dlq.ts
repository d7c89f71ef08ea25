import { defineCheck, type Check } from '@probe/core';
import { abortable } from '../../shared/time.ts';
import { verdict, type Finding } from '../../shared/verdict.ts';
import type { DeclaredDlq, KafkaOptions } from '../options.ts';
import { kcat } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';
import type { KafkaDelivery } from '../subscription.ts';
import { brief, carriesId, markedMessage, sendMarked } from '../user-topics.ts';

/** Dead-letter topic names by convention: Spring Kafka ≥ 3.3 (`-dlt`) and before (`.DLT`). */
export function conventionalDlqTopics(input: string): string[] {
  return [`${input}.DLT`, `${input}-dlt`];
}

/** Spring's `-retry`, `-retry-0`, `-retry-1000` retry topics (and `.retry` variants) of `input`. */
export function retryTopicsOf(input: string, topics: readonly string[]): string[] {
  return topics.filter((topic) => topic.startsWith(`${input}-retry`) || topic.startsWith(`${input}.retry`)).sort();
}

/** Headers that carry an attempt count, by common convention. */
const ATTEMPT_HEADERS = ['retry_topic-attempts', 'x-retry-count', 'x-attempts', 'retry-count', 'attempts', 'delivery-attempts', 'x-delivery-count'];
/** Header names that describe the failure (Spring `kafka_dlt-exception-*`, Connect `__connect.errors.*`, custom `x-error`). */
const ERROR_HEADER = /exception|error|cause|reason|stacktrace/i;

/** What a dead letter shows: the attempt count (when a header carries it) and the error headers. */
export function readDeadLetter(delivery: KafkaDelivery, attemptsHeader?: string): { attempts: number | undefined; errorHeaders: string[] } {
  const names = attemptsHeader ? [attemptsHeader] : ATTEMPT_HEADERS;
  const raw = names.map((name) => delivery.headers[name]).find((value) => value !== undefined && Number.isFinite(Number(value)));
  return {
    attempts: raw === undefined ? undefined : Number(raw),
    errorHeaders: Object.keys(delivery.headers).filter((name) => ERROR_HEADER.test(name)),
  };
}

/**
 * `queue.processing.retry-dlq`: for each declared route, one marked poison
 * message goes to the input topic; the consumer must retry it (attempts seen
 * on retry topics or an attempts header, compared with `attempts` when
 * declared) and then dead-letter it — to `<input>.DLT`, `<input>-dlt` or the
 * configured topic — with the original payload and error headers.
 */
export function retryDlqCheck(options: KafkaOptions): Check<KafkaResources> {
  return defineCheck<KafkaResources>({
    id: 'queue.processing.retry-dlq',
    title: 'A poison message is retried as declared, then dead-lettered with its payload and error headers',
    checklist: ['integration.message-queue.message-processing.verify-retry-logic', 'integration.message-queue.message-processing.check-dead-letters'],
    writes: true,
    timeoutMs: options.dlq.reduce((sum, route) => sum + route.timeoutMs, 0) + 3_000,
    async run(context) {
      if (options.dlq.length === 0) return { status: 'skip', summary: 'no dead-letter routes declared', reason: 'no dead-letter routes declared (option `dlq`)' };
      const findings: Finding[] = [];
      const routes: Record<string, unknown>[] = [];
      const topics = await abortable(context.resources.admin.listTopics(), context.signal);
      for (const [index, route] of options.dlq.entries()) {
        const result = await poison(context.resources, route, topics, index, context.signal);
        routes.push(result.evidence);
        findings.push(...result.findings.map((finding) => ({ ...finding, text: `${route.input}: ${finding.text}` })));
        if (result.timeToDlqMs !== undefined) context.metric('queue.time_to_dlq_ms', result.timeToDlqMs, 'ms');
      }
      const times = routes.map((route) => `${String(route.input)} → ${String(route.dlq)} in ${String(route.timeToDlqMs)} ms`).join(', ');
      return verdict(findings, `poison messages were dead-lettered with payload and error headers: ${times}`, { routes });
    },
  });
}

async function poison(resources: KafkaResources, route: DeclaredDlq, topics: readonly string[], index: number, signal: AbortSignal): Promise<{ findings: Finding[]; evidence: Record<string, unknown>; timeToDlqMs?: number }> {
  const candidates = route.topic ? [route.topic] : conventionalDlqTopics(route.input);
  const dlq = candidates.find((topic) => topics.includes(topic));
  if (!dlq) {
    return { findings: [{ severity: 'fail', text: `no dead-letter topic: ${candidates.join(' or ')} does not exist` }], evidence: { input: route.input, candidates } };
  }
  const retryTopics = (route.retryTopics ?? retryTopicsOf(route.input, topics)).filter((topic) => topics.includes(topic));
  const id = `${resources.runId}-dlq-${index}`;
  const message = markedMessage(route.poison, id, resources.runId);
  const watcher = await resources.subscribe(`dlq-${index}`, [dlq, ...retryTopics], 'latest', signal);
  try {
    const sent = await sendMarked(resources, route.input, message, signal);
    const ours = (delivery: KafkaDelivery) => carriesId(delivery, id) || delivery.value.equals(message.value);
    const retries: Record<string, unknown>[] = [];
    let dead: KafkaDelivery | undefined;
    while (!dead) {
      const remaining = sent.sentAt + route.timeoutMs - Date.now();
      if (remaining <= 0) break;
      const [next] = (await watcher.take({ count: 1, timeoutMs: remaining, signal, filter: (delivery) => ours(delivery as KafkaDelivery) })) as KafkaDelivery[];
      if (!next) break;
      if (next.topic === dlq) dead = next;
      else retries.push(brief(next));
    }
    const evidence: Record<string, unknown> = {
      input: route.input, dlq, retryTopics, id, sent: { partition: sent.partition, offset: sent.offset }, retriesSeen: retries,
      reproduce: kcat(resources.options, `-C -t ${dlq} -o -10 -e -f '%p %o %k %h %s\\n'`),
    };
    if (!dead) {
      return { findings: [{ severity: 'fail', text: `the poison message did not reach ${dlq} within ${route.timeoutMs} ms (${retries.length} retries seen): the consumer dropped it, or is stuck retrying it` }], evidence };
    }
    resources.deadLetters.push({ topic: dlq, partition: dead.partition, offset: Number(dead.position) });
    const timeToDlqMs = dead.receivedAt - sent.sentAt;
    const { attempts: headerAttempts, errorHeaders } = readDeadLetter(dead, route.attemptsHeader);
    const attempts = headerAttempts ?? (retryTopics.length > 0 ? retries.length + 1 : undefined);
    Object.assign(evidence, { deadLetter: brief(dead), timeToDlqMs, attempts: attempts ?? 'not observable (no retry topics or attempts header)', errorHeaders });
    const findings: Finding[] = [];
    if (!dead.value.equals(message.value)) findings.push({ severity: 'fail', text: `the dead letter's payload differs from the original (${message.value.length} bytes sent, ${dead.value.length} on ${dlq})` });
    if (errorHeaders.length === 0) findings.push({ severity: 'warn', text: `the dead letter on ${dlq} carries no error headers (exception, cause, reason)` });
    if (route.attempts !== undefined && attempts !== undefined && attempts !== route.attempts) {
      findings.push({ severity: 'fail', text: `${attempts} attempts before dead-lettering, expected ${route.attempts}` });
    }
    return { findings, evidence, timeToDlqMs };
  } finally {
    await watcher.close();
  }
}
