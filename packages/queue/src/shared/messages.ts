import type { Delivery, OutboundMessage } from './driver.ts';

/** Header carrying the run id on every message the probe sends. */
export const RUN_HEADER = 'probe-run-id';
/** Header carrying the message's own id (`<runId>-<purpose>-<seq>`). */
export const ID_HEADER = 'probe-message-id';
/** Header carrying the message's sequence number within its batch. */
export const SEQ_HEADER = 'probe-seq';

/**
 * `count` probe messages for one purpose: JSON payloads padded to `bytes`,
 * one key for the whole batch (so Kafka puts them on one partition), and the
 * marker headers. Payload bytes are not all ASCII, so a broker or client that
 * re-encodes payloads is caught by the byte comparison.
 */
export function probeMessages(runId: string, purpose: string, count: number, bytes = 0): OutboundMessage[] {
  const key = `probe-${runId}-${purpose}`;
  return Array.from({ length: count }, (_, seq) => {
    const id = `${runId}-${purpose}-${seq}`;
    const head = JSON.stringify({ probe: runId, purpose, seq, text: 'ünïcødé ✓' });
    const value = Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, bytes - Buffer.byteLength(head)), 0xa7)]);
    return { id, key, value, headers: { [RUN_HEADER]: runId, [ID_HEADER]: id, [SEQ_HEADER]: String(seq), 'probe-binary': '\u00e9\u0001' } };
  });
}

/** The first difference between what was sent and what came back, or undefined when byte-identical. */
export function difference(sent: OutboundMessage, got: Delivery): string | undefined {
  if (!sent.value.equals(got.value)) {
    if (sent.value.length !== got.value.length) return `payload differs (${sent.value.length} bytes sent, ${got.value.length} received)`;
    const at = sent.value.findIndex((byte, index) => byte !== got.value[index]);
    return `payload differs at byte ${at} of ${sent.value.length} (0x${hex(sent.value[at])} sent, 0x${hex(got.value[at])} received)`;
  }
  if (sent.key !== undefined && got.key !== undefined && sent.key !== got.key) return `key differs ("${sent.key}" sent, "${got.key}" received)`;
  for (const [name, value] of Object.entries(sent.headers)) {
    if (got.headers[name] !== value) return `header ${name} differs (${JSON.stringify(value)} sent, ${JSON.stringify(got.headers[name])} received)`;
  }
  return undefined;
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

/** True for deliveries of this run and purpose. */
export function ofPurpose(runId: string, purpose: string): (delivery: Delivery) => boolean {
  const prefix = `${runId}-${purpose}-`;
  return (delivery) => delivery.id?.startsWith(prefix) ?? false;
}

/** Sequence number of a probe delivery (from its id). */
export function seqOf(delivery: Delivery): number {
  return Number(delivery.headers[SEQ_HEADER] ?? delivery.id?.split('-').at(-1) ?? Number.NaN);
}

/** Decode kafkajs/AMQP/NATS header values to strings (first value of arrays). */
export function headerText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return headerText(value[0]);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}
