import { join } from 'node:path';
import { findExecutable, run } from '../process.ts';

/** The java executable: `$JAVA_HOME/bin/java`, else `java` on PATH. */
export function javaExecutable(): string | undefined {
  if (process.env.JAVA_HOME) return join(process.env.JAVA_HOME, 'bin', 'java');
  return findExecutable('java');
}

/** The major version of `java` (8 for "1.8.0_…"), or undefined when it does not run. */
export async function javaMajor(java: string): Promise<number | undefined> {
  const { code, output } = await run(java, ['-version'], { timeoutMs: 20_000 });
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  if (code !== 0 || !match) return undefined;
  return match[1] === '1' ? Number(match[2]) : Number(match[1]);
}
