import { describe, expect, it } from 'vitest';
import { containerRuntimeMissing } from './containers.ts';

describe('container runtime detection', () => {
  it('answers quickly: a reason without an engine, undefined with one', async () => {
    const started = performance.now();
    const why = await containerRuntimeMissing();
    expect(performance.now() - started).toBeLessThan(3_000); // includes importing testcontainers
    if (why !== undefined) expect(why).toMatch(/^no Docker engine for testcontainers \(.+\)$/);
    const again = performance.now();
    expect(await containerRuntimeMissing()).toBe(why); // cached
    expect(performance.now() - again).toBeLessThan(50);
  });
});
