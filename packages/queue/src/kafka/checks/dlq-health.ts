import { defineCheck, type Check } from '@probe/core';
import { windowMs, windowTiming } from '../../shared/options.ts';
import { abortable, sampleOverWindow } from '../../shared/time.ts';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import { partitionKey } from '../lag.ts';
import { watermarks } from '../metadata.ts';
import type { KafkaOptions } from '../options.ts';
import { kcat } from '../reproduce.ts';
import { RUN_HEADER } from '../../shared/messages.ts';
import type { KafkaResources } from '../resources.ts';
import type { KafkaDelivery } from '../subscription.ts';
import { conventionalDlqTopics } from './retry-dlq.ts';

/** Topic names that say "dead letters": `.DLT`, `-dlt`, `.dlq`, `-dead-letter`, … (probe-owned topics excluded). */
const DLQ_NAME = /[.-](dlt|dlq|dead-?letters?)$/i;
/** Bound on reading a DLQ topic's messages. */
const OLDEST_READ_MS = 2_000;
/** DLQ topics with at most this many messages are read in full (so the probe's own marked messages are not counted). */
const SCAN_LIMIT = 2_000;

/** The DLQ topics to watch: declared routes' topics, `dlqTopics`, and (with `discoverDlqTopics`) existing topics named like dead-letter topics. */
export function dlqTopicsOf(options: KafkaOptions, existing: readonly string[]): string[] {
  const declared = options.dlq.flatMap((route) => (route.topic ? [route.topic] : conventionalDlqTopics(route.input)));
  const found = options.discoverDlqTopics ? existing.filter((topic) => DLQ_NAME.test(topic) && !topic.startsWith('probe.')) : [];
  return [...new Set([...declared, ...options.dlqTopics, ...found])].filter((topic) => existing.includes(topic)).sort();
}

/**
 * `queue.processing.dlq-health`: each dead-letter topic's size, growth over
 * the sampling window (new dead letters now fail: something is failing as we
 * speak), and the age of its oldest message (dead letters nobody handles).
 * The probe's own marked poison messages (`queue.processing.retry-dlq`, of
 * this run or earlier ones) are not counted.
 */
export function dlqHealthCheck(options: KafkaOptions): Check<KafkaResources> {
  const window = windowMs(options.sampling);
  const { dlqMessages, dlqAgeMs } = options.thresholds;
  return defineCheck<KafkaResources>({
    id: 'queue.processing.dlq-health',
    title: 'Dead-letter topics: size, growth over the window, age of the oldest message',
    checklist: ['integration.message-queue.message-processing.check-dead-letters', 'integration.message-queue.message-processing.monitor-failures'],
    ...windowTiming(options.sampling, OLDEST_READ_MS),
    async run(context) {
      const { admin } = context.resources;
      const { signal } = context;
      const topics = dlqTopicsOf(options, await abortable(admin.listTopics(), signal));
      if (topics.length === 0) return { status: 'skip', summary: 'no dead-letter topics declared or found', reason: 'no dead-letter topics declared (`dlq`, `dlqTopics`) or named like one (.DLT, -dlt, .dlq)' };
      const [first, last] = await sampleOverWindow(2, window, signal, () => Promise.all(topics.map((topic) => watermarks(admin, topic, signal))));
      const read = await readDeadLetters(context.resources, topics, last!.value, signal);
      const findings: Finding[] = [];
      const report = topics.map((topic, index) => {
        const before = first!.value[index]!;
        const after = last!.value[index]!;
        // The probe's own poison messages are not the application's dead letters: all of them are left out of a
        // topic read in full, and this run's (queue.processing.retry-dlq) out of a larger one's watermarks.
        const ours = (from: (partition: number) => number) => context.resources.deadLetters
          .filter((letter) => letter.topic === topic && letter.offset >= from(letter.partition)).length;
        const lowOf = (partition: number) => after.find((mark) => mark.partition === partition)?.low ?? 0;
        const startOf = (partition: number) => before.find((mark) => mark.partition === partition)?.high ?? lowOf(partition);
        const { applicationMessages, oldestAt } = read.get(topic) ?? {};
        const size = applicationMessages ?? after.reduce((sum, mark) => sum + mark.high - mark.low, 0) - ours(lowOf);
        const growth = after.reduce((sum, mark) => sum + mark.high - startOf(mark.partition), 0) - ours(startOf);
        const ageMs = oldestAt === undefined ? undefined : Date.now() - oldestAt;
        if (growth > 0) findings.push({ severity: 'fail', text: `${topic} grew by ${growth} during the ${window} ms window: messages are failing now` });
        if (size > dlqMessages) findings.push({ severity: 'warn', text: `${topic} holds ${plural(size, 'message')}${ageMs === undefined ? '' : `, the oldest ${formatAge(ageMs)} old`}` });
        else if (ageMs !== undefined && ageMs > dlqAgeMs) findings.push({ severity: 'warn', text: `${topic}'s oldest message is ${formatAge(ageMs)} old` });
        return { topic, size, growth, oldestAgeMs: ageMs, reproduce: kcat(options, `-C -t ${topic} -o beginning -c 10 -e -f '%p %o %T %k %h %s\\n'`) };
      });
      const total = report.reduce((sum, entry) => sum + entry.size, 0);
      context.metric('queue.dlq_messages', total, 'count');
      context.metric('queue.dlq_growth', report.reduce((sum, entry) => sum + entry.growth, 0), 'count');
      return verdict(findings, `${plural(topics.length, 'dead-letter topic')} (${topics.join(', ')}): ${total} messages, no growth in ${window} ms`, { window: { ms: window }, topics: report });
    },
  });
}

/** What reading a dead-letter topic showed: the application's messages (read in full only) and the oldest one's time. */
interface DeadLetterRead {
  applicationMessages?: number;
  oldestAt?: number;
}

/**
 * Read each DLQ topic with a probe-owned group from its low watermarks: in
 * full when it holds at most {@link SCAN_LIMIT} messages (counting the
 * application's, not the probe's marked ones), else the first message of each
 * partition only. Bounded by {@link OLDEST_READ_MS}; a topic not read in full
 * in time falls back to its watermarks.
 */
async function readDeadLetters(resources: KafkaResources, topics: string[], marks: { partition: number; low: number; high: number }[][], signal: AbortSignal): Promise<Map<string, DeadLetterRead>> {
  const start: Record<string, { partition: number; offset: string }[]> = {};
  const full = new Map<string, number>();
  let wanted = 0;
  topics.forEach((topic, index) => {
    const nonEmpty = marks[index]!.filter((mark) => mark.high > mark.low);
    const size = nonEmpty.reduce((sum, mark) => sum + mark.high - mark.low, 0);
    start[topic] = nonEmpty.map((mark) => ({ partition: mark.partition, offset: String(mark.low) }));
    if (size <= SCAN_LIMIT) full.set(topic, size);
    wanted += size <= SCAN_LIMIT ? size : nonEmpty.length;
  });
  const out = new Map<string, DeadLetterRead>();
  if (wanted === 0) return out;
  const reader = await resources.subscribe('dlq-health', topics.filter((topic) => start[topic]!.length > 0), start, signal);
  let deliveries: KafkaDelivery[];
  try {
    const seen = new Set<string>();
    deliveries = (await reader.take({
      count: wanted, timeoutMs: OLDEST_READ_MS, signal,
      filter: (delivery) => {
        const { topic, partition } = delivery as KafkaDelivery;
        if (full.has(topic)) return true;
        const key = partitionKey(topic, partition);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      },
    })) as KafkaDelivery[];
  } finally {
    await reader.close();
  }
  for (const topic of topics) {
    const read = deliveries.filter((delivery) => delivery.topic === topic);
    const application = read.filter((delivery) => delivery.headers[RUN_HEADER] === undefined);
    const oldestAt = application.length ? Math.min(...application.map((delivery) => delivery.timestamp)) : undefined;
    const complete = full.has(topic) && read.length === full.get(topic);
    out.set(topic, { ...(complete ? { applicationMessages: application.length } : {}), ...(oldestAt === undefined ? {} : { oldestAt }) });
  }
  return out;
}

/** `3 h`, `12 min`, `4 s`. */
function formatAge(ms: number): string {
  if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)} d`;
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 1_000)} s`;
}
