/** `1 key`, `3 keys`; `plural(2, 'dependency', 'dependencies')`. */
export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
