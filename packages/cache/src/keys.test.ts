import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { sharedUrl } from '../test/support/run.ts';
import { createProbeKeys, SAFETY_TTL_MS, setOwned } from './keys.ts';

describe.skipIf(!sharedUrl)('probe keys', () => {
  let writer: Redis;
  let other: Redis;
  const signal = new AbortController().signal;
  beforeEach(() => {
    writer = new Redis(sharedUrl!);
    other = new Redis(sharedUrl!);
  });
  afterEach(() => {
    writer.disconnect();
    other.disconnect();
  });

  it('writes only under its prefix, always with a TTL of at most 60 s', async () => {
    const keys = createProbeKeys('probe:', `keys${Date.now().toString(36)}`);
    await setOwned(keys, writer, keys.name('a'), 'v', signal, 10 * 60_000);
    const ttl = await writer.pttl(keys.name('a'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(SAFETY_TTL_MS);
    expect(() => setOwned(keys, writer, 'app:user:1', 'v', signal)).toThrow(/refusing to write app:user:1: not under the probe's prefix probe:keys\w+:/);
    await keys.release([writer]);
  });

  it('release removes claimed keys and sweeps the prefix, then refuses new writes', async () => {
    const keys = createProbeKeys('probe:', `keys${Date.now().toString(36)}b`);
    await setOwned(keys, writer, keys.name('claimed'), 'v', signal);
    await other.set(keys.name('unclaimed'), 'v', 'PX', 60_000);   // e.g. written by a check cut short
    expect(await keys.release([writer])).toBe(2);
    expect(await writer.exists(keys.name('claimed'), keys.name('unclaimed'))).toBe(0);
    expect(() => setOwned(keys, writer, keys.name('late'), 'v', signal)).toThrow(/tearing down/);
  });

  it('refuses to write once the check is aborted', () => {
    const keys = createProbeKeys('probe:', 'aborted');
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    expect(() => setOwned(keys, writer, keys.name('x'), 'v', controller.signal)).toThrow('deadline');
  });
});
