import type { Check, Config, Probe } from './protocol/types.ts';

/** Identity helper that types a check. */
export function defineCheck<R = unknown>(check: Check<R>): Check<R> {
  return check;
}

/** Identity helper that types a probe. */
export function defineProbe<R = unknown>(probe: Probe<R>): Probe<R> {
  return probe;
}

/** Identity helper that types a `probe.config.ts`. */
export function defineConfig(config: Config): Config {
  return config;
}
