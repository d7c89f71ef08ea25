import { run, type Result, type RunOptions } from '@probe/core';
import { collectEvents } from '@probe/testkit';
import { redis, type RedisProbeOptions } from '../../src/index.ts';

/** The shared Redis from the services global setup (absent outside CI when Redis is not running). */
export const sharedUrl = process.env.PROBE_REDIS_URL;

/** Run some of the probe's checks (ids) against a target; every event is schema-validated. */
export async function runChecks(options: RedisProbeOptions, only: string[], runOptions: RunOptions = {}): Promise<Result[]> {
  const summary = await run([redis(options)], { ...runOptions, only, reporters: [collectEvents()] });
  if (summary.teardownErrors.length > 0) throw new Error(`teardown failed: ${summary.teardownErrors[0]!.message}`);
  return summary.results;
}

/** Run one check and return its result. */
export async function runCheck(options: RedisProbeOptions, id: string, runOptions: RunOptions = {}): Promise<Result> {
  const results = await runChecks(options, [id], runOptions);
  const result = results.find((candidate) => candidate.id === id);
  if (!result) throw new Error(`${id} did not run`);
  return result;
}
