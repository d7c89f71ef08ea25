import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../protocol/events.ts';
import { eventSchemaErrors } from './event-schema.test-helper.ts';
import { createNdjsonReporter, formatEvent } from './ndjson.ts';
import { recordRun } from './run-fixture.test-helper.ts';

const directory = mkdtempSync(join(tmpdir(), 'probe-ndjson-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const linesOf = (text: string) => text.split('\n').slice(0, -1);

describe('createNdjsonReporter', () => {
  it('writes one schema-valid event per line, creating parent directories', async () => {
    const path = join(directory, 'nested', 'deeper', 'run.ndjson');
    const { events } = await recordRun({ reporters: [createNdjsonReporter(path)] });
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const parsed = linesOf(text).map((line) => JSON.parse(line) as RunEvent);
    expect(parsed).toEqual(JSON.parse(JSON.stringify(events)));
    expect(parsed.map((event) => event.type)).toEqual(events.map((event) => event.type));
    expect(eventSchemaErrors(parsed)).toEqual([]);
    expect(text).not.toContain('s3cret-canary');
  });

  it('has every event on disk as soon as it is reported, before close', async () => {
    const path = join(directory, 'live.ndjson');
    const seenDuringRun: string[] = [];
    await recordRun({
      probes: [{
        target: { kind: 'test', name: 't1' },
        checks: [
          { id: 'demo.first', title: 'first', run: () => ({ status: 'pass', summary: 'ok' }) },
          { id: 'demo.second', title: 'second', run: () => { seenDuringRun.push(readFileSync(path, 'utf8')); return { status: 'pass', summary: 'ok' }; } },
        ],
      }],
      reporters: [createNdjsonReporter(path)],
    });
    const [snapshot] = seenDuringRun;
    expect(linesOf(snapshot!).map((line) => (JSON.parse(line) as RunEvent).type)).toEqual(['run-start', 'check-start', 'check-end', 'check-start']);
  });

  it('leaves a file valid to its last line when the process is killed mid-run', async () => {
    const path = join(directory, 'killed.ndjson');
    const runUrl = new URL('../engine/run.ts', import.meta.url).href;
    const ndjsonUrl = new URL('./ndjson.ts', import.meta.url).href;
    const script = `
      const { run } = await import(${JSON.stringify(runUrl)});
      const { createNdjsonReporter } = await import(${JSON.stringify(ndjsonUrl)});
      await run([{ target: { kind: 'test', name: 't1' }, checks: [
        { id: 'demo.a', title: 'a', run: () => ({ status: 'pass', summary: 'ok' }) },
        { id: 'demo.b', title: 'b', run: () => ({ status: 'fail', summary: 'bad', evidence: { x: 1 } }) },
        { id: 'demo.kill', title: 'kill', run: () => process.kill(process.pid, 'SIGKILL') },
      ] }], { reporters: [createNdjsonReporter(${JSON.stringify(path)})] });`;
    const child = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    await expect(child).rejects.toMatchObject({ signal: 'SIGKILL' });
    const text = readFileSync(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const events = linesOf(text).map((line) => JSON.parse(line) as RunEvent);
    expect(events.map((event) => event.type)).toEqual(['run-start', 'check-start', 'check-end', 'check-start', 'check-end', 'check-start']);
    expect(eventSchemaErrors(events)).toEqual([]);
  });

  it('closes its file once, and ignores events after close', async () => {
    const path = join(directory, 'closed.ndjson');
    const reporter = createNdjsonReporter(path);
    const { events } = await recordRun({ probes: [], reporters: [reporter] });
    await reporter.close?.();
    await reporter.onEvent(events[0]!);
    expect(linesOf(readFileSync(path, 'utf8'))).toHaveLength(2);
  });

  it('writes complete lines to a sink such as process.stdout', async () => {
    const written: string[] = [];
    const { events } = await recordRun({ reporters: [createNdjsonReporter({ write: (line) => { written.push(line); } })] });
    expect(written).toHaveLength(events.length);
    expect(written.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    expect(written.map((line) => JSON.parse(line) as RunEvent)).toEqual(JSON.parse(JSON.stringify(events)));
  });
});

describe('formatEvent', () => {
  it('survives values JSON cannot hold', () => {
    const evidence: Record<string, unknown> = { big: 10n ** 20n };
    evidence.self = evidence;
    const line = formatEvent({
      v: 1, type: 'check-end', runId: 'r1', time: '2025-01-01T00:00:00.000Z',
      result: {
        id: 'demo.a', title: 'a', target: { kind: 'test', name: 't1' }, status: 'pass', summary: 'line\u2028sep',
        startedAt: '2025-01-01T00:00:00.000Z', durationMs: 1, checklist: [], evidence, metrics: [],
      },
    });
    expect(line).not.toContain('\n');
    expect(JSON.parse(line).result.evidence).toEqual({ big: '100000000000000000000', self: '[circular]' });
  });
});
