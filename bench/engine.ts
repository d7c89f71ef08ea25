/**
 * bench/engine — overhead of the run engine per check, and CLI cold start.
 * Run: pnpm bench   (builds first: pnpm build)
 *
 * Engine: 10 000 trivial checks through run() versus calling the same check
 * functions in a plain loop (the floor), in one probe and spread over 100 probes,
 * with no reporter and with the NDJSON reporter writing to /dev/null.
 * CLI: `probe --help` and `probe run` of a one-check config, versus `node -e 0`
 * (the floor of any Node CLI), medians of repeated spawns.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const core = await import(join(root, 'packages/core/dist/index.js'));
const CHECKS = 10_000;

const trivial = async () => ({ status: 'pass' as const, summary: 'ok' });
function probes(count: number) {
  const perProbe = CHECKS / count;
  return Array.from({ length: count }, (_, p) => ({
    target: { kind: 'bench', name: `t${p}` },
    checks: Array.from({ length: perProbe }, (_, c) => ({ id: `bench.check.c${c}`, title: 'trivial', run: trivial })),
  }));
}

async function timeIt(fn: () => Promise<unknown>, rounds = 5): Promise<number> {
  const samples: number[] = [];
  await fn();   // warm-up
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const floor = await timeIt(async () => { for (let i = 0; i < CHECKS; i++) await trivial(); });
const rows: [string, number][] = [
  ['plain loop (floor)', floor],
  ['run(): 1 probe x 10 000 checks', await timeIt(() => core.run(probes(1)))],
  ['run(): 100 probes x 100 checks', await timeIt(() => core.run(probes(100)))],
  ['run() + NDJSON reporter', await timeIt(() => core.run(probes(100), { reporters: [core.createNdjsonReporter('/dev/null')] }))],
];
console.log(`engine overhead per check (${CHECKS} trivial checks, median of 5; Node ${process.versions.node})`);
for (const [name, ms] of rows) {
  const perCheck = (ms - floor) / CHECKS;
  console.log(`  ${name.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms total   ${name.includes('floor') ? '' : `${perCheck.toFixed(4)} ms/check overhead`}`);
}

const cli = join(root, 'apps/runner/dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'probe-bench-'));
const config = join(dir, 'probe.config.mjs');
writeFileSync(config, `export default { probes: [{ target: { kind: 'bench', name: 'one' }, checks: [{ id: 'bench.one', title: 'one', run: async () => ({ status: 'pass', summary: 'ok' }) }] }] };\n`);
function spawnMedian(args: string[], runs = 15): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const out = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    samples.push(performance.now() - t0);
    if (out.status !== 0) throw new Error(`${args.join(' ')} exited ${out.status}: ${out.stderr}`);
  }
  return median(samples);
}
const nodeFloor = spawnMedian(['-e', '0']);
const help = spawnMedian([cli, '--help']);
const runOne = spawnMedian([cli, 'run', '--config', config]);
rmSync(dir, { recursive: true, force: true });
console.log('\nCLI cold start (median of 15 spawns)');
console.log(`  node -e 0 (floor)                ${nodeFloor.toFixed(1).padStart(8)} ms`);
console.log(`  probe --help                     ${help.toFixed(1).padStart(8)} ms   ${(help / nodeFloor).toFixed(2)}x the floor`);
console.log(`  probe run (one trivial check)    ${runOne.toFixed(1).padStart(8)} ms   ${(runOne / nodeFloor).toFixed(2)}x the floor`);
