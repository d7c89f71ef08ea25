import { describe, expect, it } from 'vitest';
import { canonicalJson, canonicalize, checksum, compareKeys, sampleKeys } from './canonical.ts';

describe('canonicalize', () => {
  it('makes equal data equal text whatever the driver returned', () => {
    const fromPg = { total: 30, id: 1, created: new Date('2025-01-02T03:04:05Z'), big: 12n, tags: new Set(['b', 'a']), raw: Buffer.from('hi') };
    const fromCache = { id: 1, total: 30, created: '2025-01-02T03:04:05.000Z', big: '12', tags: ['a', 'b'], raw: '6869', gone: undefined };
    expect(canonicalJson(fromPg)).toBe(canonicalJson(fromCache));
    expect(canonicalJson(fromPg)).toBe('{"big":"12","created":"2025-01-02T03:04:05.000Z","id":1,"raw":"6869","tags":["a","b"],"total":30}');
  });

  it('handles maps, odd numbers, functions, invalid dates and cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(canonicalize(new Map<unknown, unknown>([[2, 'b'], [1, 'a']]))).toEqual({ 1: 'a', 2: 'b' });
    expect(canonicalize([NaN, Infinity, undefined, () => 1])).toEqual(['NaN', 'Infinity', null, null]);
    expect(canonicalize(new Date('nope'))).toBe('Invalid Date');
    expect(canonicalize(cyclic)).toEqual({ a: 1, self: '[cycle]' });
    expect(canonicalJson(undefined)).toBe('undefined');
    expect(canonicalize(Symbol('s'))).toBeUndefined();
  });
});

describe('checksum', () => {
  it('depends on content and order, not on key order', () => {
    expect(checksum([{ a: 1, b: 2 }, { c: 3 }])).toBe(checksum([{ b: 2, a: 1 }, { c: 3 }]));
    expect(checksum([{ a: 1 }, { c: 3 }])).not.toBe(checksum([{ c: 3 }, { a: 1 }]));
    expect(checksum([])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('sampleKeys', () => {
  const keys = Array.from({ length: 1_000 }, (_, index) => String(index));

  it('returns every key, in key order, when there are no more than asked for', () => {
    expect(sampleKeys(['10', '2', '1', '2'], 5)).toEqual(['1', '2', '10']);
  });

  it('picks the same spread-out keys every time, and the same key in every store', () => {
    const sample = sampleKeys(keys, 50);
    expect(sample).toHaveLength(50);
    expect(sampleKeys([...keys].reverse(), 50)).toEqual(sample);
    expect(Number(sample.at(-1))).toBeGreaterThan(500);   // not just the lowest ids
    const fewer = sampleKeys(keys.filter((key) => key !== sample[0]), 50);
    expect(fewer.filter((key) => sample.includes(key))).toHaveLength(49);
  });

  it('orders numeric keys numerically and others by code unit', () => {
    expect(['b', '10', 'a', '9', '-1', '10'].sort(compareKeys)).toEqual(['-1', '9', '10', '10', 'a', 'b']);
  });
});
