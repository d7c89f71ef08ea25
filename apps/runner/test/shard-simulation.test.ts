import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES } from './cli-process.ts';
import { seedShardFixture, type ShardFixture } from './fixtures/shard-simulation/seed.ts';
import { simulateShards } from './shard-simulation.ts';
import { tempDir } from './temp-dir.ts';

/**
 * The local proof behind "scaling out": a config run as N shards in N processes
 * and merged gives the same results, totals and exit code as one run.
 *
 * By default the config is test/fixtures/shard-simulation/probe.config.ts (@probe/db,
 * @probe/cache and the system checks against the real PostgreSQL and Redis, on a
 * database and key prefix this test creates). Another config — the demo's — is
 * given with PROBE_SHARD_CONFIG (a path, relative to test/fixtures or absolute) and
 * run as it is, with this process's environment (its services must be up);
 * PROBE_SHARD_COUNT sets N (default 4).
 */
const customConfig = process.env.PROBE_SHARD_CONFIG;
// A custom config runs from its own directory, as `probe run` would be started next to it.
const configPath = customConfig ? resolve(FIXTURES, customConfig) : join(FIXTURES, 'shard-simulation/probe.config.ts');
const config = customConfig ? basename(configPath) : 'shard-simulation/probe.config.ts';
const cwd = customConfig ? dirname(configPath) : FIXTURES;
const count = Number(process.env.PROBE_SHARD_COUNT ?? 4);
const servicesMissing = !process.env.PROBE_PG_URL || !process.env.PROBE_REDIS_URL;

describe.skipIf(!customConfig && servicesMissing)(`${customConfig ?? config} as ${count} shards`, () => {
  let fixture: ShardFixture | undefined;
  beforeAll(async () => {
    if (!customConfig) fixture = await seedShardFixture(process.env.PROBE_PG_URL!, process.env.PROBE_REDIS_URL!);
  });
  afterAll(async () => {
    await fixture?.drop();
  });

  // The fixture takes about 2.5 s; a custom config (the demo's, with its load tests) gets longer.
  it(`in ${count} processes, merged, equals one run: the same (target, id, status) set, totals and exit code; perf histograms carried unchanged`, { timeout: customConfig ? 120_000 : 5_000 }, async (context) => {
    const dir = tempDir(context, 'probe-shard-sim-');
    const env = fixture ? { PROBE_PG_URL: fixture.pgUrl, PROBE_REDIS_URL: fixture.redisUrl, PROBE_SIM_PREFIX: fixture.prefix } : {};
    const { single, shards, merged } = await simulateShards({ config, shards: count, dir, env, cwd });

    for (const run of [single, ...shards, merged]) {
      expect(run.stderr, run.file).toBe('');
      expect(run.code, run.file).toBe(run.exitCode);   // every process exits with its run's verdict
    }
    // The split: no two shards overlap, and together they are the whole run.
    const union = shards.flatMap((shard) => shard.checks).sort();
    expect(new Set(union).size).toBe(union.length);
    expect(union).toEqual(single.checks);
    // The merge: the same verdicts, totals and exit code as the single run.
    expect(merged.checks).toEqual(single.checks);
    expect(merged.totals).toEqual(single.totals);
    expect(merged.exitCode).toBe(single.exitCode);
    expect(existsSync(join(dir, 'merged.html')) && existsSync(join(dir, 'merged.xml'))).toBe(true);
    // Perf evidence travels through the merge untouched: each load check ran whole in one shard,
    // and the merged report carries that shard's lossless histogram and percentiles.
    const shardPerf = new Map(shards.flatMap((shard) => [...shard.perf]));
    expect(merged.perf).toEqual(shardPerf);
    expect([...merged.perf.keys()].sort()).toEqual([...single.perf.keys()].sort());

    if (fixture) {
      for (const shard of shards) expect(shard.checks.length, shard.file).toBeGreaterThan(0);   // every process had work
      // The fixture's mix: all five statuses but error, and a real defect, so the exit code is 1.
      expect(single.exitCode).toBe(1);
      expect(single.totals).toMatchObject({ fail: 2, error: 0 });
      expect(single.totals.pass! + single.totals.warn! + single.totals.skip!).toBeGreaterThan(20);
      expect(single.checks.filter((check) => check.startsWith('shop '))).toEqual([
        'shop data.pipeline.orders-to-warehouse pass', 'shop data.sync.drift pass', 'shop system.dependencies.availability pass',
        'shop system.dependencies.versions pass', 'shop system.isolation pass',
      ]);
    }
  });
});
