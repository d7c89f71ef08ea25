import { defineCheck, type Check } from '@probe/core';
import type { ConsumerInfo } from '@nats-io/jetstream';
import { windowTiming } from '../../shared/options.ts';
import { abortable, sampleOverWindow } from '../../shared/time.ts';
import { plural, verdict, type Finding } from '../../shared/verdict.ts';
import { evaluatePartition } from '../../shared/burrow.ts';
import { natsCli } from '../connection.ts';
import type { NatsOptions } from '../options.ts';
import type { NatsResources } from '../resources.ts';

/** Burrow's rule texts in JetStream's words. */
const NATS_TERMS = { position: 'ack floor', owned: 'a client is attached', unowned: 'no client is attached' };

/** A consumer's info, or undefined when it (or its stream) does not exist. */
async function consumerInfo(resources: NatsResources, stream: string, name: string, signal: AbortSignal): Promise<ConsumerInfo | undefined> {
  try {
    return await abortable(resources.jsm.consumers.info(stream, name), signal);
  } catch (error) {
    if (/not found/i.test((error as Error).message)) return undefined;
    throw error;
  }
}

/**
 * `queue.mgmt.backlog` for NATS: each declared consumer's backlog (pending +
 * ack-pending) and ack floor over the window, judged by the same Burrow rules
 * as Kafka lag (the ack floor is the committed position; a consumer with no
 * bound push subscriber and no waiting pull request is not "owned"). A
 * consumer whose ack-pending reached `max_ack_pending` is blocked and fails.
 */
export function backlogCheck(options: NatsOptions): Check<NatsResources> {
  const { samples, intervalMs } = options.sampling;
  return defineCheck<NatsResources>({
    id: 'queue.mgmt.backlog',
    title: "Declared consumers' backlog over a sampling window, judged by Burrow's rules",
    checklist: ['integration.message-queue.queue-management.check-backlog'],
    ...windowTiming(options.sampling),
    async run(context) {
      if (options.consumers.length === 0) return { status: 'skip', summary: 'no consumers declared', reason: 'no consumers declared (option `consumers`)' };
      const readings = await sampleOverWindow(samples, intervalMs, context.signal, () => Promise.all(options.consumers.map((consumer) => consumerInfo(context.resources, consumer.stream, consumer.name, context.signal))));
      const findings: Finding[] = [];
      const consumers = options.consumers.map((consumer, index) => {
        const label = `${consumer.stream}/${consumer.name}`;
        const infos = readings.map((reading) => ({ at: reading.at, info: reading.value[index] }));
        const last = infos.at(-1)!.info;
        if (infos.some(({ info }) => !info) || !last) {
          findings.push({ severity: 'fail', text: `consumer ${label} does not exist` });
          return { consumer: label, missing: true };
        }
        const window = infos.map(({ at, info }) => ({ at, offset: info!.ack_floor.stream_seq, high: info!.delivered.stream_seq, lag: info!.num_pending + info!.num_ack_pending }));
        const owned = Boolean(last.push_bound) || last.num_waiting > 0;
        const evaluation = evaluatePartition(window, owned, NATS_TERMS);
        if (evaluation.status === 'WARN') findings.push({ severity: 'warn', text: `consumer ${label} WARN: ${evaluation.rule}` });
        else if (evaluation.status !== 'OK') findings.push({ severity: 'fail', text: `consumer ${label} ${evaluation.status} (backlog ${evaluation.currentLag}: ${evaluation.rule})` });
        const maxAckPending = last.config.max_ack_pending ?? -1;
        if (maxAckPending > 0 && last.num_ack_pending >= maxAckPending) findings.push({ severity: 'fail', text: `consumer ${label} is blocked: ${last.num_ack_pending} unacknowledged messages reached max_ack_pending` });
        if (consumer.maxPending !== undefined && last.num_pending > consumer.maxPending) findings.push({ severity: 'warn', text: `consumer ${label} has ${last.num_pending} pending messages (above ${consumer.maxPending})` });
        return { consumer: label, status: evaluation.status, backlog: window.map((sample) => sample.lag), ackFloor: last.ack_floor.stream_seq, numPending: last.num_pending, numAckPending: last.num_ack_pending, numRedelivered: last.num_redelivered, attached: owned };
      });
      const total = consumers.reduce((sum, consumer) => sum + ('backlog' in consumer ? consumer.backlog!.at(-1)! : 0), 0);
      context.metric('queue.consumer_lag', total, 'count');
      const first = options.consumers[0]!;
      return verdict(findings, `${plural(options.consumers.length, 'consumer')} OK over ${samples} samples ${intervalMs} ms apart (backlog ${total})`, {
        window: { samples, intervalMs }, consumers, reproduce: natsCli(options, `consumer info ${first.stream} ${first.name}`),
      });
    },
  });
}
