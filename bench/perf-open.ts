/**
 * bench/perf-open — @probe/perf's open model (constant arrival rate, latency from each request's intended send
 * time) against a loopback nginx (one worker, CPU 0), the generator pinned to one core (CPU 1): can it hold 10 000
 * and 20 000 requests/s (and 40 000: where is the ceiling?) with corrected latency? A warm-up is excluded from the figures. Prints the rate sent and
 * answered, corrected latency next to service time (from the actual send) and the generator's own send lag,
 * late starts, and the generator's CPU, for each round.
 * Run: pnpm build && pnpm bench perf-open      Env: PERF_BENCH_ROUNDS (2), PERF_BENCH_OPEN_SECONDS (10).
 * Needs: apt-get install -y nginx time (checked; the bench says so and skips when they are missing).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, loadAverage, machine, missingTools, root, startNginx, timed, waitForQuiet } from './perf/harness.ts';

const ROUNDS = Number(process.env.PERF_BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.PERF_BENCH_OPEN_SECONDS ?? 10);
const RATES = [10_000, 20_000, 40_000];

const missing = missingTools(['nginx', 'taskset', '/usr/bin/time']);
if (missing) {
  console.log(missing);
} else if (!existsSync(join(root, 'packages/perf/dist/index.js'))) {
  console.log('skipped: build first (pnpm build)');
} else {
  await main();
}

async function main(): Promise<void> {
  console.log(`load average at start: ${loadAverage()}`);
  const { machine: host, node, nginx: nginxVersion } = machine();
  console.log(`  machine: ${host}\n  node: ${node}\n  nginx: ${nginxVersion}`);
  console.log(`  ${ROUNDS} rounds x ${SECONDS} s per rate (+ 2 s warm-up), 100 connections, 1 ms scheduler tick\n`);
  const nginx = await startNginx(18_081);
  const rows: string[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const rate of round % 2 === 0 ? RATES : [...RATES].reverse()) {
        const options = { url: nginx.url, rate, connections: 100, duration: `${SECONDS}s`, warmup: '2s', timeout: '5s' };
        await waitForQuiet();
        const run = await timed(process.execPath, [join(root, 'bench/perf/client.ts'), JSON.stringify(options)], nginx, SECONDS + 30);
        const result = JSON.parse(run.stdout);
        const { latency: l, serviceTime: s, sendLag: lag } = result;
        const sentPerS = (result.sent * 1_000) / result.durationMs;
        const maxPerSecond = Math.max(...result.series.map((sample: { max_ms: number }) => sample.max_ms));
        rows.push(`| ${fmt(rate)} | ${round + 1} | ${fmt(sentPerS)} | ${fmt(result.rps)} | ${result.notSent} | ${l.p50} / ${l.p99} / ${l.p999} / ${l.max} | ${s.p50} / ${s.p99} | ${lag.p50} / ${lag.p99} / ${lag.max} | ${fmt(lag.late)} | ${maxPerSecond} | ${fmt(result.generator.cpuPercent)} % | ${fmt(run.foreignCores, 2)} |`);
        process.stdout.write('.');
      }
    }
  } finally {
    await nginx.stop();
  }
  console.log('\n');
  console.log('| rate | round | sent/s | answered/s | not sent | corrected p50 / p99 / p99.9 / max ms | service p50 / p99 ms | send lag p50 / p99 / max ms | late (> 10 ms) | worst second\'s max ms | generator CPU (measured phase) | foreign CPU (cores) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  console.log(`\nload average at end: ${loadAverage()}`);
}
