import { AckPolicy, DeliverPolicy, DiscardPolicy, jetstream, jetstreamManager, StorageType, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { ProbeError, ProbeErrorCode, messageOf, type ProbeContext } from '@probe/core';
import type { Delivery, QueueDriver, Receipt, Subscription } from '../shared/driver.ts';
import { createInbox } from '../shared/inbox.ts';
import { ID_HEADER } from '../shared/messages.ts';
import { dottedName, underscoredName } from '../shared/names.ts';
import type { OpsResources } from '../shared/ops/index.ts';
import { abortable } from '../shared/time.ts';
import { createTracker } from '../shared/tracker.ts';
import { natsCli, openNats, translateNats } from './connection.ts';
import type { NatsOptions } from './options.ts';

/** What the NATS probe's setup opens and every check gets. */
export interface NatsResources extends OpsResources {
  options: NatsOptions;
  runId: string;
  connection: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** Create (once) the probe-owned stream `probe_<runId>_<purpose>` on subject `probe.<runId>.<purpose>`; returns the stream name. */
  stream(purpose: string, signal: AbortSignal): Promise<string>;
  /** The subject of a probe-owned stream. */
  subjectOf(stream: string): string;
}

/** Publishes in flight at most (JetStream acks each; a window keeps throughput without flooding). */
const WINDOW = 256;
/**
 * How long JetStream waits for an ack before redelivering to a probe consumer.
 * Short, because a stopped consumer's pull request stays on the server until it
 * expires, and a message nak'ed at close may be handed to it and sit there until
 * ack_wait passes (nats-server 2.9 does not check the request's interest).
 */
const ACK_WAIT_NS = 1_000_000_000;

export async function openNatsResources(options: NatsOptions, context: ProbeContext): Promise<NatsResources> {
  const connection = await openNats(options);
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(connection);
  } catch (error) {
    await connection.close().catch(() => {});
    throw new ProbeError(ProbeErrorCode.SETUP, `JetStream is not available: ${messageOf(error)}`, { cause: error, hint: 'start nats-server with -js (JetStream), and enable it for this account' });
  }
  const tracker = createTracker();
  const streams = new Map<string, Promise<string>>();
  const subjects = new Map<string, string>();
  const base: Omit<NatsResources, 'driver'> = {
    options, runId: context.runId, connection, js: jetstream(connection), jsm, tracker,
    subjectOf: (stream) => subjects.get(stream) ?? stream,
    stream(purpose, signal) {
      const name = underscoredName(context.runId, purpose);
      let created = streams.get(name);
      if (!created) {
        signal.throwIfAborted();
        const subject = dottedName(context.runId, purpose);
        subjects.set(name, subject);
        const { storage, replicas, maxMsgs, maxBytes, discard } = options.probeStream;
        created = jsm.streams.add({
          name, subjects: [subject], num_replicas: replicas, max_msgs: maxMsgs, max_bytes: maxBytes,
          storage: storage === 'memory' ? StorageType.Memory : StorageType.File,
          discard: discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
        }).then(() => name, (error: unknown) => {
          streams.delete(name);
          throw new ProbeError(ProbeErrorCode.CONFIG, `creating the probe stream ${name} failed: ${messageOf(error)}`, { cause: error, hint: 'adjust `probeStream` to what this server accepts' });
        });
        streams.set(name, created);
      }
      return created;
    },
  };
  return { ...base, driver: createNatsDriver(base) };
}

/** Wait for checks left running, stop consumers, delete every `probe_<runId>_*` stream (with its consumers), close. */
export async function closeNatsResources(resources: NatsResources | undefined): Promise<void> {
  if (!resources) return;
  const problems: string[] = [];
  try {
    await resources.tracker.settle(3_000);
    for (const error of await resources.tracker.closeAll()) problems.push(messageOf(error));
    const prefix = underscoredName(resources.runId, '');
    for await (const name of resources.jsm.streams.names()) {
      if (name.startsWith(prefix)) await resources.jsm.streams.delete(name).catch((error: unknown) => problems.push(`deleting stream ${name}: ${messageOf(error)}`));
    }
  } catch (error) {
    problems.push(messageOf(error));
  } finally {
    await resources.connection.close().catch(() => {});
  }
  if (problems.length > 0) throw new ProbeError(ProbeErrorCode.SETUP, `NATS cleanup incomplete: ${problems.join('; ')}`);
}

/** A JetStream message as a {@link Delivery}. */
export function toDelivery(message: JsMsg): Delivery {
  const headers: Record<string, string> = {};
  for (const [name, values] of message.headers ?? []) if (values[0] !== undefined) headers[name] = values[0];
  return {
    id: headers[ID_HEADER], value: Buffer.from(message.data), headers, position: String(message.seq),
    redelivered: message.info.redelivered, receivedAt: Date.now(),
  };
}

function createNatsDriver(resources: Omit<NatsResources, 'driver'>): QueueDriver {
  const { js, jsm, tracker, options } = resources;
  return {
    noun: 'stream',
    destination: (purpose, signal) => resources.stream(purpose, signal),
    async publish(stream, messages, signal) {
      const subject = resources.subjectOf(stream);
      const receipts: Receipt[] = new Array(messages.length);
      for (let start = 0; start < messages.length; start += WINDOW) {
        const batch = messages.slice(start, start + WINDOW).map(async (message, offset) => {
          const headers = natsHeaders();
          for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
          const ack = await js.publish(subject, message.value, { msgID: message.id, headers });
          receipts[start + offset] = { id: message.id, position: String(ack.seq) };
        });
        try {
          await abortable(Promise.all(batch), signal);
        } catch (error) {
          throw translateNats(error);
        }
      }
      return receipts;
    },
    async subscribe(stream, consumer, signal, subscribeOptions = {}) {
      const durable = underscoredName(resources.runId, consumer);
      const ack_policy = subscribeOptions.autoAck ? AckPolicy.None : AckPolicy.Explicit;
      await abortable(jsm.consumers.add(stream, { durable_name: durable, ack_policy, ack_wait: ACK_WAIT_NS, deliver_policy: DeliverPolicy.All }), signal);
      const messages = await abortable(js.consumers.get(stream, durable).then((handle) => handle.consume({ max_messages: WINDOW })), signal);
      const raw = new WeakMap<Delivery, JsMsg>();
      const unacked = new Set<JsMsg>();
      /** Stream sequences delivered and not yet acknowledged. */
      const buffered = new Set<number>();
      const inbox = createInbox<Delivery>(async (delivery) => {
        const message = raw.get(delivery)!;
        unacked.delete(message);
        buffered.delete(message.seq);
        await message.ackAck();
      });
      const pump = (async () => {
        for await (const message of messages) {
          // A redelivery of a message still waiting in the inbox (ack_wait passed before a take) is the same message.
          if (buffered.has(message.seq)) continue;
          const delivery = toDelivery(message);
          raw.set(delivery, message);
          if (!subscribeOptions.autoAck) {
            unacked.add(message);
            buffered.add(message.seq);
          }
          inbox.push(delivery);
        }
      })().catch((error: unknown) => inbox.fail(translateNats(error)));
      let closed: Promise<void> | undefined;
      const forget = tracker.onTeardown(() => close());
      // Unacknowledged messages are handed back at once (nak) rather than after ack_wait.
      const close = () => (closed ??= (async () => {
        await messages.close().catch(() => {});
        await pump;
        for (const message of unacked) message.nak();
        forget();
      })());
      return { take: (takeOptions) => inbox.take(takeOptions), close } satisfies Subscription;
    },
    async durability(stream, signal) {
      const info = await abortable(jsm.streams.info(stream), signal);
      return { storage: info.config.storage, replicas: info.config.num_replicas, retention: info.config.retention, maxAgeNs: info.config.max_age, discard: info.config.discard };
    },
    reproduce: (stream) => ({
      publish: natsCli(options, `pub ${resources.subjectOf(stream)} 'probe message'`),
      consume: natsCli(options, `stream view ${stream}`),
    }),
  };
}
