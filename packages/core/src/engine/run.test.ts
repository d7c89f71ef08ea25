import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { check, collect, probe, runChecked, sleep } from '../../test/helpers.ts';
import { isProbeError } from '../errors.ts';
import type { CheckEndEvent } from '../protocol/events.ts';
import { run } from './run.ts';

/** Connect to a port nothing listens on: a real ECONNREFUSED. */
function connectTo(port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, signal });
    socket.once('connect', () => { socket.destroy(); resolve(); });
    socket.once('error', reject);
  });
}

describe('run: outcomes and results', () => {
  it('turns outcomes, thrown errors and bad returns into results, with metrics and evidence', async () => {
    const summary = await runChecked([probe('t1', [
      check('demo.pass', async (ctx) => { ctx.metric('latency_ms', 3, 'ms'); ctx.evidence('rows', 2); return { status: 'pass', summary: 'ok' }; }),
      check('demo.fail', { status: 'fail', summary: 'defect\nsecond line', evidence: { query: 'select 1' } }),
      check('demo.warn', { status: 'warn', summary: 'meh' }),
      check('demo.throws', async () => { throw new Error('exploded'); }),
      check('demo.bad-return', async () => 'nonsense' as never),
    ])]);
    const byId = Object.fromEntries(summary.results.map((result) => [result.id, result]));
    expect(byId['demo.pass']).toMatchObject({ status: 'pass', metrics: [{ name: 'latency_ms', value: 3, unit: 'ms' }], evidence: { rows: 2 } });
    expect(byId['demo.fail']).toMatchObject({ status: 'fail', summary: 'defect second line', evidence: { query: 'select 1' } });
    expect(byId['demo.throws']).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_CHECK', message: 'exploded' } });
    expect(byId['demo.bad-return']?.error?.message).toMatch(/returned "nonsense"; expected \{ status, summary \}/);
    expect(summary.totals).toEqual({ pass: 1, fail: 1, warn: 1, skip: 0, error: 2 });
    expect(summary.exitCode).toBe(2);
  });

  it('exit codes: 0 pass/warn, 1 fail, 1 warn under strict, 2 error', async () => {
    expect((await runChecked([probe('a', [check('x.a', { status: 'warn', summary: 'w' })])])).exitCode).toBe(0);
    expect((await runChecked([probe('a', [check('x.a', { status: 'warn', summary: 'w' })])], { strict: true })).exitCode).toBe(1);
    expect((await runChecked([probe('a', [check('x.a', { status: 'fail', summary: 'f' })])])).exitCode).toBe(1);
    expect((await runChecked([probe('a', [check('x.a', { status: 'fail', summary: 'f' }), check('x.b', { status: 'error', summary: 'e' })])])).exitCode).toBe(2);
  });

  it('emits run-start, check-start/check-end per check and run-end with totals', async () => {
    const reporter = collect();
    await runChecked([probe('t', [check('x.a', { status: 'pass', summary: 'ok' }), check('x.b', { status: 'skip', summary: 's', reason: 'not configured' })])], { reporters: [reporter], runId: 'r1' });
    expect(reporter.events.map((event) => event.type)).toEqual(['run-start', 'check-start', 'check-end', 'check-start', 'check-end', 'run-end']);
    expect(reporter.events[0]).toMatchObject({ v: 1, runId: 'r1', planned: 2, readOnly: false });
    expect(reporter.events.at(-1)).toMatchObject({ totals: { pass: 1, skip: 1 }, exitCode: 0 });
    expect((reporter.events[4] as CheckEndEvent).result.reason).toBe('not configured');
  });

  it('rejects an invalid config with PROBE_ERR_CONFIG before running anything', async () => {
    let ran = false;
    const error = await runChecked([probe('t', [check('Bad Id', async () => { ran = true; return { status: 'pass', summary: '' }; })])]).catch((e: unknown) => e);
    expect(isProbeError(error) && error.code).toBe('PROBE_ERR_CONFIG');
    expect((error as Error).message).toContain('probes[0].checks[0].id: expected a dotted lower-case id');
    expect(ran).toBe(false);
  });
});

describe('run: deadlines', () => {
  it('ends a check that ignores its signal as PROBE_ERR_TIMEOUT within deadline + 100 ms', async () => {
    const summary = await runChecked([probe('t', [check('x.hang', () => sleep(2_000).then(() => ({ status: 'pass', summary: 'late' })), { timeoutMs: 150 })])]);
    const result = summary.results[0]!;
    expect(result).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_TIMEOUT' } });
    expect(result.durationMs).toBeGreaterThanOrEqual(145);
    expect(result.durationMs).toBeLessThan(250);
  });

  it('uses the run timeout when a check has none, and a check timeout when it has one', async () => {
    const summary = await runChecked([probe('t', [
      check('x.run-default', () => new Promise(() => {})),
      check('x.own', () => new Promise(() => {}), { timeoutMs: 30 }),
    ])], { timeoutMs: 80 });
    const [runDefault, own] = summary.results.map((result) => result.durationMs);
    expect(runDefault).toBeGreaterThanOrEqual(78);
    expect(runDefault).toBeLessThan(80 + 60);   // margin for a loaded machine; a wrong deadline is off by 50+
    expect(own).toBeGreaterThanOrEqual(28);
    expect(own).toBeLessThan(30 + 45);
  });
});

describe('run: unreachable targets', () => {
  it('ends the remaining checks of an unreachable target at once, naming the cause', async () => {
    const checks = Array.from({ length: 5 }, (_, index) =>
      check(`net.c${index}`, async (ctx) => { await connectTo(1, ctx.signal); return { status: 'pass', summary: 'connected' }; }, { timeoutMs: 1_000 }));
    const started = performance.now();
    const summary = await runChecked([probe('down', checks)]);
    const elapsed = performance.now() - started;
    expect(summary.results.every((result) => result.status === 'error' && result.error?.code === 'PROBE_ERR_UNREACHABLE')).toBe(true);
    expect(summary.results[0]!.error!.message).toContain('ECONNREFUSED');
    expect(summary.results[3]!.error!.message).toMatch(/target down is unreachable: .*ECONNREFUSED/);
    expect(elapsed).toBeLessThan(500);   // well under one 1 s deadline in total
  });

  it('errors every check when setup cannot reach the target, and still runs teardown', async () => {
    let tornDown = false;
    const summary = await runChecked([probe('down', [check('net.a', { status: 'pass', summary: '' }), check('net.b', { status: 'pass', summary: '' })], {
      setup: async (ctx) => { await connectTo(1, ctx.signal); },
      teardown: () => { tornDown = true; },
    })]);
    expect(summary.results.map((result) => result.error?.code)).toEqual(['PROBE_ERR_UNREACHABLE', 'PROBE_ERR_UNREACHABLE']);
    expect(tornDown).toBe(true);
  });

  it('reports a setup failure that is not about reachability as PROBE_ERR_SETUP', async () => {
    const summary = await runChecked([probe('t', [check('x.a', { status: 'pass', summary: '' })], { setup: () => { throw new Error('bad schema'); } })]);
    expect(summary.results[0]).toMatchObject({ status: 'error', error: { code: 'PROBE_ERR_SETUP', message: 'setup of t failed: bad schema' } });
  });

  it('does not let one target breaking affect another', async () => {
    const summary = await runChecked([
      probe('down', [check('net.a', async (ctx) => { await connectTo(1, ctx.signal); return { status: 'pass', summary: '' }; })]),
      probe('up', [check('net.a', { status: 'pass', summary: 'fine' })]),
    ]);
    expect(summary.results.find((result) => result.target.name === 'up')?.status).toBe('pass');
  });
});

describe('run: needs, read-only, parallel', () => {
  it('skips a check whose prerequisite did not pass, naming it', async () => {
    const summary = await runChecked([probe('t', [
      check('x.connect', { status: 'error', summary: 'no', error: { code: 'PROBE_ERR_AUTH', message: 'no' } }),
      check('x.query', { status: 'pass', summary: '' }, { needs: ['x.connect'] }),
      check('x.other', { status: 'pass', summary: '' }),
    ])]);
    expect(summary.results[1]).toMatchObject({ status: 'skip', reason: 'needs x.connect (error)' });
    expect(summary.results[2]!.status).toBe('pass');
  });

  it('runs a check whose prerequisite warned', async () => {
    const summary = await runChecked([probe('t', [check('x.a', { status: 'warn', summary: '' }), check('x.b', { status: 'pass', summary: '' }, { needs: ['x.a'] })])]);
    expect(summary.results[1]!.status).toBe('pass');
  });

  it('skips writing checks under readOnly and never calls them', async () => {
    let called = false;
    const summary = await runChecked([probe('t', [check('x.write', async () => { called = true; return { status: 'pass', summary: '' }; }, { writes: true })])], { readOnly: true });
    expect(summary.results[0]).toMatchObject({ status: 'skip', reason: expect.stringContaining('read-only') });
    expect(called).toBe(false);
  });

  it('runs parallel checks together and sequential ones in order', async () => {
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => { log.push(`${name}>`); await sleep(ms); log.push(`<${name}`); return { status: 'pass' as const, summary: '' }; };
    await runChecked([probe('t', [
      check('x.first', step('first', 5)),
      check('x.p1', step('p1', 40), { parallel: true }),
      check('x.p2', step('p2', 10), { parallel: true }),
      check('x.last', step('last', 1)),
    ])]);
    expect(log).toEqual(['first>', '<first', 'p1>', 'p2>', '<p2', '<p1', 'last>', '<last']);
  });

  it('bounds concurrency across probes', async () => {
    let active = 0;
    let peak = 0;
    const busy = async () => { active++; peak = Math.max(peak, active); await sleep(20); active--; return { status: 'pass' as const, summary: '' }; };
    await runChecked(Array.from({ length: 6 }, (_, index) => probe(`p${index}`, [check('x.a', busy)])), { concurrency: 2 });
    expect(peak).toBe(2);
  });
});

describe('run: teardown and abort', () => {
  it('runs teardown after a failing check, a timed-out check and an abort', async () => {
    const torn: string[] = [];
    const teardown = (name: string) => () => { torn.push(name); };
    await runChecked([probe('f', [check('x.a', { status: 'fail', summary: '' })], { teardown: teardown('f') })]);
    await runChecked([probe('t', [check('x.a', () => new Promise(() => {}), { timeoutMs: 20 })], { teardown: teardown('t') })]);
    const controller = new AbortController();
    setTimeout(() => controller.abort('SIGINT'), 30);
    const summary = await runChecked([probe('a', [check('x.a', () => new Promise(() => {})), check('x.b', { status: 'pass', summary: '' })], { teardown: teardown('a') })], { signal: controller.signal });
    expect(torn).toEqual(['f', 't', 'a']);
    expect(summary).toMatchObject({ interrupted: 'SIGINT', exitCode: 130 });
    expect(summary.results).toHaveLength(1);
    expect(summary.results[0]!.error!.code).toBe('PROBE_ERR_ABORTED');
  });

  it('hands teardown the setup resources, and bounds a hanging teardown', async () => {
    let got: unknown;
    const summary = await runChecked([probe('t', [check('x.a', { status: 'pass', summary: '' })], {
      setup: () => ({ pool: 'P' }),
      teardown: (_ctx, resources) => { got = resources; return new Promise(() => {}); },
    })], { teardownTimeoutMs: 50 });
    expect(got).toEqual({ pool: 'P' });
    expect(summary.teardownErrors[0]!.message).toContain('teardown of t did not finish within 50 ms');
  });

  it('reports SIGTERM as 143 and counts checks never started', async () => {
    const controller = new AbortController();
    const reporter = collect();
    setTimeout(() => controller.abort('SIGTERM'), 20);
    const summary = await runChecked([probe('t', [check('x.a', () => new Promise(() => {})), check('x.b', { status: 'pass', summary: '' }), check('x.c', { status: 'pass', summary: '' })])], { signal: controller.signal, reporters: [reporter] });
    expect(summary.exitCode).toBe(143);
    expect(reporter.events.at(-1)).toMatchObject({ type: 'run-end', interrupted: 'SIGTERM', notRun: 2, exitCode: 143 });
  });
});

describe('run: redaction and reporters', () => {
  it('redacts URL passwords, declared secrets and secret-named evidence from results', async () => {
    const summary = await runChecked([probe('db', [check('x.a', async () => ({
      status: 'fail',
      summary: 'login as postgres://app:CANARYpw1@host/db failed with TOKEN-CANARY-2',
      evidence: { headers: { authorization: 'Bearer abc.def.ghi' }, password: 'CANARYpw1', note: 'uses CANARYpw1' },
    }))], { target: { kind: 'postgres', name: 'db', url: 'postgres://app:CANARYpw1@host/db' }, secrets: ['TOKEN-CANARY-2'] })]);
    const json = JSON.stringify(summary.results);
    expect(json).not.toContain('CANARYpw1');
    expect(json).not.toContain('TOKEN-CANARY-2');
    expect(json).not.toContain('abc.def.ghi');
    expect(summary.results[0]!.target.url).toBe('postgres://app:***@host/db');
  });

  it('switches off a reporter that throws and carries on', async () => {
    const good = collect();
    const summary = await runChecked([probe('t', [check('x.a', { status: 'pass', summary: '' })])], {
      reporters: [{ onEvent: () => { throw new Error('disk full'); } }, good],
    });
    expect(summary.exitCode).toBe(0);
    expect(good.events).toHaveLength(4);
  });
});

describe('run: breaker keeps the package hint', () => {
  it('repeats the first unreachable error and its hint on the checks it ends', async () => {
    const { ProbeError } = await import('../errors.ts');
    const summary = await runChecked([probe('down', [
      check('net.a', async () => { throw new ProbeError('PROBE_ERR_UNREACHABLE', 'redis refused', { hint: 'start redis-server' }); }),
      check('net.b', { status: 'pass', summary: '' }),
    ])]);
    expect(summary.results[1]!.error!.message).toBe('target down is unreachable: redis refused — start redis-server');
  });
});
