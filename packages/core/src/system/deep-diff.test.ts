import { describe, expect, it } from 'vitest';
import { deepDiff, describeChange } from './deep-diff.ts';

describe('deepDiff', () => {
  it('is empty for equal data, whatever the key order and types', () => {
    expect(deepDiff({ a: 1, b: [1, { c: new Date(0) }] }, { b: [1, { c: '1970-01-01T00:00:00.000Z' }], a: 1 })).toEqual([]);
  });

  it('names each added, removed and changed path', () => {
    const before = { tables: { orders: { count: 3, checksum: 'aa' }, users: { count: 1 } }, keys: ['a', 'b'] };
    const after = { tables: { orders: { count: 4, checksum: 'bb' }, audit: { count: 1 } }, keys: ['a', 'b', 'c'] };
    expect(deepDiff(before, after)).toEqual([
      { path: 'keys[2]', kind: 'added', after: 'c' },
      { path: 'tables.audit', kind: 'added', after: { count: 1 } },
      { path: 'tables.orders.checksum', kind: 'changed', before: 'aa', after: 'bb' },
      { path: 'tables.orders.count', kind: 'changed', before: 3, after: 4 },
      { path: 'tables.users', kind: 'removed', before: { count: 1 } },
    ]);
  });

  it('compares top-level values, arrays against objects, and stops at the limit', () => {
    expect(deepDiff(1, 2)).toEqual([{ path: '(value)', kind: 'changed', before: 1, after: 2 }]);
    expect(deepDiff({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', kind: 'changed', before: [1], after: { 0: 1 } }]);
    expect(deepDiff(['x', 'y'], ['x'])).toEqual([{ path: '[1]', kind: 'removed', before: 'y' }]);
    const many = deepDiff(Array.from({ length: 10 }, (_, i) => i), Array.from({ length: 10 }, (_, i) => -i - 1), 3);
    expect(many.map((change) => change.path)).toEqual(['[0]', '[1]', '[2]']);
    expect(deepDiff({ a: { b: 1, c: 1 }, d: 1 }, { a: { b: 2, c: 2 }, d: 2 }, 1)).toHaveLength(1);
  });

  it('describes a change in one line', () => {
    expect(describeChange({ path: 'orders.count', kind: 'changed', before: 3, after: 4 })).toBe('orders.count: 3 → 4');
    expect(describeChange({ path: 'keys[2]', kind: 'added', after: 'x'.repeat(80) })).toBe(`keys[2]: added "${'x'.repeat(56)}...`);
    expect(describeChange({ path: 'users', kind: 'removed', before: { count: 1 } })).toBe('users: removed {"count":1}');
  });
});
