import { randomBytes } from 'node:crypto';
import { failStep, isStepFailure, type FlowStep, type StepContext } from '@probe/core';
import { createKafka, translate } from './kafka/client.ts';
import { kafkaOptionsSchema, type KafkaProbeOptions, type ObservedMessage } from './kafka/options.ts';
import { kcat } from './kafka/reproduce.ts';
import { deleteGroups } from './kafka/resources.ts';
import { subscribeKafka, type KafkaDelivery } from './kafka/subscription.ts';
import { observed } from './kafka/user-topics.ts';
import { dottedName } from './shared/names.ts';
import { abortable } from './shared/time.ts';
import { createTracker } from './shared/tracker.ts';

/** What a {@link kafkaMessageStep} found; later steps find it in `state[name]`. */
export interface KafkaStepMessage extends ObservedMessage {
  /** The value parsed as JSON, when it is JSON. */
  json?: unknown;
  /** Messages of the topic read before this one matched. */
  scanned: number;
}

/** Options of {@link kafkaMessageStep}. */
export interface KafkaMessageStepOptions<S extends Record<string, unknown> = Record<string, unknown>> {
  /** The step's name, unique in the flow; the message is `state[name]`. */
  name: string;
  /** The system shown in the evidence (default `kafka`). */
  target?: string;
  /** Seed brokers, `host:port` (a comma-separated string or a list). */
  brokers: KafkaProbeOptions['brokers'];
  ssl?: KafkaProbeOptions['ssl'];
  /** SASL credentials; the password is redacted from the evidence. */
  sasl?: KafkaProbeOptions['sasl'];
  topic: string;
  /** Which message is the one the flow waits for (e.g. its key is the order id an earlier step returned). */
  match: (message: ObservedMessage, state: S) => boolean;
  /** Conditions on it: call `expectStep`/`failStep`, or return `false` or a string (why it does not hold). */
  expect?: (message: KafkaStepMessage, state: S) => boolean | string | void;
  /** Read the messages written since this time (epoch ms); default `lookbackMs` before the step starts. */
  since?: (state: S) => number;
  /** Default 30 000 ms: a message the flow caused moments ago is in that window. */
  lookbackMs?: number;
  /** How long to wait for the message (default 5 000 ms; the flow's deadline bounds it too). */
  withinMs?: number;
}

/**
 * A flow step that waits for a message on a Kafka topic — `order.created` with
 * the id the API returned — reading the topic from a point in time with a
 * probe-owned consumer group (`probe.<runId>.flow-…`, deleted afterwards; the
 * application's groups are never joined and nothing is written). Fails naming
 * the step when no message matches in time, with how many were read and a
 * `kcat` line that reads the same messages.
 */
export function kafkaMessageStep<S extends Record<string, unknown> = Record<string, unknown>>(options: KafkaMessageStepOptions<S>): FlowStep<S> {
  return {
    name: options.name,
    target: options.target ?? 'kafka',
    async run(context) {
      const settings = kafkaOptionsSchema.parse({ brokers: options.brokers, ...(options.ssl === undefined ? {} : { ssl: options.ssl }), ...(options.sasl ? { sasl: options.sasl } : {}) });
      const since = options.since?.(context.state) ?? Date.now() - (options.lookbackMs ?? 30_000);
      const withinMs = options.withinMs ?? 5_000;
      const kafka = createKafka(settings, context.log);
      const admin = kafka.admin();
      const tracker = createTracker();
      const groupId = dottedName(context.runId, `flow-${options.name}-${randomBytes(3).toString('hex')}`);
      const reproduce = context.redact(kcat(settings, `-C -t ${options.topic} -o s@${since} -e -f '%p %o %T %k %h %s\\n'`));
      let scanned = 0;
      const recent: string[] = [];
      try {
        await abortable(admin.connect(), context.signal).catch((error: unknown) => { throw translate(error, 'connecting'); });
        const offsets = await abortable(admin.fetchTopicOffsetsByTimestamp(options.topic, since), context.signal).catch((error: unknown) => { throw translate(error, `reading ${options.topic}`); });
        const reader = await subscribeKafka(kafka, admin, tracker, {
          groupId, topics: [options.topic], start: { [options.topic]: offsets.map(({ partition, offset }) => ({ partition, offset })) }, signal: context.signal,
        });
        const [found] = await reader.take({
          count: 1, timeoutMs: withinMs, signal: context.signal,
          filter: (delivery) => {
            const message = observed(delivery as KafkaDelivery);
            if (options.match(message, context.state)) return true;
            scanned++;
            recent.push(`${message.partition}@${message.offset} key ${message.key ?? '(none)'}`);
            if (recent.length > 5) recent.shift();
            return false;
          },
        });
        if (!found) {
          failStep(`no message on ${options.topic} matched within ${withinMs} ms (${scanned} read since ${new Date(since).toISOString()})`, {
            topic: options.topic, since: new Date(since).toISOString(), scanned, lastSeen: recent, reproduce,
          });
        }
        const message: KafkaStepMessage = { ...observed(found as KafkaDelivery), ...parsed((found as KafkaDelivery).value), scanned };
        judge(options, message, reproduce, context);
        return message;
      } finally {
        await tracker.closeAll();
        await deleteGroups(admin, [groupId]).catch(() => []);
        await admin.disconnect().catch(() => {});
      }
    },
  };
}

function parsed(value: Buffer): { json?: unknown } {
  try {
    return { json: JSON.parse(value.toString('utf8')) };
  } catch {
    return {};
  }
}

function judge<S extends Record<string, unknown>>(options: KafkaMessageStepOptions<S>, message: KafkaStepMessage, reproduce: string, context: StepContext<S>): void {
  const evidence = () => ({
    topic: message.topic, partition: message.partition, offset: message.offset, key: message.key,
    value: message.value.length > 500 ? `${message.value.slice(0, 500)}…` : message.value, headers: message.headers, reproduce,
  });
  let verdict: boolean | string | void;
  try {
    verdict = options.expect?.(message, context.state);
  } catch (error) {
    if (isStepFailure(error)) failStep(error.message, { ...error.evidence, ...evidence() });
    throw error;
  }
  if (verdict === false || typeof verdict === 'string') failStep(`${options.topic} ${message.partition}@${message.offset}: ${verdict || 'the message does not hold'}`, evidence());
}
