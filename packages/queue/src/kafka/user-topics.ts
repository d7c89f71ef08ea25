import type { Delivery } from '../shared/driver.ts';
import { ID_HEADER, RUN_HEADER } from '../shared/messages.ts';
import { abortable } from '../shared/time.ts';
import { translate } from './client.ts';
import type { HandlerMessage, ObservedMessage } from './options.ts';
import type { KafkaResources } from './resources.ts';
import type { KafkaDelivery } from './subscription.ts';

/** A message option: a fixed message or a function of the probe message id. */
export type MessageSpec = HandlerMessage | ((id: string) => HandlerMessage);

/** The bytes and headers of a user-declared message, with the probe's marker headers added. */
export function markedMessage(spec: MessageSpec, id: string, runId: string): { key: string | null; value: Buffer; headers: Record<string, string> } {
  const message = typeof spec === 'function' ? spec(id) : spec;
  const { value } = message;
  const bytes = Buffer.isBuffer(value) ? value : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return { key: message.key ?? null, value: bytes, headers: { ...message.headers, [RUN_HEADER]: runId, [ID_HEADER]: id } };
}

/**
 * Send one marked message to a user's topic (acks=all): the only write the
 * probe ever makes outside its own topics, and only when the user declares a
 * handler or DLQ check.
 */
export async function sendMarked(resources: KafkaResources, topic: string, message: ReturnType<typeof markedMessage>, signal: AbortSignal): Promise<{ partition: number; offset: string; sentAt: number }> {
  const producer = await resources.producer();
  const sentAt = Date.now();
  try {
    const [result] = await abortable(producer.send({ topic, acks: -1, timeout: resources.options.requestTimeoutMs, messages: [message] }), signal);
    return { partition: result?.partition ?? -1, offset: result?.baseOffset ?? '-1', sentAt };
  } catch (error) {
    throw translate(error);
  }
}

/** A received message as the user's predicates see it. */
export function observed(delivery: KafkaDelivery): ObservedMessage {
  return {
    topic: delivery.topic, partition: delivery.partition, offset: delivery.position,
    key: delivery.key, value: delivery.value.toString('utf8'), headers: delivery.headers, timestamp: delivery.timestamp,
  };
}

/** The default effect predicate: the probe message id appears in a header, the value or the key. */
export function carriesId(delivery: Delivery, id: string): boolean {
  return Object.values(delivery.headers).includes(id) || delivery.value.includes(id) || (delivery.key?.includes(id) ?? false);
}

/** A short, redaction-friendly view of a message for evidence. */
export function brief(delivery: KafkaDelivery): Record<string, unknown> {
  const text = delivery.value.toString('utf8');
  return {
    topic: delivery.topic, partition: delivery.partition, offset: delivery.position, key: delivery.key,
    value: text.length > 200 ? `${text.slice(0, 197)}...` : text, headers: delivery.headers,
  };
}
