import { describe, expect, it } from 'vitest';
import { formatDuration, oneLine, plural, printable, truncate } from './text.ts';

describe('text helpers', () => {
  it.each([
    [0.04, '0 ms'], [0.35, '0.4 ms'], [9.94, '9.9 ms'], [12.4, '12 ms'], [999.4, '999 ms'], [1_420, '1.42 s'],
    [59_990, '59.99 s'], [125_000, '2 min 05 s'], [-1, '? ms'], [Number.NaN, '? ms'],
  ])('formatDuration(%s) = %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('escapes terminal control characters but keeps text', () => {
    expect(printable('a\u001b[2Jb\u0007c\u009bd\tе\n')).toBe('a\\x1b[2Jb\\x07c\\x9bd\tе\n');
    expect(oneLine('first\r\nsecond\tthird\u0000')).toBe('first second third\\x00');
  });

  it('truncates with an ellipsis and counts', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('abc', 0)).toBe('');
    expect(plural(1, 'check')).toBe('1 check');
    expect(plural(2, 'check')).toBe('2 checks');
  });
});
