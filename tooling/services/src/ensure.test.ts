import { describe, expect, it } from 'vitest';
import { ensureServices } from './ensure.ts';
import { SERVICE_ENV, SERVICE_NAMES, serviceUrl } from './env.ts';

const allUp = SERVICE_NAMES.every((name) => serviceUrl(name));

describe('ensureServices', () => {
  it.skipIf(!allUp)('finds everything up and starts nothing (fast path)', async () => {
    const lines: string[] = [];
    const started = performance.now();
    const result = await ensureServices(SERVICE_NAMES, { log: (line) => lines.push(line) });
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.missing).toEqual([]);
    expect(result.started).toEqual([]);
    expect(Object.keys(result.env).sort()).toEqual(Object.values(SERVICE_ENV).sort());
    expect(lines).toEqual([]);
  });

  it('only checks a URL that is not the local default, and says what to do', async () => {
    const env = { PROBE_NATS_URL: 'nats://127.0.0.1:9' };
    const lines: string[] = [];
    const result = await ensureServices(['nats'], { env, log: (line) => lines.push(line) });
    expect(result.urls).toEqual({});
    expect(result.missing).toEqual([
      {
        name: 'nats',
        env: 'PROBE_NATS_URL',
        why: expect.stringMatching(/refused|ECONNREFUSED/),
        hint: 'start the NATS that PROBE_NATS_URL=nats://127.0.0.1:9 names, or unset PROBE_NATS_URL so that `pnpm services:up` starts a local one on nats://127.0.0.1:4222',
      },
    ]);
    expect(lines).toEqual([]); // nothing was started
  });

  it('with start: false reports a missing service without starting it', async () => {
    const result = await ensureServices(['amqp'], { start: false, env: { PROBE_AMQP_URL: 'amqp://guest:guest@127.0.0.1:9' } });
    expect(result.missing.map((service) => [service.name, service.env])).toEqual([['amqp', 'PROBE_AMQP_URL']]);
  });
});
