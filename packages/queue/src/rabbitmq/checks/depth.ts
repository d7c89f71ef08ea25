import type { ChannelModel } from 'amqplib';
import { onThrowaway } from '../connection.ts';

/** One reading of a queue (AMQP passive declare: ready messages and consumers; unacknowledged ones are not visible). */
export interface DepthSample {
  ready: number;
  consumers: number;
}

/** A queue's trend over the window, in Burrow's spirit: OK, WARN (never drains), STOP (nobody consumes). */
export interface DepthEvaluation {
  status: 'OK' | 'WARN' | 'STOP';
  rule: string;
}

/** Evaluate a queue's readings (oldest first). */
export function evaluateDepth(samples: readonly DepthSample[]): DepthEvaluation {
  const last = samples.at(-1);
  if (!last || samples.some((sample) => sample.ready === 0)) return { status: 'OK', rule: 'empty within the window' };
  if (samples.every((sample) => sample.consumers === 0)) return { status: 'STOP', rule: `${last.ready} ready and no consumer` };
  let drained = false;
  for (let index = 1; index < samples.length; index++) if (samples[index]!.ready < samples[index - 1]!.ready) drained = true;
  if (!drained) return { status: 'WARN', rule: `ready count never decreased (${samples[0]!.ready} → ${last.ready}) with ${last.consumers} consumers` };
  return { status: 'OK', rule: 'draining' };
}

/** One passive declare of `queue`; undefined when it does not exist. */
export async function readDepth(connection: ChannelModel, queue: string): Promise<DepthSample | undefined> {
  const reply = await onThrowaway(connection, (channel) => channel.checkQueue(queue));
  if (!reply.ok) {
    if (reply.error.code === 404) return undefined;
    throw reply.error;
  }
  return { ready: reply.value.messageCount, consumers: reply.value.consumerCount };
}
