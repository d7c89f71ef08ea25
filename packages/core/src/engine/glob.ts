/**
 * Check-id globs for `--only`/`--skip`: `*` matches any run of characters (dots
 * included), `?` one character; a comma separates alternatives. A pattern with a
 * `/` matches `target-name/check-id`.
 */
export function compileGlobs(patterns: readonly string[]): (id: string, targetName: string) => boolean {
  const parts = patterns.flatMap((pattern) => pattern.split(',')).map((part) => part.trim()).filter(Boolean);
  const matchers = parts.map((part) => {
    const source = part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    const regex = new RegExp(`^${source}$`);
    return part.includes('/')
      ? (id: string, target: string) => regex.test(`${target}/${id}`)
      : (id: string) => regex.test(id);
  });
  return (id, targetName) => matchers.some((matches) => matches(id, targetName));
}
