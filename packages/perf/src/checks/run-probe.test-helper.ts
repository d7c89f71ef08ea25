/** Run one probe through the real engine, every event schema-checked, and index its results by check id. */
import { run, type Probe, type Result } from '@probe/core';
import { collectEvents } from '@probe/testkit';

export async function runProbe(probe: Probe, only?: string[]): Promise<Record<string, Result>> {
  const events = collectEvents();
  const summary = await run([probe], { reporters: [events], ...(only ? { only } : {}) });
  return Object.fromEntries(summary.results.map((result) => [result.id, result]));
}
