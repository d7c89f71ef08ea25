import { defineConfig } from 'vitest/config';

/** Per-package coverage floor: statements/lines/functions/branches in percent. */
export interface CoverageFloor {
  lines: number;
  functions: number;
  branches: number;
  statements: number;
}

/**
 * The test policy of every package: source imports through the `@probe/source`
 * condition (no build needed), V8 coverage with an honest floor, 5 s per test,
 * and, with `services: true`, the service URLs from tooling/services through its
 * global setup (PROBE_PG_URL, PROBE_REDIS_URL, PROBE_KAFKA_BROKERS, PROBE_AMQP_URL,
 * PROBE_NATS_URL; a missing service fails under CI and is skipped, said once, outside it).
 * Under CI a failed test gets one more try: these tests time real servers on a
 * shared 2-core machine, and a test that only passed on its retry is named as
 * flaky in the closing summary (tooling/scripts/test-summary.ts), never hidden.
 */
export function packageTests(options: { coverage: CoverageFloor; services?: boolean; testTimeout?: number }) {
  return defineConfig({
    resolve: { conditions: ['@probe/source'] },
    ssr: { resolve: { conditions: ['@probe/source'] } },
    test: {
      testTimeout: options.testTimeout ?? 5_000,
      retry: process.env.CI === 'true' ? 1 : 0,
      hookTimeout: 30_000,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      globalSetup: options.services ? [new URL('../services/src/vitest-global-setup.ts', import.meta.url).pathname] : [],
      reporters: ['default', 'json'],
      outputFile: { json: 'test-results/vitest.json' },
      coverage: {
        enabled: true,
        provider: 'v8',
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts', 'src/**/*.d.ts'],
        reporter: ['text-summary', 'json-summary'],
        thresholds: { ...options.coverage },
      },
    },
  });
}
