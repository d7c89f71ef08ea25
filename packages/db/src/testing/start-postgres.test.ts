import { getContainerRuntimeClient } from 'testcontainers';
import { describe, expect, it } from 'vitest';
import { startPostgres } from './start-postgres.ts';

const hasRuntime = await getContainerRuntimeClient().then(() => true, () => false);

describe('startPostgres', () => {
  it('uses a given URL as it is', async () => {
    const started = await startPostgres({ url: 'postgres://app@db.internal:5432/app' });
    expect(started).toMatchObject({ url: 'postgres://app@db.internal:5432/app', source: 'url' });
    await started.stop();
  });

  it.runIf(!hasRuntime)('without a URL and without Docker, fails at once saying what to do', async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const started = performance.now();
      await expect(startPostgres()).rejects.toMatchObject({
        code: 'PROBE_ERR_CONFIG',
        message: expect.stringMatching(/^no PostgreSQL to test against: no url, no DATABASE_URL, and no container runtime \(Could not find a working container runtime strategy\)$/),
        hint: 'pass url, set DATABASE_URL, start a Docker engine, or use startLocalPostgres() where PostgreSQL is installed',
      });
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });
});
