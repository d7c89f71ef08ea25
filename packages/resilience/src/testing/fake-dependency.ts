import { startFakeUpstream, type FakeUpstream, type RouteScript } from '@probe/api/testing';
import { startFaultProxy, type FaultProxy } from '../proxy/fault-proxy.ts';

/** A fake HTTP dependency with TCP faults at hand: @probe/api's fake upstream behind a fault proxy. */
export interface FakeDependency {
  /** `http://host:port`: where the code under test should call (the proxy). */
  readonly url: string;
  /** The scripted server: routes, recorded requests with arrival times and attempt numbers. */
  readonly upstream: FakeUpstream;
  /** The proxy in front: toxics, `down`, counters, timeline. */
  readonly proxy: FaultProxy;
  close(): Promise<void>;
}

/**
 * Start a fake dependency: HTTP faults come from route scripts (`step.failTimes(2)`), TCP
 * faults from the proxy (`await dependency.proxy.addToxic(toxic.latency(500))`, `toxic.down()`).
 */
export async function startFakeDependency(options: { listen?: string; name?: string; routes?: Record<string, RouteScript> } = {}): Promise<FakeDependency> {
  const upstream = await startFakeUpstream({ ...(options.routes ? { routes: options.routes } : {}) });
  try {
    const proxy = await startFaultProxy({ name: options.name ?? 'fake_dependency', listen: options.listen ?? '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}` });
    return {
      url: `http://${proxy.host}:${proxy.port}`,
      upstream,
      proxy,
      async close() {
        await proxy.close();
        await upstream.close();
      },
    };
  } catch (error) {
    await upstream.close();
    throw error;
  }
}
