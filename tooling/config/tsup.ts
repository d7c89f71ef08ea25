import { defineConfig, type Options } from 'tsup';

/**
 * The build policy of every published probe package: ESM + d.ts, Node 22+,
 * one bundle per entry. A package's own tsup.config.ts names its entries only.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    sourcemap: true,
    splitting: true,
    treeshake: true,
    ...extra,
  });
}
