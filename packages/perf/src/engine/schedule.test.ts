import { describe, expect, it } from 'vitest';
import { Profile } from './schedule.ts';
import { formatMs, round, toMs } from './duration.ts';

describe('Profile', () => {
  it('spaces a constant rate evenly: request i at i/rate', () => {
    const profile = new Profile(100, [{ durationMs: 1_000, target: 100 }]);
    expect(profile.totalCount).toBe(100);
    expect([profile.timeOf(0), profile.timeOf(1), profile.timeOf(99)]).toEqual([0, 10, 990]);
    expect(profile.timeOf(100)).toBe(Infinity);
    expect([profile.dueAt(-1), profile.dueAt(0), profile.dueAt(9.99), profile.dueAt(10), profile.dueAt(5_000)]).toEqual([0, 1, 1, 2, 100]);
    expect(profile.isConstant()).toBe(true);
  });

  it('ramps linearly: arrivals add up to the area under the rate, and each is due at its time', () => {
    const profile = new Profile(0, [{ durationMs: 2_000, target: 200 }, { durationMs: 1_000, target: 200 }, { durationMs: 1_000, target: 0 }]);
    expect(profile.totalCount).toBe(200 + 200 + 100);
    expect(profile.peak()).toBe(200);
    expect(profile.levelAt(1_000)).toBe(100);
    expect(profile.isConstant()).toBe(false);
    let previous = -1;
    for (let i = 0; i < profile.totalCount; i++) {
      const t = profile.timeOf(i);
      expect(t).toBeGreaterThanOrEqual(previous);
      expect(profile.dueAt(t + 1e-6)).toBeGreaterThan(i);
      previous = t;
    }
    // Fewer arrivals in the first half of the ramp than in the second.
    expect(profile.dueAt(1_000)).toBeLessThan(profile.dueAt(2_000) - profile.dueAt(1_000));
  });

  it('jumps on zero-length stages and waits through zero-rate holds', () => {
    const profile = new Profile(50, [{ durationMs: 1_000, target: 50 }, { durationMs: 0, target: 0 }, { durationMs: 500, target: 0 }, { durationMs: 0, target: 100 }, { durationMs: 500, target: 100 }]);
    expect(profile.totalCount).toBe(100);
    expect(profile.timeOf(50)).toBe(1_500);
    expect(profile.levelAt(1_200)).toBe(0);
  });
});

describe('durations', () => {
  it('parses numbers and unit strings', () => {
    expect([toMs(250), toMs('250ms'), toMs('1.5s'), toMs('2m'), toMs('1h')]).toEqual([250, 250, 1_500, 120_000, 3_600_000]);
    expect([toMs('10 parsecs'), toMs(-1), toMs(Number.NaN)]).toEqual([undefined, undefined, undefined]);
    expect([formatMs(250), formatMs(1_500), formatMs(600_000)]).toEqual(['250 ms', '1.5 s', '10 min']);
    expect([round(0.123456), round(12.345), round(12_345.6), round(0)]).toEqual([0.123, 12.3, 12_346, 0]);
  });
});
