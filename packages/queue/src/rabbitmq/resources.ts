import type { ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { ProbeError, ProbeErrorCode, messageOf, type ProbeContext } from '@probe/core';
import { BrokerRefusal, type Delivery, type QueueDriver, type Subscription } from '../shared/driver.ts';
import { createInbox } from '../shared/inbox.ts';
import { ID_HEADER, headerText } from '../shared/messages.ts';
import { dottedName } from '../shared/names.ts';
import type { OpsResources } from '../shared/ops/index.ts';
import { abortable } from '../shared/time.ts';
import { createTracker } from '../shared/tracker.ts';
import { openAmqp, openChannel, translateAmqp } from './connection.ts';
import type { RabbitmqOptions } from './options.ts';

/** What the RabbitMQ probe's setup opens and every check gets. */
export interface RabbitmqResources extends OpsResources {
  options: RabbitmqOptions;
  runId: string;
  connection: ChannelModel;
  /** Reasons the broker gave for blocking publishers (`connection.blocked`: a memory or disk alarm), in order. */
  blocked: string[];
  /**
   * Names of probe-owned queues and exchanges, recorded before they are declared, so
   * teardown deletes them even after an abort (AMQP cannot list queues).
   */
  owned: { queues: Set<string>; exchanges: Set<string> };
  /** A confirm channel for publishing (one per probe). */
  confirmChannel(): Promise<ConfirmChannel>;
}

/** Unacknowledged deliveries a probe consumer holds at most. */
const PREFETCH = 500;

export async function openRabbitmq(options: RabbitmqOptions, context: ProbeContext): Promise<RabbitmqResources> {
  const connection = await openAmqp(options.url, options.connectTimeoutMs);
  const tracker = createTracker();
  const blocked: string[] = [];
  connection.on('blocked', (reason: string) => blocked.push(reason));
  let confirm: Promise<ConfirmChannel> | undefined;
  const base: Omit<RabbitmqResources, 'driver'> = {
    options, runId: context.runId, connection, tracker, blocked,
    owned: { queues: new Set(), exchanges: new Set() },
    confirmChannel() {
      confirm ??= connection.createConfirmChannel().then((channel) => {
        channel.on('error', () => {});
        return channel;
      });
      return confirm;
    },
  };
  return { ...base, driver: createRabbitmqDriver(base) };
}

/** Wait for checks left running, close consumers, delete every probe-owned queue and exchange, close the connection. */
export async function closeRabbitmq(resources: RabbitmqResources | undefined): Promise<void> {
  if (!resources) return;
  const problems: string[] = [];
  try {
    await resources.tracker.settle(3_000);
    for (const error of await resources.tracker.closeAll()) problems.push(messageOf(error));
    const { owned } = resources;
    const channel = await openChannel(resources.connection);
    for (const queue of owned.queues) await channel.deleteQueue(queue).catch((error: unknown) => problems.push(`deleting queue ${queue}: ${messageOf(error)}`));
    for (const exchange of owned.exchanges) await channel.deleteExchange(exchange).catch((error: unknown) => problems.push(`deleting exchange ${exchange}: ${messageOf(error)}`));
    await channel.close().catch(() => {});
  } catch (error) {
    problems.push(messageOf(error));
  } finally {
    await resources.connection.close().catch(() => {});
  }
  if (problems.length > 0) throw new ProbeError(ProbeErrorCode.SETUP, `RabbitMQ cleanup incomplete: ${problems.join('; ')}`);
}

/** An AMQP delivery as a {@link Delivery}. */
export function toDelivery(message: ConsumeMessage): Delivery {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.properties.headers ?? {})) {
    const text = typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && !Array.isArray(value) ? JSON.stringify(value) : headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  return { id: headers[ID_HEADER], value: message.content, headers, position: '-', redelivered: message.fields.redelivered, receivedAt: Date.now() };
}

/** Publish on a confirm channel and wait for the broker's confirm; a nack or an unroutable return is a refusal. */
export async function publishConfirmed(channel: ConfirmChannel, exchange: string, routingKey: string, content: Buffer, headers: Record<string, unknown>, messageId?: string): Promise<void> {
  let returned: string | undefined;
  const onReturn = (message: { fields: { replyText: string; routingKey: string } }) => { returned = `${message.fields.replyText} for routing key "${message.fields.routingKey}"`; };
  channel.on('return', onReturn);
  try {
    await new Promise<void>((resolve, reject) => {
      channel.publish(exchange, routingKey, content, { persistent: true, mandatory: true, headers, ...(messageId ? { messageId } : {}) }, (error) => (error ? reject(error) : resolve()));
    });
  } catch (error) {
    throw /nack/i.test(messageOf(error))
      ? new BrokerRefusal('NACK', 'the broker nacked the publish (a full queue with x-overflow=reject-publish, or a broker-side failure)', { cause: error })
      : translateAmqp(error);
  } finally {
    channel.off('return', onReturn);
  }
  if (returned) throw new BrokerRefusal('NO_ROUTE', `the message was returned as unroutable: ${returned}`);
}

function createRabbitmqDriver(resources: Omit<RabbitmqResources, 'driver'>): QueueDriver {
  const { connection, options, tracker } = resources;
  const queues = new Map<string, Promise<string>>();
  return {
    noun: 'queue',
    destination(purpose, signal) {
      const name = dottedName(resources.runId, purpose);
      let declared = queues.get(name);
      if (!declared) {
        signal.throwIfAborted();
        resources.owned.queues.add(name);
        declared = openChannel(connection).then(async (channel) => {
          try {
            await channel.assertQueue(name, { durable: true, arguments: options.probeQueue.arguments });
            return name;
          } finally {
            await channel.close().catch(() => {});
          }
        }).catch((error: unknown) => {
          queues.delete(name);
          throw translateAmqp(error);
        });
        queues.set(name, declared);
      }
      return declared;
    },
    async publish(queue, messages, signal) {
      const channel = await resources.confirmChannel();
      for (const message of messages) {
        channel.publish('', queue, message.value, { persistent: true, mandatory: true, messageId: message.id, headers: message.headers });
      }
      try {
        await abortable(channel.waitForConfirms(), signal);
      } catch (error) {
        if (/nack/i.test(messageOf(error))) throw new BrokerRefusal('NACK', 'the broker nacked the publish (a full queue with x-overflow=reject-publish, or a broker-side failure)', { cause: error });
        throw translateAmqp(error);
      }
      return messages.map((message) => ({ id: message.id, position: '-' }));
    },
    async subscribe(queue, _consumer, signal, subscribeOptions = {}) {
      const channel = await abortable(openChannel(connection), signal);
      let closed: Promise<void> | undefined;
      const forget = tracker.onTeardown(() => close());
      const close = () => (closed ??= channel.close().catch(() => {}).finally(forget));
      const raw = new WeakMap<Delivery, ConsumeMessage>();
      const inbox = createInbox<Delivery>(async (delivery) => channel.ack(raw.get(delivery)!));
      channel.on('close', () => inbox.fail(new ProbeError(ProbeErrorCode.UNREACHABLE, `the channel consuming ${queue} was closed`)));
      try {
        await channel.prefetch(PREFETCH);
        await channel.consume(queue, (message) => {
          if (!message) return inbox.fail(new Error(`the broker cancelled the consumer of ${queue}`));
          const delivery = toDelivery(message);
          raw.set(delivery, message);
          inbox.push(delivery);
        }, { noAck: subscribeOptions.autoAck ?? false });
      } catch (error) {
        await close();
        throw translateAmqp(error);
      }
      return { take: (takeOptions) => inbox.take(takeOptions), close } satisfies Subscription;
    },
    async durability(queue) {
      return { durable: true, persistentMessages: true, arguments: options.probeQueue.arguments, queue };
    },
    reproduce: (queue) => ({
      publish: `rabbitmqadmin publish routing_key=${queue} payload='probe message' properties='{"delivery_mode":2}'`,
      consume: `rabbitmqadmin get queue=${queue} ackmode=ack_requeue_true count=10`,
    }),
  };
}
