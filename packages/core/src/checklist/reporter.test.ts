import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../protocol/events.ts';
import type { Result } from '../protocol/types.ts';
import { createChecklistReporter } from './reporter.ts';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'probe-checklist-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const base = { v: 1, runId: 'r1', time: '2025-01-01T00:00:00.000Z' } as const;
const target = { kind: 'postgres', name: 'orders-db', url: 'postgres://app:***@db/app' };

function ended(id: string, status: Result['status'], checklist: string[]): RunEvent {
  const result: Result = {
    id, title: id, target, status, summary: status, startedAt: base.time, durationMs: 1, checklist, evidence: {}, metrics: [],
  };
  return { ...base, type: 'check-end', result };
}

describe('createChecklistReporter', () => {
  it('writes the marked checklist at close, creating parent directories', async () => {
    const path = join(directory, 'nested', 'report', 'checklist.md');
    const reporter = createChecklistReporter(path);
    const events: RunEvent[] = [
      { ...base, type: 'run-start', version: '0.1.0', planned: 2, readOnly: false },
      { ...base, type: 'check-start', id: 'db.connection.connectivity', target },
      ended('db.connection.connectivity', 'pass', ['integration.database.connection.test-connectivity']),
      ended('db.connection.pooling', 'fail', ['integration.database.connection.check-pooling']),
      { ...base, type: 'run-end', totals: { pass: 1, fail: 1, warn: 0, skip: 0, error: 0 }, exitCode: 1, durationMs: 5 },
    ];
    for (const event of events) await reporter.onEvent(event);
    expect(existsSync(path)).toBe(false);
    await reporter.close?.();
    const markdown = await readFile(path, 'utf8');
    expect(markdown).toMatch(/^# Checklist coverage\n/);
    expect(markdown).toContain('| **All** | 169 | 2 | 1 | 1 | 0 | 0 | 167 |');
    expect(markdown).toContain('  - [x] Test connectivity — pass: db.connection.connectivity (orders-db)\n');
    expect(markdown).toContain('  - [ ] Check pooling — FAIL: db.connection.pooling (orders-db)\n');
  });
});
