/**
 * bench/perf-http — @probe/perf's closed-model HTTP engine against wrk (Debian) and autocannon (npm), on the
 * same loopback nginx (one worker, CPU 0; every generator on CPU 1), at 10 and 50 connections, with and without
 * pipelining (10 deep), in interleaved rounds with the order rotated. Prints requests/s, p50, p99, the generator's
 * CPU per request, the ratios to wrk and autocannon (of the medians, and in brackets the median of each round's
 * ratio, which drifts less), and the CPU that other processes used meanwhile ("foreign": on a busy machine every
 * figure is lower, and the ratios are what to compare). Each run waits (at most 10 s) for a quiet second first.
 * Run: pnpm build && pnpm bench perf-http      Env: PERF_BENCH_ROUNDS (3), PERF_BENCH_SECONDS (5), PERF_BENCH_TOOLS.
 * Needs: apt-get install -y wrk nginx time (checked; the bench says so and skips when they are missing).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, loadAverage, machine, median, missingTools, root, startNginx, timed, waitForQuiet, type Nginx } from './perf/harness.ts';

const ROUNDS = Number(process.env.PERF_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.PERF_BENCH_SECONDS ?? 5);
const CONFIGS = [{ connections: 10, pipelining: 1 }, { connections: 50, pipelining: 1 }, { connections: 10, pipelining: 10 }, { connections: 50, pipelining: 10 }];
const TOOLS = (process.env.PERF_BENCH_TOOLS ?? 'wrk,autocannon,probe-fast,probe-undici').split(',');
const autocannon = join(root, 'packages/perf/node_modules/autocannon/autocannon.js');

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuUsPerRequest: number;
  foreign: number;
}

const missing = missingTools(['wrk', 'nginx', 'taskset', '/usr/bin/time']);
if (missing) {
  console.log(missing);
} else if (!existsSync(join(root, 'packages/perf/dist/index.js')) || !existsSync(autocannon)) {
  console.log('skipped: build first (pnpm build) and install dependencies (pnpm install: autocannon is a devDependency of packages/perf)');
} else {
  await main();
}

async function main(): Promise<void> {
  console.log(`load average at start: ${loadAverage()}`);
  for (const [name, value] of Object.entries(machine())) console.log(`  ${name}: ${value}`);
  console.log(`  ${ROUNDS} rounds x ${SECONDS} s per run, order rotated each round\n`);
  const nginx = await startNginx();
  const scratch = mkdtempSync(join(tmpdir(), 'probe-perf-bench-'));
  const pipelineLua = join(scratch, 'pipeline.lua');
  // wrk's own pipeline.lua: `depth` requests per write.
  writeFileSync(pipelineLua, 'init = function(args)\n  local r = {}\n  for i = 1, tonumber(args[1]) do r[i] = wrk.format() end\n  req = table.concat(r)\nend\nrequest = function() return req end\n');
  const samples = new Map<string, Sample[]>();
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const config of CONFIGS) {
        const order = TOOLS.map((_, i) => TOOLS[(i + round) % TOOLS.length]!);
        for (const tool of order) {
          await waitForQuiet();
          const sample = await runTool(tool, config, nginx, pipelineLua);
          const key = `${config.connections}/${config.pipelining}/${tool}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
          process.stdout.write('.');
        }
      }
    }
  } finally {
    await nginx.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log('\n');
  report(samples);
  console.log(`\nload average at end: ${loadAverage()}`);
}

async function runTool(tool: string, config: { connections: number; pipelining: number }, nginx: Nginx, pipelineLua: string): Promise<Sample> {
  const { connections, pipelining } = config;
  const limit = SECONDS + 20;
  if (tool === 'wrk') {
    const script = pipelining > 1 ? ['-s', pipelineLua] : [];
    const run = await timed('wrk', ['-t1', `-c${connections}`, `-d${SECONDS}s`, '--latency', ...script, nginx.url, ...(pipelining > 1 ? ['--', String(pipelining)] : [])], nginx, limit);
    const total = Number(/(\d+) requests in/.exec(run.stdout)?.[1]);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(run.stdout)?.[1]);
    // wrk times each write, not each request, when pipelining: its percentiles mean nothing then.
    const latency = (p: string) => (pipelining > 1 ? Number.NaN : wrkMs(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(run.stdout)));
    return { rps, p50: latency('50'), p99: latency('99'), cpuUsPerRequest: ((run.userS + run.sysS) * 1e6) / total, foreign: run.foreignCores };
  }
  if (tool === 'autocannon') {
    const run = await timed(process.execPath, [autocannon, '-c', String(connections), '-p', String(pipelining), '-d', String(SECONDS), '-j', nginx.url], nginx, limit);
    const result = JSON.parse(run.stdout);
    const total = result.requests.total as number;
    return { rps: total / result.duration, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest: ((run.userS + run.sysS) * 1e6) / total, foreign: run.foreignCores };
  }
  const engine = tool === 'probe-undici' ? 'undici' : 'fast';
  const options = { url: nginx.url, connections, pipelining, duration: `${SECONDS}s`, warmup: 0, engine };
  const run = await timed(process.execPath, [join(root, 'bench/perf/client.ts'), JSON.stringify(options)], nginx, limit);
  const result = JSON.parse(run.stdout);
  const total = result.completed + result.failed + result.warmupRequests + 1;   // + the preflight request
  return { rps: result.rps, p50: result.latency.p50, p99: result.latency.p99, cpuUsPerRequest: ((run.userS + run.sysS) * 1e6) / total, foreign: run.foreignCores };
}

function wrkMs(match: RegExpExecArray | null): number {
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1_000 : match[2] === 's' ? value * 1_000 : value;
}

function report(samples: Map<string, Sample[]>): void {
  const names: Record<string, string> = { wrk: 'wrk', autocannon: 'autocannon', 'probe-fast': '@probe/perf (raw sockets)', 'probe-undici': '@probe/perf (undici)' };
  console.log('| conns | pipelining | generator | req/s (median) | min–max | ÷ wrk | ÷ autocannon | p50 ms | p99 ms | CPU µs/req | foreign CPU (cores) |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const { connections, pipelining } of CONFIGS) {
    const of = (tool: string) => samples.get(`${connections}/${pipelining}/${tool}`) ?? [];
    const ratio = (tool: string, reference: string) => {
      const mine = of(tool);
      const theirs = of(reference);
      if (mine.length === 0 || theirs.length === 0) return '-';
      const medians = median(mine.map((s) => s.rps)) / median(theirs.map((s) => s.rps));
      const perRound = median(mine.map((s, i) => s.rps / (theirs[i]?.rps ?? Number.NaN)));
      return `${fmt(medians, 2)} (${fmt(perRound, 2)})`;
    };
    for (const tool of TOOLS) {
      const rows = of(tool);
      if (rows.length === 0) continue;
      const rps = rows.map((s) => s.rps);
      console.log(`| ${connections} | ${pipelining} | ${names[tool] ?? tool} | ${fmt(median(rps))} | ${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))} | ${ratio(tool, 'wrk')} | ${ratio(tool, 'autocannon')} | ${fmt(median(rows.map((s) => s.p50)), 3)} | ${fmt(median(rows.map((s) => s.p99)), 3)} | ${fmt(median(rows.map((s) => s.cpuUsPerRequest)), 1)} | ${fmt(median(rows.map((s) => s.foreign)), 2)} |`);
    }
  }
  console.log('\nautocannon reports latency in whole milliseconds; wrk has no valid percentiles when pipelining (it times writes).');
}
