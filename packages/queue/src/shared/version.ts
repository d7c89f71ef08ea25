/** True when dotted `version` (`3.10.8`, `v2.10.4-beta`) is at least `minimum` (`3.13`). */
export function atLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => (text.match(/\d+(\.\d+)*/)?.[0] ?? '0').split('.').map(Number);
  const have = parts(version);
  const want = parts(minimum);
  for (let index = 0; index < Math.max(have.length, want.length); index++) {
    const difference = (have[index] ?? 0) - (want[index] ?? 0);
    if (difference !== 0) return difference > 0;
  }
  return true;
}
