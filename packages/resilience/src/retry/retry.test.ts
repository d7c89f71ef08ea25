import { ProbeError, ProbeErrorCode } from '@probe/core';
import { describe, expect, it } from 'vitest';
import { delayRange, describeBackoff, nextDelay, nominalDelay, parseRetryAfter } from './backoff.ts';
import { retry } from './retry.ts';
import { isTransient, isTransientStatus } from './transient.ts';

const codeError = (code: string) => Object.assign(new Error(code), { code });

describe('backoff policies', () => {
  it('nominal delays: constant, linear, exponential with factor, capped', () => {
    expect([1, 2, 3, 4].map((retry) => nominalDelay({ type: 'constant', delayMs: 100 }, retry))).toEqual([100, 100, 100, 100]);
    expect([1, 2, 3, 4].map((retry) => nominalDelay({ type: 'linear', delayMs: 100 }, retry))).toEqual([100, 200, 300, 400]);
    expect([1, 2, 3, 4].map((retry) => nominalDelay({ type: 'exponential', delayMs: 100, factor: 3, maxDelayMs: 1_000 }, retry))).toEqual([100, 300, 900, 1_000]);
  });

  it('jitter envelopes: none, full, equal, ± proportion, decorrelated; draws stay inside', () => {
    const policy = { type: 'exponential', delayMs: 100 } as const;
    expect(delayRange({ ...policy, jitter: 'none' }, 2)).toEqual([200, 200]);
    expect(delayRange({ ...policy, jitter: 'full' }, 2)).toEqual([0, 200]);
    expect(delayRange({ ...policy, jitter: 'equal' }, 2)).toEqual([100, 200]);
    expect(delayRange({ ...policy, jitter: 0.25 }, 2)).toEqual([150, 250]);
    expect(delayRange({ ...policy, jitter: 'decorrelated', maxDelayMs: 500 }, 3, 250)).toEqual([100, 500]);
    for (let draw = 0; draw < 50; draw++) {
      const delay = nextDelay({ ...policy, jitter: 'full' }, 3);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(400);
    }
    expect(describeBackoff({ ...policy, factor: 2, maxDelayMs: 2_000, jitter: 'full' })).toBe('exponential 100 ms × 2 up to 2000 ms, full jitter');
    expect(describeBackoff({ type: 'linear', delayMs: 50, jitter: 0.2 })).toBe('linear 50 ms × retry, ±20 % jitter');
  });

  it('Retry-After: seconds or an HTTP date, in ms', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('transient or permanent', () => {
  it('classifies statuses, network codes, SQLSTATEs, Redis replies, kafkajs retriable flags, and probe errors', () => {
    expect([408, 425, 429, 500, 502, 503, 504].every(isTransientStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422, 501].some(isTransientStatus)).toBe(false);
    expect(isTransient(codeError('ECONNRESET'))).toBe(true);
    expect(isTransient(new Error('fetch failed', { cause: codeError('ECONNREFUSED') }))).toBe(true);
    expect(isTransient(codeError('40001'))).toBe(true);
    expect(isTransient(codeError('23505'))).toBe(false);
    expect(isTransient(new Error('LOADING Redis is loading the dataset in memory'))).toBe(true);
    expect(isTransient(Object.assign(new Error('not leader'), { retriable: true }))).toBe(true);
    expect(isTransient(Object.assign(new Error('bad topic'), { retriable: false, code: 'ECONNRESET' }))).toBe(false);
    expect(isTransient({ status: 503 })).toBe(true);
    expect(isTransient({ statusCode: 404 })).toBe(false);
    expect(isTransient(new ProbeError(ProbeErrorCode.UNREACHABLE, 'x'))).toBe(true);
    expect(isTransient(new ProbeError(ProbeErrorCode.AUTH, 'x'))).toBe(false);
    expect(isTransient(Object.assign(new Error('aborted'), { name: 'AbortError' }))).toBe(false);
    expect(isTransient('ECONNRESET')).toBe(false);
  });
});

describe('retry()', () => {
  it('retries transient failures with the policy’s delays, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await retry(async (attempt) => {
      calls = attempt;
      if (attempt < 3) throw codeError('ECONNRESET');
      return 'ok';
    }, { attempts: 4, backoff: { type: 'linear', delayMs: 10 }, onRetry: ({ delayMs }) => delays.push(delayMs) });
    expect([value, calls, delays]).toEqual(['ok', 3, [10, 20]]);
  });

  it('does not retry permanent errors, and stops at the attempt limit with the last error', async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw Object.assign(new Error('bad request'), { status: 400 }); })).rejects.toThrow('bad request');
    expect(calls).toBe(1);
    calls = 0;
    await expect(retry(async (attempt) => { calls++; throw codeError(`ETIMEDOUT-${attempt}`.slice(0, 9)); }, { attempts: 3, backoff: { type: 'constant', delayMs: 1 } })).rejects.toThrow('ETIMEDOUT');
    expect(calls).toBe(3);
  });

  it('waits at least an error’s retryAfterMs, and gives up rather than overrun its budget', async () => {
    const started = performance.now();
    await retry(async (attempt) => { if (attempt === 1) throw Object.assign(new Error('busy'), { status: 429, retryAfterMs: 80 }); }, { backoff: { type: 'constant', delayMs: 1 } });
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    let calls = 0;
    await expect(retry(async () => { calls++; throw codeError('ECONNREFUSED'); }, { attempts: 10, backoff: { type: 'constant', delayMs: 200 }, budgetMs: 300 })).rejects.toThrow('ECONNREFUSED');
    expect(calls).toBe(2);
  });

  it('an abort stops the wait at once and throws its reason', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('stop')), 30);
    const started = performance.now();
    await expect(retry(async () => { throw codeError('ECONNRESET'); }, { attempts: 5, backoff: { type: 'constant', delayMs: 5_000 }, signal: controller.signal })).rejects.toThrow('stop');
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(retry(async () => 'never', { signal: controller.signal })).rejects.toThrow('stop');
  });
});
