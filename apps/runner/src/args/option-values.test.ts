import { describe, expect, it } from 'vitest';
import { parseChoice, parseMilliseconds, parsePositiveInteger, parseShard } from './option-values.ts';

describe('option values', () => {
  it('--timeout takes a positive whole number of milliseconds', () => {
    expect(parseMilliseconds('--timeout', '2500')).toBe(2500);
    expect(parseMilliseconds('--timeout', undefined)).toBeUndefined();
    for (const raw of ['abc', '-1', '0', '1.5', '5s', '']) {
      expect(() => parseMilliseconds('--timeout', raw)).toThrow(`--timeout: expected a positive number of milliseconds, got "${raw}"`);
    }
  });

  it('--concurrency takes a positive whole number', () => {
    expect(parsePositiveInteger('--concurrency', '8')).toBe(8);
    expect(() => parsePositiveInteger('--concurrency', 'x')).toThrow('--concurrency: expected a positive whole number, got "x"');
    expect(() => parsePositiveInteger('--concurrency', '0')).toThrow('got "0"');
  });

  it('--shard takes I/N with 1 ≤ I ≤ N', () => {
    expect(parseShard('--shard', '2/4')).toEqual({ index: 2, total: 4 });
    expect(parseShard('--shard', '1/1')).toEqual({ index: 1, total: 1 });
    for (const raw of ['5/4', '0/2', '1/0', '2', 'a/b', '1/2/3']) {
      expect(() => parseShard('--shard', raw)).toThrow(`--shard: expected I/N with 1 ≤ I ≤ N, got "${raw}"`);
    }
  });

  it('--format takes one of its words', () => {
    expect(parseChoice('--format', undefined, ['text', 'md'], 'text')).toBe('text');
    expect(parseChoice('--format', 'md', ['text', 'md'])).toBe('md');
    expect(() => parseChoice('--format', 'xml', ['junit', 'md'])).toThrow('--format: expected one of junit, md, got "xml"');
  });
});
