import { describe, expect, it } from 'vitest';
import { newRunId } from '@probe/core';
import { dottedName, parseOwnedName, runStartedAt, staleNames, underscoredName } from './names.ts';
import { atLeast } from './version.ts';

describe('probe-owned names', () => {
  const now = Date.UTC(2026, 10, 22, 12);
  const runOf = (ms: number) => `${ms.toString(36)}a1b2c3`;

  it('dotted and underscored forms carry the run id', () => {
    expect(dottedName('r1', 'ops')).toBe('probe.r1.ops');
    expect(underscoredName('r1', 'ops')).toBe('probe_r1_ops');
  });

  it('reads the start time back from a newRunId() id', () => {
    const before = Date.now();
    const runId = newRunId();
    expect(runStartedAt(runId)).toBeGreaterThanOrEqual(before - 1);
    expect(parseOwnedName(`probe.${runId}.ops`)).toMatchObject({ runId, name: `probe.${runId}.ops` });
    expect(runStartedAt('payments')).toBeUndefined();
  });

  it('stale: other runs older than the bound; never this run, a fresh run, or a user topic that happens to start with probe.', () => {
    const old = runOf(now - 2 * 3_600_000);
    const fresh = runOf(now - 60_000);
    const names = [`probe.${old}.ops`, `probe_${old}_ops`, `probe.${fresh}.ops`, `probe.current123456.ops`, 'probe.payments.v1', 'orders'];
    expect(staleNames(names, 'current123456', 3_600_000, now).map((owned) => owned.name)).toEqual([`probe.${old}.ops`, `probe_${old}_ops`]);
  });
});

describe('atLeast', () => {
  it('compares dotted versions numerically, ignoring prefixes and suffixes', () => {
    expect(atLeast('3.10.8', '3.9')).toBe(true);
    expect(atLeast('3.10.8', '3.13')).toBe(false);
    expect(atLeast('v2.10.4-beta', '2.10')).toBe(true);
    expect(atLeast('2.9.10', '2.10')).toBe(false);
    expect(atLeast('4', '4.0.0')).toBe(true);
  });
});
