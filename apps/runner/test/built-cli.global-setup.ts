import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const runner = fileURLToPath(new URL('..', import.meta.url));
const core = join(runner, '../../packages/core');
/** Workspace packages the fixtures import (the shard simulation's config), loaded from their `dist` like core. */
const fixturePackages = ['db', 'cache'].map((name) => join(runner, '../../packages', name));

/**
 * The real-process tests run the built `dist/cli.js` (and, through the fixtures'
 * `@probe/core` import, core's `dist`; the shard simulation's also @probe/db's and
 * @probe/cache's). turbo builds them before `test`; when a test run starts without
 * it, rebuild the runner (about a second) and refuse to test against a stale package.
 */
export default function setup(): void {
  if (isStale(join(runner, 'dist/cli.js'), join(runner, 'src'))) {
    const build = spawnSync(process.execPath, [join(runner, 'node_modules/tsup/dist/cli-default.js')], { cwd: runner, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building the runner failed:\n${build.stdout}${build.stderr}`);
  }
  for (const dir of [core, ...fixturePackages]) {
    if (isStale(join(dir, 'dist/index.js'), join(dir, 'src'))) {
      throw new Error(`packages/${basename(dir)}/dist is missing or older than its sources: run \`pnpm build\` (turbo builds ^build before test)`);
    }
  }
}

function isStale(output: string, sources: string): boolean {
  if (!existsSync(output)) return true;
  const built = statSync(output).mtimeMs;
  return newest(sources) > built;
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (!entry.name.endsWith('.test.ts') && !entry.name.includes('.test-helper.')) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}
