import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '@probe/api/testing';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { applyFault, createFaultLedger, withFault } from './faults.ts';
import type { ProxyHandle } from './handle.ts';
import { toxic } from './toxics.ts';

let upstream: FakeUpstream;
let proxy: FaultProxy;
beforeEach(async () => {
  upstream = await startFakeUpstream({ routes: { '/ping': { body: 'pong' } } });
  proxy = await startFaultProxy({ name: 'faults_test', upstream: `127.0.0.1:${upstream.port}` });
});
afterEach(async () => {
  await proxy.close();
  await upstream.close();
});

describe('scoped faults', () => {
  it('withFault: the fault holds inside the block and is gone after it, also when the block throws', async () => {
    await withFault(proxy, toxic.latency(100), async () => {
      expect(proxy.toxics).toHaveLength(1);
      const started = performance.now();
      await (await fetch(`http://${proxy.listen}/ping`)).text();
      expect(performance.now() - started).toBeGreaterThanOrEqual(95);
    });
    expect(proxy.toxics).toEqual([]);
    await expect(withFault(proxy, toxic.down(), () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(proxy.enabled).toBe(true);
  });

  it('withFault: an abort removes the fault at once, even when the block never settles', async () => {
    const controller = new AbortController();
    void withFault(proxy, toxic.timeout(0), () => new Promise(() => {}), { signal: controller.signal });
    await sleep(20);
    expect(proxy.toxics).toHaveLength(1);
    controller.abort();
    await sleep(20);
    expect(proxy.toxics).toEqual([]);
    expect(proxy.faults()).toEqual([{ name: 'timeout_downstream', fault: 'timeout (black hole) downstream', from: expect.any(Number), to: expect.any(Number) }]);
  });

  it('down on a proxy that was already down does not bring it up when removed', async () => {
    await proxy.setEnabled(false);
    const applied = await applyFault(proxy, toxic.down());
    await applied.remove();
    expect(proxy.enabled).toBe(false);
  });

  it('the ledger names toxics with its tag and undoes only its own faults, newest first', async () => {
    await proxy.addToxic(toxic.latency(1, { name: 'someone_elses' }));
    const ledger = createFaultLedger('run42');
    await ledger.apply(proxy, toxic.bandwidth(100));
    await ledger.apply(proxy, toxic.down());
    expect(proxy.toxics.map((item) => item.name)).toEqual(['someone_elses', 'probe_run42_1_bandwidth']);
    expect(await ledger.undoAll()).toEqual([]);
    expect(proxy.toxics.map((item) => item.name)).toEqual(['someone_elses']);
    expect(proxy.enabled).toBe(true);
    expect(ledger.records.map((record) => [record.fault, record.stoppedAt !== undefined])).toEqual([['bandwidth 100 KB/s downstream', true], ['down', true]]);
  });

  it('a toxic already gone (a reset by someone else) counts as removed; a removal that keeps failing is reported', async () => {
    const ledger = createFaultLedger('t');
    await ledger.apply(proxy, toxic.latency(5));
    await proxy.reset();
    expect(await ledger.undoAll()).toEqual([]);
    const broken: ProxyHandle = { ...handleOf(proxy), removeToxic: async () => { throw Object.assign(new Error('API down'), { status: 500 }); } };
    await ledger.apply(broken, toxic.latency(5));
    expect(await ledger.undoAll()).toEqual([expect.stringMatching(/^latency 5 ms downstream on faults_test: API down$/)]);
    expect(ledger.records.at(-1)?.removeError).toBe('API down');
  });

  it('a toxic whose add was interrupted is still removed by name at undo', async () => {
    const ledger = createFaultLedger('cut');
    const slowAdd: ProxyHandle = { ...handleOf(proxy), addToxic: async (input, options) => { const added = await proxy.addToxic(input); await sleep(50); options?.signal?.throwIfAborted(); return added; } };
    const controller = new AbortController();
    const pending = ledger.apply(slowAdd, toxic.latency(5), { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toThrow();
    expect(proxy.toxics).toHaveLength(1);
    await ledger.undoAll();
    expect(proxy.toxics).toEqual([]);
  });
});

function handleOf(target: FaultProxy): ProxyHandle {
  return {
    name: target.name,
    state: () => target.state(),
    addToxic: (input) => target.addToxic(input),
    updateToxic: (name, update) => target.updateToxic(name, update),
    removeToxic: (name) => target.removeToxic(name),
    setEnabled: (enabled) => target.setEnabled(enabled),
    reset: () => target.reset(),
    stats: () => target.stats(),
  };
}
