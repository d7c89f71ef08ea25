import { describe, expect, it } from 'vitest';
import { isProbeError, ProbeErrorCode } from '../errors.ts';
import type { CheckEndEvent, RunEndEvent, RunEvent, RunStartEvent } from '../protocol/events.ts';
import { eventSchemaErrors } from './event-schema.test-helper.ts';
import { mergeRuns } from './merge.ts';
import { recordRun } from './run-fixture.test-helper.ts';

const endOf = (events: RunEvent[]) => events.at(-1) as RunEndEvent;
const resultsOf = (events: RunEvent[]) => events.filter((event): event is CheckEndEvent => event.type === 'check-end').map((event) => event.result);
const stable = (events: RunEvent[]) => resultsOf(events)
  .map(({ startedAt: _startedAt, durationMs: _durationMs, ...rest }) => rest)
  .sort((a, b) => `${a.target.name}/${a.id}`.localeCompare(`${b.target.name}/${b.id}`));

describe('mergeRuns', () => {
  it('merges disjoint shards into the run the unsharded run would have been', async () => {
    const whole = await recordRun();
    const one = await recordRun({ shard: { index: 1, total: 2 } });
    const two = await recordRun({ shard: { index: 2, total: 2 } });
    expect(resultsOf(one.events).length).toBeGreaterThan(0);
    expect(resultsOf(two.events).length).toBeGreaterThan(0);

    const merged = mergeRuns([two.events, one.events], { runId: 'merged1' });
    expect(eventSchemaErrors(merged)).toEqual([]);
    const start = merged[0] as RunStartEvent;
    expect(start).toMatchObject({ type: 'run-start', runId: 'merged1', planned: 8, readOnly: true });
    expect(start.shard).toBeUndefined();
    expect(merged.every((event) => event.runId === 'merged1')).toBe(true);
    expect(stable(merged)).toEqual(stable(whole.events));
    const end = endOf(merged);
    expect(end.totals).toEqual(whole.summary.totals);
    expect(end.exitCode).toBe(whole.summary.exitCode);
    expect(end.durationMs).toBe(Math.max(endOf(one.events).durationMs, endOf(two.events).durationMs));
    expect(end.interrupted).toBeUndefined();
  });

  it('orders checks by target name then id, each start before its end', async () => {
    const merged = mergeRuns([(await recordRun({ shard: { index: 2, total: 2 } })).events, (await recordRun({ shard: { index: 1, total: 2 } })).events]);
    const keys = merged.filter((event) => event.type === 'check-end').map((event) => `${event.result.target.name}/${event.result.id}`);
    expect(keys).toEqual([...keys].sort());
    expect(keys[0]).toBe('cache/cache.eviction.policy');
    const types = merged.map((event) => event.type);
    expect(types[0]).toBe('run-start');
    expect(types.at(-1)).toBe('run-end');
    expect(types.slice(1, -1).join(',')).toMatch(/^(check-start,check-end,?)+$/);
  });

  it('recomputes the exit code: warnings count under strict', async () => {
    const probes = (status: 'pass' | 'warn', name: string) => [{ target: { kind: 'test', name }, checks: [{ id: 'demo.a', title: 'a', run: () => ({ status, summary: status }) }] }];
    const a = (await recordRun({ probes: probes('pass', 't1') })).events;
    const b = (await recordRun({ probes: probes('warn', 't2') })).events;
    expect(endOf(mergeRuns([a, b])).exitCode).toBe(0);
    expect(endOf(mergeRuns([a, b], { strict: true }))).toMatchObject({ exitCode: 1, strict: true });
    const strictShard = (await recordRun({ probes: probes('pass', 't3'), strict: true })).events;
    expect(endOf(mergeRuns([a, b, strictShard])).exitCode).toBe(1);
  });

  it('is interrupted when a shard was, summing the checks not run', async () => {
    const controller = new AbortController();
    const interrupted = await recordRun({
      signal: controller.signal,
      probes: [{ target: { kind: 'test', name: 't2' }, checks: [
        { id: 'demo.stop', title: 'stop', run: () => { controller.abort('SIGINT'); return { status: 'pass', summary: 'ok' }; } },
        { id: 'demo.never', title: 'never', run: () => ({ status: 'pass', summary: 'ok' }) },
      ] }],
    });
    const other = await recordRun({ probes: [{ target: { kind: 'test', name: 't1' }, checks: [{ id: 'demo.a', title: 'a', run: () => ({ status: 'pass', summary: 'ok' }) }] }] });
    const end = endOf(mergeRuns([other.events, interrupted.events]));
    expect(end).toMatchObject({ interrupted: 'SIGINT', notRun: 1, exitCode: 130, totals: { pass: 1, error: 1 } });
  });

  it('treats a shard without run-end as incomplete', async () => {
    const crashed = (await recordRun({ shard: { index: 1, total: 2 } })).events.slice(0, -1);
    const other = (await recordRun({ shard: { index: 2, total: 2 } })).events;
    const end = endOf(mergeRuns([crashed, other]));
    expect(end.interrupted).toBe('incomplete');
    expect(end.exitCode).toBe(2);
  });

  it('rejects inputs that share a check, naming them', async () => {
    const { events } = await recordRun();
    const error = (() => { try { return mergeRuns([events, events]); } catch (caught) { return caught; } })();
    expect(isProbeError(error)).toBe(true);
    expect(error).toMatchObject({ code: ProbeErrorCode.CONFIG });
    expect((error as Error).message).toMatch(/^cannot merge: orders-db\/db\.connection\.connectivity \(inputs 1, 2\), .* and 3 more appear in more than one input; shards must be disjoint$/);
  });

  it('rejects nothing to merge and an empty input', () => {
    expect(() => mergeRuns([])).toThrow('nothing to merge');
    expect(() => mergeRuns([[]])).toThrow('input 1 of the merge has no events');
  });
});
