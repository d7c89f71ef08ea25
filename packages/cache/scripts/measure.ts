/**
 * Whole-probe wall time against a real Redis with an application keyspace:
 * `node --conditions=@probe/source scripts/measure.ts [redis-url] [keys]`.
 * Seeds an empty db (14) with `keys` application keys (default 10 000:
 * JSON strings with a TTL, 5 % without, and hashes), runs the full probe with
 * its default options five times, prints the median per check and in total,
 * then removes the keys.
 */
import { run } from '@probe/core';
import { redis } from '../src/index.ts';
import { createRedisNamespace } from '../src/testing/index.ts';

const url = process.argv[2] ?? process.env.PROBE_REDIS_URL ?? 'redis://127.0.0.1:6379';
const count = Number(process.argv[3] ?? 10_000);
const app = await createRedisNamespace({ url, db: 14 });
const source = new Map<string, string>();
try {
  for (let batch = 0; batch < count; batch += 1_000) {
    const pipeline = app.client.pipeline();
    for (let index = batch; index < Math.min(count, batch + 1_000); index++) {
      const value = JSON.stringify({ id: index, name: `user ${index}`, plan: index % 3 ? 'free' : 'pro' });
      source.set(`app:user:${index}`, value);
      if (index % 20 === 0) pipeline.set(`app:user:${index}`, value);
      else pipeline.set(`app:user:${index}`, value, 'EX', 3_600);
      if (index % 10 === 0) pipeline.hset(`app:cart:${index}`, { items: String(index % 7), total: String(index) }).expire(`app:cart:${index}`, 3_600);
    }
    await pipeline.exec();
  }
  const durations = new Map<string, number[]>();
  const totals: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    const summary = await run([redis({
      url: app.url,
      keyPrefix: 'app:',
      invalidation: {
        key: 'app:user:1',
        prime: () => app.client.set('app:user:1', source.get('app:user:1')!, 'EX', 3_600),
        action: () => app.client.del('app:user:1'),
      },
      sourceOfTruth: [{ pattern: 'app:user:*', load: (key) => source.get(key) }],
    })], { reporters: [] });
    totals.push(performance.now() - started);
    for (const result of summary.results) durations.set(`${result.id} (${result.status})`, [...(durations.get(`${result.id} (${result.status})`) ?? []), result.durationMs]);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(`Redis ${url}, ${count} application keys + ${Math.ceil(count / 10)} hashes, 5 runs, median:`);
  for (const [id, values] of durations) console.log(`  ${id.padEnd(44)} ${median(values).toFixed(1).padStart(8)} ms`);
  console.log(`  ${'whole probe (setup, 13 checks, teardown)'.padEnd(44)} ${median(totals).toFixed(1).padStart(8)} ms`);
} finally {
  await app.cleanup();
}
