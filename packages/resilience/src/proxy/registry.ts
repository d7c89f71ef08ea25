import { startFaultProxy, parseAddress, type FaultProxy } from './fault-proxy.ts';
import { FaultProxyError } from './toxics.ts';

/** One proxy of a Toxiproxy config file or `POST /populate` body. */
export interface ProxyConfig {
  name: string;
  /** `host:port`; default `127.0.0.1:0` (Toxiproxy would listen on every interface). */
  listen?: string;
  upstream: string;
  /** Default true. */
  enabled?: boolean;
}

/** The proxies one server holds, by name (Toxiproxy's ProxyCollection). Changes are serialised. */
export interface ProxyRegistry {
  list(): FaultProxy[];
  get(name: string): FaultProxy;
  create(config: unknown): Promise<FaultProxy>;
  /** Create or replace each proxy (kept as is when `listen` and `upstream` match); all are validated before any change. */
  populate(configs: unknown): Promise<FaultProxy[]>;
  remove(name: string): Promise<void>;
  /** Enable every proxy and remove every toxic (`POST /reset`). */
  reset(): Promise<void>;
  /** Close every proxy. */
  close(): Promise<void>;
}

/** A registry of in-process fault proxies. */
export function createProxyRegistry(): ProxyRegistry {
  const proxies = new Map<string, FaultProxy>();
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => {});
    return next;
  };
  const get = (name: string) => {
    const proxy = proxies.get(name);
    if (!proxy) throw new FaultProxyError('proxy not found', 404);
    return proxy;
  };

  return {
    list: () => [...proxies.values()],
    get,
    create: (input) => serial(async () => {
      const config = proxyConfig(input);
      if (proxies.has(config.name)) throw new FaultProxyError('proxy already exists', 409);
      const proxy = await startFaultProxy(config);
      proxies.set(config.name, proxy);
      return proxy;
    }),
    populate: (input) => serial(async () => {
      if (!Array.isArray(input)) throw new FaultProxyError('bad request body: expected a JSON array of proxies');
      const configs = input.map((item, index) => proxyConfig(item, ` at proxy ${index + 1}`));
      const names = new Set<string>();
      for (const config of configs) {
        if (names.has(config.name)) throw new FaultProxyError(`duplicate proxy name "${config.name}"`);
        names.add(config.name);
      }
      const result: FaultProxy[] = [];
      for (const config of configs) {
        const existing = proxies.get(config.name);
        if (existing && existing.upstream === config.upstream && (config.listen === undefined || existing.listen === config.listen)) {
          if (config.enabled !== undefined) await existing.setEnabled(config.enabled);
          result.push(existing);
          continue;
        }
        await existing?.close();
        const proxy = await startFaultProxy(config);
        proxies.set(config.name, proxy);
        result.push(proxy);
      }
      return result;
    }),
    remove: (name) => serial(async () => {
      await get(name).close();
      proxies.delete(name);
    }),
    reset: () => serial(async () => {
      for (const proxy of proxies.values()) await proxy.reset();
    }),
    close: () => serial(async () => {
      await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
      proxies.clear();
    }),
  };
}

function proxyConfig(input: unknown, where = ''): ProxyConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new FaultProxyError(`bad request body: expected a proxy object${where}`);
  const raw = input as Record<string, unknown>;
  if (typeof raw.name !== 'string' || raw.name.length === 0) throw new FaultProxyError(`missing required field: name${where}`);
  if (typeof raw.upstream !== 'string' || raw.upstream.length === 0) throw new FaultProxyError(`missing required field: upstream${where}`);
  if (raw.listen !== undefined && typeof raw.listen !== 'string') throw new FaultProxyError(`bad request body: listen must be a string${where}`);
  if (raw.enabled !== undefined && typeof raw.enabled !== 'boolean') throw new FaultProxyError(`bad request body: enabled must be true or false${where}`);
  const listen = raw.listen === undefined || raw.listen === '' ? undefined : raw.listen;
  if (listen) parseAddress(listen, 'listen');
  parseAddress(raw.upstream, 'upstream');
  return { name: raw.name, upstream: raw.upstream, ...(listen ? { listen } : {}), ...(raw.enabled === undefined ? {} : { enabled: raw.enabled }) };
}
