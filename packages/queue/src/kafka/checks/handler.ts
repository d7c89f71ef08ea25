import { defineCheck, type Check } from '@probe/core';
import { sleep } from '../../shared/time.ts';
import { verdict, type Finding } from '../../shared/verdict.ts';
import type { DeclaredHandler, KafkaOptions } from '../options.ts';
import { kcat } from '../reproduce.ts';
import type { KafkaResources } from '../resources.ts';
import type { KafkaDelivery } from '../subscription.ts';
import { brief, carriesId, markedMessage, observed, sendMarked } from '../user-topics.ts';

/** Poll interval of a handler's `verify` function. */
const VERIFY_POLL_MS = 100;

/**
 * `queue.processing.handler`: for each declared handler, one marked message
 * goes to its input topic, and its effect must appear within the window: a
 * message on the output topic (read by a probe-owned group from the offsets
 * before the send) and/or `verify` returning true.
 */
export function handlerCheck(options: KafkaOptions): Check<KafkaResources> {
  return defineCheck<KafkaResources>({
    id: 'queue.processing.handler',
    title: 'Each declared handler turns a marked input message into its expected effect in time',
    checklist: ['integration.message-queue.message-processing.test-handlers'],
    writes: true,
    timeoutMs: options.handlers.reduce((sum, handler) => sum + handler.timeoutMs, 0) + 3_000,
    async run(context) {
      if (options.handlers.length === 0) return { status: 'skip', summary: 'no handlers declared', reason: 'no handlers declared (option `handlers`)' };
      const findings: Finding[] = [];
      const results: Record<string, unknown>[] = [];
      for (const [index, handler] of options.handlers.entries()) {
        const result = await exercise(context.resources, handler, `${context.runId}-handler-${index}`, `handler-${index}`, context.signal);
        results.push(result);
        if (result.problem) findings.push({ severity: 'fail', text: `${handler.name}: ${String(result.problem)}` });
        else context.metric('queue.handler_latency_ms', Number(result.latencyMs), 'ms');
      }
      const latencies = results.map((result) => `${String(result.handler)} in ${String(result.latencyMs)} ms`).join(', ');
      return verdict(findings, `every handler produced its effect: ${latencies}`, { handlers: results });
    },
  });
}

async function exercise(resources: KafkaResources, handler: DeclaredHandler, id: string, purpose: string, signal: AbortSignal): Promise<Record<string, unknown>> {
  const watcher = handler.output ? await resources.subscribe(purpose, [handler.output], 'latest', signal) : undefined;
  try {
    const sent = await sendMarked(resources, handler.input, markedMessage(handler.message, id, resources.runId), signal);
    const result: Record<string, unknown> = { handler: handler.name, id, sent: { topic: handler.input, partition: sent.partition, offset: sent.offset } };
    const reproduce = handler.output ? kcat(resources.options, `-C -t ${handler.output} -o -10 -e -f '%p %o %k %h %s\\n'`) : undefined;
    let doneAt = Date.now();
    if (watcher && handler.output) {
      const match = handler.match;
      const [effect] = await watcher.take({
        count: 1, timeoutMs: handler.timeoutMs, signal,
        filter: (delivery) => (match ? match(observed(delivery as KafkaDelivery), id) : carriesId(delivery, id)),
      });
      if (!effect) return { ...result, reproduce, problem: `no message on ${handler.output} matched within ${handler.timeoutMs} ms after the send to ${handler.input} (partition ${sent.partition}, offset ${sent.offset})` };
      result.effect = brief(effect as KafkaDelivery);
      doneAt = effect.receivedAt;
    }
    if (handler.verify) {
      const deadline = sent.sentAt + handler.timeoutMs;
      while (!(await handler.verify({ id, signal }))) {
        if (Date.now() >= deadline) return { ...result, problem: `verify() did not return true within ${handler.timeoutMs} ms after the send to ${handler.input}` };
        await sleep(VERIFY_POLL_MS, signal);
      }
      doneAt = Date.now();
    }
    return { ...result, latencyMs: doneAt - sent.sentAt };
  } finally {
    await watcher?.close();
  }
}
