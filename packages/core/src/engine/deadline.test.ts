import { describe, expect, it } from 'vitest';
import { isProbeError } from '../errors.ts';
import { withDeadline } from './deadline.ts';

describe('withDeadline', () => {
  it('resolves with the task value before the deadline', async () => {
    await expect(withDeadline(async () => 42, { timeoutMs: 100, label: 'task' })).resolves.toBe(42);
  });

  it('rejects with PROBE_ERR_TIMEOUT at the deadline even when the task ignores its signal', async () => {
    const started = performance.now();
    const error = await withDeadline(() => new Promise(() => {}), { timeoutMs: 50, label: 'check x' }).catch((e: unknown) => e);
    const elapsed = performance.now() - started;
    expect(isProbeError(error) && error.code).toBe('PROBE_ERR_TIMEOUT');
    expect((error as Error).message).toBe('check x did not finish within 50 ms');
    expect(elapsed).toBeGreaterThanOrEqual(45);
    expect(elapsed).toBeLessThan(150);
  });

  it('aborts the task signal at the deadline so cooperative tasks can stop', async () => {
    let seen: AbortSignal | undefined;
    await withDeadline((signal) => { seen = signal; return new Promise(() => {}); }, { timeoutMs: 20, label: 't' }).catch(() => {});
    expect(seen?.aborted).toBe(true);
  });

  it('rejects at once with PROBE_ERR_ABORTED when the parent aborts', async () => {
    const parent = new AbortController();
    const pending = withDeadline(() => new Promise(() => {}), { timeoutMs: 10_000, parent: parent.signal, label: 't' });
    setTimeout(() => parent.abort('SIGINT'), 10);
    const error = await pending.catch((e: unknown) => e);
    expect(isProbeError(error) && error.code).toBe('PROBE_ERR_ABORTED');
  });

  it('does not start a task when the parent is already aborted', async () => {
    const parent = new AbortController();
    parent.abort();
    let started = false;
    await withDeadline(async () => { started = true; }, { timeoutMs: 100, parent: parent.signal, label: 't' }).catch(() => {});
    expect(started).toBe(false);
  });

  it('passes a synchronous throw through as the rejection', async () => {
    await expect(withDeadline(() => { throw new Error('boom'); }, { timeoutMs: 100, label: 't' })).rejects.toThrow('boom');
  });
});
