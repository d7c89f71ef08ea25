import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'vitest';

/**
 * A fresh directory for one test, removed when the test finishes (pass or fail).
 * Takes the test's context: with concurrent tests, only it knows which test is which.
 */
export function tempDir(context: Pick<TestContext, 'onTestFinished'>, prefix = 'probe-runner-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  context.onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The marker files a fixture left (see fixtures/mark.ts), sorted. */
export function markers(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('ran-') || name.startsWith('teardown') || name === 'waiting').sort();
}
