import { describe, expect, it } from 'vitest';
import { evaluatePartition, groupStatus, type LagSample } from './burrow.ts';

/** A window from committed offsets and high watermarks, one sample per second. */
function window(offsets: number[], highs: number[]): LagSample[] {
  return offsets.map((offset, index) => ({ at: 1_000 * index, offset, high: highs[index]!, lag: Math.max(0, highs[index]! - offset) }));
}

describe("evaluatePartition: Burrow's rules in Burrow's order", () => {
  it('no lag now is OK', () => {
    expect(evaluatePartition(window([0, 0, 0], [5, 5, 0]), true)).toEqual({ status: 'OK', rule: 'no lag', currentLag: 0 });
  });

  it('rule 1: any zero-lag sample in the window is OK, even if lag is back', () => {
    expect(evaluatePartition(window([10, 20, 20], [10, 25, 40]), true).status).toBe('OK');
  });

  it('rule 2: an offset that goes back is REWIND, before every other rule', () => {
    expect(evaluatePartition(window([50, 60, 20, 30], [100, 100, 100, 100]), false)).toEqual({
      status: 'REWIND', rule: 'committed offset went back from 60 to 20', currentLag: 70,
    });
  });

  it('rule 3 (adapted): unowned and not moving is STOP', () => {
    expect(evaluatePartition(window([10, 10, 10], [30, 30, 30]), false)).toMatchObject({ status: 'STOP', currentLag: 20 });
  });

  it('rule 4: owned but not moving is STALL', () => {
    expect(evaluatePartition(window([10, 10, 10], [30, 40, 50]), true)).toMatchObject({ status: 'STALL', currentLag: 40 });
  });

  it('rule 5: moving, but lag never decreases, is WARN', () => {
    expect(evaluatePartition(window([10, 15, 20, 25], [30, 40, 50, 60]), true)).toEqual({
      status: 'WARN', rule: 'lag never decreased (20 → 35) although the committed offset moved', currentLag: 35,
    });
  });

  it('moving with lag that decreases at least once is OK; so is an unowned partition that moved', () => {
    expect(evaluatePartition(window([10, 30, 35], [40, 50, 70]), true).status).toBe('OK');
    expect(evaluatePartition(window([10, 30, 35], [40, 50, 70]), false).status).toBe('OK');
  });

  it('an empty window is OK (nothing to judge)', () => {
    expect(evaluatePartition([], true).status).toBe('OK');
  });
});

describe('groupStatus', () => {
  it('is the worst partition status, STALL/STOP/REWIND capped at ERR', () => {
    expect(groupStatus([])).toBe('OK');
    expect(groupStatus(['OK', 'OK'])).toBe('OK');
    expect(groupStatus(['OK', 'WARN'])).toBe('WARN');
    expect(groupStatus(['WARN', 'STALL', 'OK'])).toBe('ERR');
    expect(groupStatus(['REWIND'])).toBe('ERR');
  });
});
