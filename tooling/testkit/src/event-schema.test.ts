import { describe, expect, it } from 'vitest';
import { assertValidEvent, eventProblems } from './event-schema.ts';

const result = {
  id: 'db.connection.connectivity', title: 'Connect', target: { kind: 'postgres', name: 'db' }, status: 'pass', summary: 'ok',
  startedAt: '2026-11-22T03:00:00.000Z', durationMs: 1.5, checklist: ['integration.database.connection.test-connectivity'], evidence: {}, metrics: [],
};
const base = { v: 1, runId: 'r1', time: '2026-11-22T03:00:00.000Z' };

describe('events schema', () => {
  it('accepts well-formed events of every type', () => {
    expect(eventProblems({ ...base, type: 'run-start', version: '0.1.0', planned: 1, readOnly: false })).toEqual([]);
    expect(eventProblems({ ...base, type: 'check-start', id: 'db.x', target: { kind: 'postgres', name: 'db' } })).toEqual([]);
    expect(eventProblems({ ...base, type: 'check-end', result })).toEqual([]);
    expect(eventProblems({ ...base, type: 'run-end', totals: { pass: 1, fail: 0, warn: 0, skip: 0, error: 0 }, exitCode: 0, durationMs: 3 })).toEqual([]);
  });

  it.each([
    ['a wrong version', { ...base, v: 2, type: 'check-end', result }],
    ['an unknown status', { ...base, type: 'check-end', result: { ...result, status: 'ok' } }],
    ['an error result without error', { ...base, type: 'check-end', result: { ...result, status: 'error' } }],
    ['a skip without reason', { ...base, type: 'check-end', result: { ...result, status: 'skip' } }],
    ['a multi-line summary', { ...base, type: 'check-end', result: { ...result, summary: 'a\nb' } }],
    ['an undotted id', { ...base, type: 'check-end', result: { ...result, id: 'connectivity' } }],
    ['a bad time', { ...base, time: 'yesterday', type: 'check-start', id: 'db.x', target: { kind: 'p', name: 'd' } }],
    ['totals missing a status', { ...base, type: 'run-end', totals: { pass: 1 }, exitCode: 0, durationMs: 1 }],
  ])('rejects %s', (_name, event) => {
    expect(eventProblems(event).length).toBeGreaterThan(0);
    expect(() => assertValidEvent(event)).toThrow(/does not match events.schema.json/);
  });
});
