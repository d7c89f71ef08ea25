import { describe, expect, it } from 'vitest';
import { eventually } from './eventually.ts';
import { failStep } from './step-failure.ts';

const signal = new AbortController().signal;

describe('eventually', () => {
  it('repeats step failures until the attempt holds, counting attempts', async () => {
    const value = await eventually(async (attempts) => (attempts < 3 ? failStep('not yet') : attempts), { withinMs: 1_000, intervalMs: 5 }, signal);
    expect(value).toBe(3);
  });

  it('gives up with the last failure once the window is spent', async () => {
    let tries = 0;
    await expect(eventually(async () => { tries++; return failStep('never'); }, { withinMs: 50, intervalMs: 20 }, signal)).rejects.toThrow('never');
    expect(tries).toBeGreaterThanOrEqual(2);
    expect(tries).toBeLessThanOrEqual(4);
  });

  it('tries once without a window, and never repeats other errors', async () => {
    let tries = 0;
    await expect(eventually(async () => { tries++; return failStep('once'); }, undefined, signal)).rejects.toThrow('once');
    await expect(eventually(async () => { tries++; throw new Error('broken'); }, { withinMs: 1_000 }, signal)).rejects.toThrow('broken');
    expect(tries).toBe(2);
  });
});
