import { describe, expect, it } from 'vitest';
import { summaryLine } from './summary-line.ts';
import { terminalMode } from './terminal-mode.ts';

describe('terminalMode', () => {
  const tty = { write: () => true, isTTY: true };
  const pipe = { write: () => true };

  it.each([
    [tty, {}, { live: true, color: true }],
    [tty, { CI: 'true' }, { live: false, color: false }],
    [tty, { CI: 'false' }, { live: true, color: true }],
    [tty, { NO_COLOR: '1' }, { live: true, color: false }],
    [pipe, {}, { live: false, color: false }],
    [pipe, { FORCE_COLOR: '1' }, { live: false, color: true }],
    [pipe, { FORCE_COLOR: '0' }, { live: false, color: false }],
    [pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, { live: false, color: false }],
  ])('%o with %o → %o', (stream, env, mode) => {
    expect(terminalMode(stream, env)).toEqual(mode);
  });
});

describe('summaryLine', () => {
  const totals = { pass: 3, fail: 1, warn: 0, skip: 2, error: 0 };

  it('counts what happened, in ms or s', () => {
    expect(summaryLine(totals, 1, 12.34)).toBe('probe: 3 passed, 1 failed, 2 skipped in 12.3 ms; exit 1\n');
    expect(summaryLine(totals, 130, 2_500, 'SIGINT')).toBe('probe: 3 passed, 1 failed, 2 skipped in 2.50 s; interrupted by SIGINT; exit 130\n');
    expect(summaryLine({ pass: 0, fail: 0, warn: 0, skip: 0, error: 0 }, 0, 1)).toBe('probe: no checks in 1 ms; exit 0\n');
  });
});
