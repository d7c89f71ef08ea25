import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withLock } from './lock.ts';
import { stateDir } from './paths.ts';
import { sleep } from './wait.ts';

let cache: string;
beforeAll(() => {
  cache = mkdtempSync(join(tmpdir(), 'probe-services-lock-'));
  process.env.PROBE_CACHE_DIR = cache;
});
afterAll(() => {
  delete process.env.PROBE_CACHE_DIR;
  rmSync(cache, { recursive: true, force: true });
});

describe('withLock', () => {
  it('runs holders one at a time', async () => {
    const events: string[] = [];
    const holder = (label: string) =>
      withLock('test', 2_000, async () => {
        events.push(`${label} in`);
        await sleep(50);
        events.push(`${label} out`);
      });
    await Promise.all([holder('a'), holder('b')]);
    expect(events).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('takes over a lock whose holder died', async () => {
    mkdirSync(stateDir(), { recursive: true });
    writeFileSync(join(stateDir(), 'stale.lock'), String(2 ** 22 + 11));
    expect(await withLock('stale', 1_000, async () => 'ran')).toBe('ran');
  });
});
