import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance } from './did-you-mean.ts';

describe('didYouMean', () => {
  const options = ['config', 'only', 'skip', 'read-only', 'shard', 'timeout', 'concurrency', 'ndjson', 'junit', 'checklist', 'strict', 'quiet'];

  it.each([
    ['timeot', 'timeout'],
    ['tiemout', 'timeout'],
    ['readonly', 'read-only'],
    ['junti', 'junit'],
    ['conc', 'concurrency'],
    ['sahrd', 'shard'],
  ])('%s → %s', (input, expected) => {
    expect(didYouMean(input, options)).toBe(expected);
  });

  it('suggests nothing for a word far from every option', () => {
    expect(didYouMean('verbose', options)).toBeUndefined();
    expect(didYouMean('x', options)).toBeUndefined();
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });
});
