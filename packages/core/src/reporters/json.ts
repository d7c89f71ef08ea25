/**
 * `JSON.stringify` that never throws: a `bigint` becomes its decimal string and
 * a repeated reference `"[circular]"`. Evidence is meant to be plain JSON, but a
 * reporter must not lose a run over one odd value.
 */
export function toJson(value: unknown, space?: number): string {
  try {
    return JSON.stringify(value, null, space) ?? 'null';
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner === 'bigint') return inner.toString();
      if (typeof inner === 'object' && inner !== null) {
        if (seen.has(inner)) return '[circular]';
        seen.add(inner);
      }
      return inner;
    }, space) ?? 'null';
  }
}
