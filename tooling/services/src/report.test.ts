import { describe, expect, it } from 'vitest';
import { formatEnvLines, isCI, parseEnvLines, printMissingOnce } from './report.ts';
import type { MissingService } from './types.ts';

describe('KEY=value lines', () => {
  it('round-trip, quoting only what the shell needs', () => {
    const env = { PROBE_PG_URL: 'postgres://postgres@127.0.0.1:5432/test', PROBE_X: "a b&c'd" };
    const text = formatEnvLines(env);
    expect(text).toBe(`PROBE_PG_URL=postgres://postgres@127.0.0.1:5432/test\nPROBE_X='a b&c'\\''d'`);
    expect(parseEnvLines(text)).toEqual(env);
    expect(parseEnvLines(formatEnvLines(env, { exportPrefix: true }))).toEqual(env);
  });
});

describe('printMissingOnce', () => {
  it('prints each missing service once per process', () => {
    const kafka: MissingService = { name: 'kafka', env: 'PROBE_KAFKA_BROKERS', why: 'it is down', hint: 'start it' };
    const printed: string[] = [];
    const write = (text: string) => printed.push(text);
    expect(printMissingOnce([kafka], write)).toBe(true);
    expect(printMissingOnce([kafka], write)).toBe(false);
    expect(printed).toEqual([
      'probe services: 1 not available; tests that need them are skipped:\n' +
        '  - kafka (PROBE_KAFKA_BROKERS): it is down\n' +
        '    what to do: start it',
    ]);
  });
});

describe('isCI', () => {
  it('reads CI=true and ignores false/0/empty', () => {
    expect([isCI({ CI: 'true' }), isCI({ CI: '1' }), isCI({ CI: 'false' }), isCI({ CI: '0' }), isCI({})]).toEqual([true, true, false, false, false]);
  });
});
