import { describe, expect, it } from 'vitest';
import { ProbeError, isProbeError, isUnreachable, messageOf, systemCode, toErrorInfo } from './errors.ts';

describe('errors', () => {
  it('recognises probe errors by marker, also from another copy of core', () => {
    const foreign = { code: 'PROBE_ERR_TIMEOUT', message: 'x', [Symbol.for('probe.error')]: true };
    expect(isProbeError(new ProbeError('PROBE_ERR_CONFIG', 'bad'))).toBe(true);
    expect(isProbeError(foreign)).toBe(true);
    expect(isProbeError(new Error('plain'))).toBe(false);
    expect(isProbeError(null)).toBe(false);
  });

  it('finds system codes along cause chains and in AggregateErrors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('driver failed', { cause: refused });
    const aggregate = new AggregateError([refused], '');
    expect(systemCode(wrapped)).toBe('ECONNREFUSED');
    expect(isUnreachable(aggregate)).toBe(true);
    expect(messageOf(aggregate)).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(isUnreachable(new Error('syntax error'))).toBe(false);
  });

  it('maps thrown values to error infos with the hint appended', () => {
    expect(toErrorInfo(new ProbeError('PROBE_ERR_AUTH', 'password rejected', { hint: 'check PGPASSWORD' }))).toEqual({ code: 'PROBE_ERR_AUTH', message: 'password rejected — check PGPASSWORD' });
    expect(toErrorInfo(Object.assign(new Error('getaddrinfo ENOTFOUND nohost'), { code: 'ENOTFOUND' }))).toEqual({ code: 'PROBE_ERR_UNREACHABLE', message: 'getaddrinfo ENOTFOUND nohost' });
    expect(toErrorInfo('a string\nwith lines')).toEqual({ code: 'PROBE_ERR_CHECK', message: 'a string' });
  });
});
