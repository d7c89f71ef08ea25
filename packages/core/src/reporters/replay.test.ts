import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Reporter, RunEndEvent } from '../protocol/events.ts';
import { createConsoleReporter } from './console.ts';
import { eventSchemaErrors } from './event-schema.test-helper.ts';
import { createJunitReporter } from './junit.ts';
import { createNdjsonReporter } from './ndjson.ts';
import { readNdjsonFile } from './read-ndjson.ts';
import { replay, synthesiseRunEnd } from './replay.ts';
import { createRecorder, recordRun } from './run-fixture.test-helper.ts';

const directory = mkdtempSync(join(tmpdir(), 'probe-replay-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const textStream = () => {
  const stream = { text: '', write: (chunk: string) => { stream.text += chunk; } };
  return stream;
};

describe('replay', () => {
  it('rebuilds the same JUnit and console report from the NDJSON file as the live run wrote', async () => {
    const liveConsole = textStream();
    await recordRun({
      reporters: [
        createNdjsonReporter(join(directory, 'run.ndjson')),
        createJunitReporter(join(directory, 'live.xml')),
        createConsoleReporter({ stream: liveConsole, live: false }),
      ],
    });
    const { events, problems } = await readNdjsonFile(join(directory, 'run.ndjson'));
    expect(problems).toEqual([]);
    const replayedConsole = textStream();
    await replay(events, [createJunitReporter(join(directory, 'replayed.xml')), createConsoleReporter({ stream: replayedConsole, live: false })]);
    expect(readFileSync(join(directory, 'replayed.xml'), 'utf8')).toBe(readFileSync(join(directory, 'live.xml'), 'utf8'));
    expect(replayedConsole.text).toBe(liveConsole.text);
  });

  it('completes a crashed run with a run-end recomputed from its results', async () => {
    const { events } = await recordRun();
    const lastEnd = events.findLastIndex((event) => event.type === 'check-end');
    const crashed = events.slice(0, lastEnd);  // run-end and the last check-end never written
    const recorder = createRecorder();
    await replay(crashed, [recorder]);
    expect(recorder.closed).toBe(true);
    expect(recorder.events.slice(0, -1)).toEqual(crashed);
    const end = recorder.events.at(-1) as RunEndEvent;
    expect(end).toMatchObject({
      type: 'run-end', runId: events[0]!.runId, interrupted: 'incomplete', exitCode: 2, notRun: 1,
      totals: { pass: 2, fail: 2, warn: 1, skip: 1, error: 1 },
    });
    expect(end.durationMs).toBeGreaterThanOrEqual(0);
    expect(eventSchemaErrors(recorder.events)).toEqual([]);
  });

  it('synthesises a passing run-end for a crashed run whose results all passed', () => {
    const end = synthesiseRunEnd([
      { v: 1, type: 'run-start', runId: 'r1', time: '2025-01-01T00:00:00.000Z', version: '0.1.0', planned: 3, readOnly: false },
      { v: 1, type: 'check-end', runId: 'r1', time: '2025-01-01T00:00:01.000Z', result: {
        id: 'demo.a', title: 'a', target: { kind: 'test', name: 't1' }, status: 'pass', summary: 'ok',
        startedAt: '2025-01-01T00:00:00.500Z', durationMs: 1_000, checklist: [], evidence: {}, metrics: [],
      } },
    ]);
    expect(end).toEqual({
      v: 1, type: 'run-end', runId: 'r1', time: '2025-01-01T00:00:01.500Z', totals: { pass: 1, fail: 0, warn: 0, skip: 0, error: 0 },
      exitCode: 2, durationMs: 1_500, interrupted: 'incomplete', notRun: 2,
    });
  });

  it('closes every reporter even when one throws, then rethrows', async () => {
    const { events } = await recordRun({ probes: [] });
    const broken: Reporter = { onEvent: () => { throw new Error('disk full'); } };
    const recorder = createRecorder();
    await expect(replay(events, [broken, recorder])).rejects.toThrow('disk full');
    expect(recorder.closed).toBe(true);
  });
});
