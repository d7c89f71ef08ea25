import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '@probe/api/testing';
import { parseAddress, startFaultProxy } from './fault-proxy.ts';
import { createStage, type Sink } from './stages.ts';
import { FaultProxyError, describeFault, normaliseToxic, toxic, updatedToxic } from './toxics.ts';

describe('toxic JSON: Toxiproxy defaults and validation', () => {
  it('fills name, stream, toxicity and zero attributes as Toxiproxy does', () => {
    expect(normaliseToxic({ type: 'slicer' })).toEqual({ name: 'slicer_downstream', type: 'slicer', stream: 'downstream', toxicity: 1, attributes: { average_size: 0, size_variation: 0, delay: 0 } });
    expect(normaliseToxic(toxic.latency(50, { jitter: 5, stream: 'upstream', toxicity: 0.3, name: 'slow' }))).toEqual({ name: 'slow', type: 'latency', stream: 'upstream', toxicity: 0.3, attributes: { latency: 50, jitter: 5 } });
    expect(updatedToxic(normaliseToxic(toxic.bandwidth(10)), { attributes: { rate: 20 } })).toMatchObject({ attributes: { rate: 20 }, toxicity: 1 });
  });

  it('refuses what Toxiproxy refuses, with its messages', () => {
    const refusal = (input: unknown) => { try { normaliseToxic(input); return undefined; } catch (error) { return [(error as FaultProxyError).status, (error as Error).message]; } };
    expect(refusal({ type: 'melt' })).toEqual([400, 'invalid toxic type']);
    expect(refusal({ type: 'latency', stream: 'sideways' })).toEqual([400, 'stream was invalid, can be either upstream or downstream']);
    expect(refusal({ type: 'latency', toxicity: 2 })).toEqual([400, 'bad request body: toxicity must be a number from 0 to 1, got 2']);
    expect(refusal({ type: 'latency', attributes: { latency: -1 } })).toEqual([400, 'bad request body: latency.latency must be a non-negative number, got -1']);
    expect(refusal({ type: 'latency', attributes: [] })).toEqual([400, 'bad request body: attributes must be an object']);
    expect(refusal(null)).toEqual([400, 'bad request body: expected a JSON object']);
    expect(() => updatedToxic(normaliseToxic({ type: 'latency' }), { toxicity: -1 })).toThrow(FaultProxyError);
  });

  it('describes faults in one line', () => {
    expect([toxic.latency(800, { jitter: 100 }), toxic.timeout(), toxic.resetPeer(50, { toxicity: 0.5 }), toxic.slicer(64, { sizeVariation: 8, delayMicros: 10 }), toxic.limitData(9), toxic.slowClose(3), toxic.down()].map(describeFault)).toEqual([
      'latency 800±100 ms downstream', 'timeout (black hole) downstream', 'reset_peer after 50 ms downstream (toxicity 0.5)', 'slicer 64±8 B every 10 µs downstream', 'limit_data 9 B downstream', 'slow_close 3 ms downstream', 'down',
    ]);
  });

  it('parses listen and upstream addresses as Go does', () => {
    expect(parseAddress('127.0.0.1:8474', 'api')).toEqual({ host: '127.0.0.1', port: 8474 });
    expect(parseAddress('[::1]:0', 'listen')).toEqual({ host: '::1', port: 0 });
    expect(parseAddress(':26379', 'listen')).toEqual({ host: undefined, port: 26_379 });
    expect(() => parseAddress('localhost', 'upstream')).toThrow('upstream must be host:port, got "localhost"');
  });
});

describe('stages', () => {
  const sink = () => {
    const chunks: Buffer[] = [];
    let ended = false;
    const target: Sink & { chunks: Buffer[]; ended: () => boolean } = { chunks, ended: () => ended, write: (chunk) => chunks.push(chunk), end: () => { ended = true; } };
    return target;
  };
  const host = { close: () => {}, reset: () => {}, drained: () => {} };

  it('a toxicity miss is a pass-through; zero bandwidth is no limit', () => {
    for (const stage of [createStage(normaliseToxic(toxic.latency(1_000, { toxicity: 0 })), sink(), host), createStage(normaliseToxic(toxic.bandwidth(0)), sink(), host)]) {
      const target = stage.next as ReturnType<typeof sink>;
      stage.write(Buffer.from('now'));
      stage.end();
      expect([target.chunks.join(''), target.ended(), stage.pending]).toEqual(['now', true, 0]);
    }
  });

  it('slicer keeps every byte in order, in pieces of about the average size', () => {
    const target = sink();
    const stage = createStage(normaliseToxic(toxic.slicer(100, { sizeVariation: 30 })), target, host);
    const data = Buffer.from(Array.from({ length: 1_000 }, (_, index) => index % 256));
    stage.write(data);
    stage.flush();
    expect(Buffer.concat(target.chunks).equals(data)).toBe(true);
    expect(target.chunks.length).toBeGreaterThanOrEqual(7);
    expect(Math.max(...target.chunks.map((chunk) => chunk.length))).toBeLessThanOrEqual(130);
  });

  it('an update re-applies the toxic to open connections; the timeline records every change', async () => {
    const upstream = await startFakeUpstream({ routes: { '/x': { body: 'x' } } });
    const proxy = await startFaultProxy({ upstream: `127.0.0.1:${upstream.port}`, enabled: false });
    try {
      expect(proxy.enabled).toBe(false);
      await proxy.setEnabled(true);
      await proxy.addToxic(toxic.latency(300));
      await proxy.updateToxic('latency_downstream', { attributes: { latency: 0 } });
      const started = performance.now();
      await (await fetch(`http://${proxy.listen}/x`)).text();
      expect(performance.now() - started).toBeLessThan(200);
      await expect(proxy.updateToxic('nope', {})).rejects.toMatchObject({ status: 404 });
      await expect(proxy.removeToxic('nope')).rejects.toMatchObject({ status: 404 });
      await proxy.update({ upstream: `127.0.0.1:${upstream.port}`, listen: '127.0.0.1:0' });
      expect(proxy.timeline.map((event) => event.event)).toEqual(['started', 'toxic-added', 'toxic-updated', 'moved']);
      expect(proxy.faults().map((fault) => fault.fault)).toEqual(['latency 300 ms downstream', 'latency 0 ms downstream']);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});
