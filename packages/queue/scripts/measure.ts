/**
 * Measures what the README reports: the whole probe's wall time against a
 * realistic setup, and the throughput figures. Needs the services up
 * (`pnpm services:up`). Run: node --conditions=@probe/source scripts/measure.ts [runs]
 *
 * Kafka setup: a 6-partition `orders` topic with 2 000 messages, a consumer
 * group of 2 live members, an enricher handler (orders → orders.out), a
 * consumer that dead-letters poison messages to orders.DLT; the probe with
 * default sizes and window (2 000 × 1 KiB, 5 samples 1 s apart).
 */
import { run, type Probe, type Result } from '@probe/core';
import { serviceUrl } from '@probe/services';
import { ignoreKafkajsTimeoutWarning } from '@probe/services';
import { kafka, nats, rabbitmq } from '../src/index.ts';
import { createTestTopic } from '../src/testing/index.ts';
import { startApp } from '../test/support/kafka.ts';

ignoreKafkajsTimeoutWarning();
const runs = Number(process.argv[2] ?? 3);
const brokers = serviceUrl('kafka') ?? '127.0.0.1:9092';

const orders = await createTestTopic(brokers, { prefix: 'bench', partitions: 6 });
await orders.send(Array.from({ length: 2_000 }, (_, index) => ({ key: `customer-${index % 97}`, value: JSON.stringify({ order: index }) })));
const output = await orders.related('.out');
const dlt = await orders.related('.DLT');
const producer = orders.kafka.producer();
await producer.connect();
const group = orders.ownGroup('billing');
const apps = [
  ...(await Promise.all([1, 2].map(() => startApp(orders.kafka, { groupId: group, topics: [orders.name], handle: async () => {} })))),
  await startApp(orders.kafka, {
    groupId: orders.ownGroup('enricher'), topics: [orders.name], fromBeginning: false,
    handle: async ({ message }) => {
      const value = message.value!.toString();
      if (value.includes('poison')) await producer.send({ topic: dlt, messages: [{ value: message.value, headers: { ...message.headers, 'x-exception': 'cannot parse' } }] });
      else await producer.send({ topic: output, messages: [{ value: value.toUpperCase(), headers: message.headers }] });
    },
  }),
];
await Promise.all(apps.map((app) => app.joined));

const probes: Record<string, () => Probe> = {
  kafka: () => kafka({
    brokers,
    topics: [{ name: orders.name, partitions: 6, keyed: true }, { name: output }],
    groups: [group],
    handlers: [{ name: 'enricher', input: orders.name, output, message: { value: { order: 'probe' } } }],
    dlq: [{ input: orders.name, poison: { value: 'poison' } }],
    discoverDlqTopics: false,
  }),
  rabbitmq: () => rabbitmq({ url: serviceUrl('amqp') ?? 'amqp://guest:guest@127.0.0.1:5672' }),
  nats: () => nats({ servers: serviceUrl('nats') ?? '127.0.0.1:4222' }),
};

try {
  for (const [name, make] of Object.entries(probes)) {
    const walls: number[] = [];
    let last: Result[] = [];
    for (let index = 0; index < runs; index++) {
      const started = performance.now();
      last = (await run([make()], { reporters: [] })).results;
      walls.push(Math.round(performance.now() - started));
    }
    console.log(`\n${name}: wall ${walls.join(', ')} ms (median ${walls.sort((a, b) => a - b)[Math.floor(walls.length / 2)]} ms)`);
    for (const result of last) {
      const metrics = result.metrics.map((metric) => `${metric.name}=${metric.value}${metric.unit === 'count' ? '' : ` ${metric.unit}`}`).join(' ');
      console.log(`  ${result.status.padEnd(5)} ${result.id.padEnd(28)} ${String(Math.round(result.durationMs)).padStart(5)} ms  ${metrics}`);
    }
  }
} finally {
  for (const app of apps) await app.stop();
  await producer.disconnect();
  await orders.delete();
}
