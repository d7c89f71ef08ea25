import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SERVICE_ENV, SERVICE_NAMES, serviceUrl } from './env.ts';
import { parseEnvLines } from './report.ts';

const cli = new URL('./cli.ts', import.meta.url).pathname;

function up(...args: string[]) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, 'up', ...args], { encoding: 'utf8', timeout: 4_000 });
  return { ...result, ms: performance.now() - started };
}

const allUp = SERVICE_NAMES.every((name) => serviceUrl(name));

describe.skipIf(!allUp)('cli up', () => {
  it('is idempotent and fast when everything is up, printing only KEY=value lines on stdout', () => {
    up(); // warm the file cache; the global setup already brought everything up
    const second = up();
    expect(second.status).toBe(0);
    expect(second.ms).toBeLessThan(1_500);
    expect(second.stderr).not.toMatch(/starting/);
    const lines = second.stdout.trim().split('\n');
    expect(lines.every((line) => /^PROBE_[A-Z_]+=\S+$/.test(line))).toBe(true);
    const env = parseEnvLines(second.stdout);
    expect(Object.keys(env).sort()).toEqual(Object.values(SERVICE_ENV).sort());
    for (const name of SERVICE_NAMES) expect(env[SERVICE_ENV[name]]).toBe(serviceUrl(name));
  });

  it('prefixes export with --export and limits itself to the named services', () => {
    const result = up('--export', 'redis', 'pg');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`export PROBE_PG_URL=${serviceUrl('pg')}\nexport PROBE_REDIS_URL=${serviceUrl('redis')}\n`);
  });
});

describe('cli', () => {
  it('rejects an unknown service name with the usage', () => {
    const result = spawnSync(process.execPath, [cli, 'up', 'mysql'], { encoding: 'utf8', timeout: 4_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/unknown service mysql/);
    expect(result.stdout).toBe('');
  });

  it('fails under CI, naming the service, why and what to do, when a custom URL does not answer', () => {
    const result = spawnSync(process.execPath, [cli, 'up', 'redis'], {
      encoding: 'utf8',
      timeout: 4_000,
      env: { ...process.env, CI: 'true', PROBE_REDIS_URL: 'redis://127.0.0.1:9' },
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/redis \(PROBE_REDIS_URL\): .*ECONNREFUSED 127\.0\.0\.1:9/);
    expect(result.stderr).toMatch(/what to do: start the Redis that PROBE_REDIS_URL=redis:\/\/127\.0\.0\.1:9 names, or unset PROBE_REDIS_URL/);
  });

  it('outside CI reports the missing service, exits 0 and omits its line', () => {
    const result = spawnSync(process.execPath, [cli, 'up', 'redis', 'nats'], {
      encoding: 'utf8',
      timeout: 4_000,
      env: { ...process.env, CI: '', PROBE_REDIS_URL: 'redis://127.0.0.1:9' },
    });
    expect(result.status).toBe(0);
    expect(Object.keys(parseEnvLines(result.stdout))).toEqual(allUp ? ['PROBE_NATS_URL'] : expect.any(Array));
    expect(result.stderr).toMatch(/1 not available; tests that need them are skipped/);
  });
});
