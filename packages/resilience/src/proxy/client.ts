import { ProbeError, ProbeErrorCode } from '@probe/core';
import type { ProxyConfig } from './registry.ts';
import type { CallOptions, ProxyHandle, ProxyState, TrafficStats } from './handle.ts';
import type { Toxic, ToxicInput, ToxicUpdate } from './toxics.ts';

/** Options of {@link createToxiproxyClient}. */
export interface ToxiproxyClientOptions {
  /** The control API (default `http://127.0.0.1:8474`). */
  url?: string;
  /** Bound on every control call in ms (default 2 000): a Toxiproxy busy removing a toxic under traffic can hang (Shopify/toxiproxy#558). */
  timeoutMs?: number;
}

/** An error answer of the control API, with Toxiproxy's status and message. */
export class ToxiproxyApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'ToxiproxyApiError';
    this.status = status;
  }
}

/** A client of Toxiproxy's HTTP API: drives a real Toxiproxy or this package's server alike. */
export interface ToxiproxyClient {
  readonly url: string;
  version(options?: CallOptions): Promise<string>;
  proxies(options?: CallOptions): Promise<Record<string, ProxyState>>;
  proxy(name: string, options?: CallOptions): Promise<ProxyState>;
  createProxy(config: ProxyConfig, options?: CallOptions): Promise<ProxyState>;
  populate(configs: ProxyConfig[], options?: CallOptions): Promise<ProxyState[]>;
  updateProxy(name: string, patch: Partial<Omit<ProxyConfig, 'name'>>, options?: CallOptions): Promise<ProxyState>;
  deleteProxy(name: string, options?: CallOptions): Promise<void>;
  addToxic(proxy: string, toxic: ToxicInput, options?: CallOptions): Promise<Toxic>;
  updateToxic(proxy: string, toxic: string, update: ToxicUpdate, options?: CallOptions): Promise<Toxic>;
  removeToxic(proxy: string, toxic: string, options?: CallOptions): Promise<void>;
  /** Enable every proxy and remove every toxic — of every user of that server. Prefer removing your own faults. */
  reset(options?: CallOptions): Promise<void>;
  /** Byte counters (and, from this package's server, connection counters); undefined when the server keeps none. */
  stats(proxy: string, options?: CallOptions): Promise<TrafficStats | undefined>;
  /** A {@link ProxyHandle} for faults and experiments. */
  handle(proxy: string): ProxyHandle;
}

/** Create a client. Every call has a timeout; connection failures become `PROBE_ERR_UNREACHABLE`. */
export function createToxiproxyClient(options: ToxiproxyClientOptions | string = {}): ToxiproxyClient {
  const settings = typeof options === 'string' ? { url: options } : options;
  const url = (settings.url ?? 'http://127.0.0.1:8474').replace(/\/+$/, '');
  const defaultTimeout = settings.timeoutMs ?? 2_000;

  async function call(method: string, path: string, body?: unknown, callOptions: CallOptions = {}): Promise<Response> {
    const timeoutMs = callOptions.timeoutMs ?? defaultTimeout;
    const signals = [AbortSignal.timeout(timeoutMs), ...(callOptions.signal ? [callOptions.signal] : [])];
    let response: Response;
    try {
      response = await fetch(`${url}${path}`, {
        method,
        signal: AbortSignal.any(signals),
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (error) {
      if (callOptions.signal?.aborted) throw callOptions.signal.reason;
      if ((error as Error).name === 'TimeoutError') {
        throw new ProbeError(ProbeErrorCode.TIMEOUT, `toxiproxy API ${method} ${path} did not answer within ${timeoutMs} ms`, { hint: `is ${url} overloaded or hung?` });
      }
      throw new ProbeError(ProbeErrorCode.UNREACHABLE, `toxiproxy API at ${url} is unreachable: ${(error as Error).message}`, {
        cause: error, hint: 'start one with `probe proxy` (or toxiproxy-server), or pass its url',
      });
    }
    if (!response.ok) {
      const text = await response.text();
      let message = text.trim();
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch { /* plain text error */ }
      throw new ToxiproxyApiError(response.status, `toxiproxy API ${method} ${path}: ${response.status} ${message}`);
    }
    return response;
  }
  const json = async <T>(method: string, path: string, body?: unknown, callOptions?: CallOptions): Promise<T> => (await (await call(method, path, body, callOptions)).json()) as T;
  /** PATCH since Toxiproxy 2.6; POST (deprecated, still accepted) for older servers. */
  const patch = async <T>(path: string, body: unknown, callOptions?: CallOptions): Promise<T> => {
    try {
      return await json<T>('PATCH', path, body, callOptions);
    } catch (error) {
      if (error instanceof ToxiproxyApiError && error.status === 405) return json<T>('POST', path, body, callOptions);
      throw error;
    }
  };
  const proxyPath = (name: string) => `/proxies/${encodeURIComponent(name)}`;

  const client: ToxiproxyClient = {
    url,
    async version(callOptions) {
      const text = await (await call('GET', '/version', undefined, callOptions)).text();
      try {
        return (JSON.parse(text) as { version: string }).version;
      } catch {
        return text.trim();   // Toxiproxy before 2.6 answers plain text
      }
    },
    proxies: (callOptions) => json('GET', '/proxies', undefined, callOptions),
    proxy: (name, callOptions) => json('GET', proxyPath(name), undefined, callOptions),
    createProxy: (config, callOptions) => json('POST', '/proxies', config, callOptions),
    populate: async (configs, callOptions) => (await json<{ proxies: ProxyState[] }>('POST', '/populate', configs, callOptions)).proxies,
    updateProxy: (name, changes, callOptions) => patch(proxyPath(name), changes, callOptions),
    deleteProxy: async (name, callOptions) => { await call('DELETE', proxyPath(name), undefined, callOptions); },
    addToxic: (proxy, toxic, callOptions) => json('POST', `${proxyPath(proxy)}/toxics`, toxic, callOptions),
    updateToxic: (proxy, toxic, update, callOptions) => patch(`${proxyPath(proxy)}/toxics/${encodeURIComponent(toxic)}`, update, callOptions),
    removeToxic: async (proxy, toxic, callOptions) => { await call('DELETE', `${proxyPath(proxy)}/toxics/${encodeURIComponent(toxic)}`, undefined, callOptions); },
    reset: async (callOptions) => { await call('POST', '/reset', undefined, callOptions); },
    async stats(proxy, callOptions) {
      try {
        return (await json<{ stats: TrafficStats }>('GET', `${proxyPath(proxy)}/stats`, undefined, callOptions)).stats;
      } catch (error) {
        if (!(error instanceof ToxiproxyApiError) || error.status !== 404) throw error;
      }
      try {
        return statsFromMetrics(await (await call('GET', '/metrics', undefined, callOptions)).text(), proxy);
      } catch (error) {
        if (error instanceof ToxiproxyApiError && error.status === 404) return undefined;
        throw error;
      }
    },
    handle: (name) => ({
      name,
      state: (callOptions) => client.proxy(name, callOptions),
      addToxic: (toxic, callOptions) => client.addToxic(name, toxic, callOptions),
      updateToxic: (toxic, update, callOptions) => client.updateToxic(name, toxic, update, callOptions),
      removeToxic: (toxic, callOptions) => client.removeToxic(name, toxic, callOptions),
      setEnabled: async (enabled, callOptions) => { await client.updateProxy(name, { enabled }, callOptions); },
      async reset(callOptions) {
        const state = await client.proxy(name, callOptions);
        for (const toxic of state.toxics) await client.removeToxic(name, toxic.name, callOptions);
        if (!state.enabled) await client.updateProxy(name, { enabled: true }, callOptions);
      },
      stats: (callOptions) => client.stats(name, callOptions),
    }),
  };
  return client;
}

/** Toxiproxy's `toxiproxy_proxy_{received,sent}_bytes_total` for one proxy; undefined when it has none. */
export function statsFromMetrics(text: string, proxy: string): TrafficStats | undefined {
  const stats: TrafficStats = { upstream: { received: 0, sent: 0 }, downstream: { received: 0, sent: 0 } };
  let found = false;
  for (const line of text.split('\n')) {
    const match = /^toxiproxy_proxy_(received|sent)_bytes_total\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[2]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((label) => [label[1], label[2]!.replace(/\\(.)/g, '$1')]));
    if (labels.proxy !== proxy || (labels.direction !== 'upstream' && labels.direction !== 'downstream')) continue;
    stats[labels.direction as 'upstream' | 'downstream'][match[1] as 'received' | 'sent'] += Number(match[3]);
    found = true;
  }
  return found ? stats : undefined;
}
