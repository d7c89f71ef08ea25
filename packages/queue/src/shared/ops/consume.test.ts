import { describe, expect, it } from 'vitest';
import { BROKERS, broker } from '../../../test/support/brokers.ts';
import { runCheck } from '../../../test/support/run.ts';
import type { Delivery } from '../driver.ts';
import { difference, probeMessages } from '../messages.ts';
import { nats } from '../../nats/nats-probe.ts';
import { startRecodingProxy } from '../../../test/support/recoding-proxy.ts';

describe.each(BROKERS)('queue.ops.consume on $name', (fixture) => {
  it.skipIf(!fixture.url)('receives the published message byte-identical and times a round trip', async () => {
    const result = await runCheck(fixture.probe(), 'queue.ops.consume');
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(new RegExp(`^received a published message byte-identical from ${fixture.noun} \\S+; round trip [\\d.]+ ms$`));
    expect(result.evidence.received).toMatchObject({ bytes: 256 });
    expect(result.metrics.map((metric) => metric.name)).toEqual(['queue.roundtrip_ms']);
  });
});

describe.skipIf(!broker('nats').url)('queue.ops.consume fails when the payload comes back altered', () => {
  it('NATS through a proxy that transliterates "ü" to "ue" (same length: the framing holds, the bytes do not)', async () => {
    const [host, port] = broker('nats').url!.replace(/^nats:\/\//, '').split(':');
    const proxy = await startRecodingProxy({ host: host!, port: Number(port ?? 4222) });
    try {
      const result = await runCheck(nats({ servers: proxy.address }), 'queue.ops.consume');
      expect(result.status).toBe('fail');
      expect(result.summary).toMatch(/^the received message is not what was sent: payload differs at byte \d+ of 256 \(0xc3 sent, 0x75 received\)$/);
    } finally {
      await proxy.close();
    }
  });
});

describe('difference: what "byte-identical" compares', () => {
  const [sent] = probeMessages('run1', 'publish', 1, 64);
  const received = (changes: Partial<Delivery>): Delivery => ({ id: sent!.id, key: sent!.key, value: Buffer.from(sent!.value), headers: { ...sent!.headers }, position: '0', redelivered: false, receivedAt: 0, ...changes });

  it('is undefined for an identical message', () => {
    expect(difference(sent!, received({}))).toBeUndefined();
  });

  it('names a changed payload (one byte re-encoded), key or header', () => {
    const recoded = Buffer.from(sent!.value.toString('latin1'), 'utf8');
    expect(difference(sent!, received({ value: recoded }))).toBe(`payload differs (${sent!.value.length} bytes sent, ${recoded.length} received)`);
    const flipped = Buffer.from(sent!.value);
    flipped[3] = 0x21;
    expect(difference(sent!, received({ value: flipped }))).toBe(`payload differs at byte 3 of ${sent!.value.length} (0x${sent!.value[3]!.toString(16)} sent, 0x21 received)`);
    expect(difference(sent!, received({ key: 'other' }))).toBe(`key differs ("${sent!.key}" sent, "other" received)`);
    expect(difference(sent!, received({ headers: { ...sent!.headers, 'probe-seq': '9' } }))).toBe('header probe-seq differs ("0" sent, "9" received)');
  });
});
