import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { CallOptions, ProxyHandle, ProxyState } from './handle.ts';
import { Link, emptyStats, type ProxyStats } from './link.ts';
import { FaultProxyError, describeFault, normaliseToxic, updatedToxic, type Toxic, type ToxicInput, type ToxicUpdate } from './toxics.ts';

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** Unique name; Toxiproxy suggests `<app>_<env>_<store>_<shard>`. Default `proxy_<upstream>`. */
  name?: string;
  /** `host:port` to listen on; port 0 picks a free port (default `127.0.0.1:0`). */
  listen?: string;
  /** `host:port` of the real service (Postgres, Redis, a Kafka broker, an HTTP API). */
  upstream: string;
  /** Start enabled (default true). */
  enabled?: boolean;
}

/** One entry of a proxy's timeline. */
export interface TimelineEvent {
  /** Epoch milliseconds. */
  at: number;
  event: 'started' | 'enabled' | 'disabled' | 'toxic-added' | 'toxic-updated' | 'toxic-removed' | 'reset' | 'moved' | 'closed';
  /** The toxic concerned (`toxic-*` events). */
  toxic?: Toxic;
}

/** When a fault was in force: from `toxic-added`/`disabled` to `toxic-removed`/`enabled`/`reset`. */
export interface FaultInterval {
  /** The toxic's name, or `down`. */
  name: string;
  /** `latency 800 ms downstream`, `down`. */
  fault: string;
  /** Epoch ms. */
  from: number;
  /** Epoch ms; absent while the fault is still in force. */
  to?: number;
}

/** An in-process TCP fault proxy: a {@link ProxyHandle} with synchronous access to its counters and timeline. */
export interface FaultProxy extends ProxyHandle {
  /** `host:port` it listens on (the real port after port 0). */
  readonly listen: string;
  /** The host to connect to (127.0.0.1 when it listens on every interface). */
  readonly host: string;
  readonly port: number;
  readonly upstream: string;
  readonly enabled: boolean;
  /** The toxics in force, in the order they were added. */
  readonly toxics: readonly Toxic[];
  /** Live counters (bytes per direction, connections). */
  readonly counters: ProxyStats;
  /** Every enable/disable/toxic change with its time (the last 1 000). */
  readonly timeline: readonly TimelineEvent[];
  /** The timeline as intervals: when each fault started and stopped. */
  faults(): FaultInterval[];
  /** The Toxiproxy JSON of this proxy. */
  toJSON(): ProxyState;
  /** Change `listen`/`upstream`/`enabled` (a changed address restarts the proxy and drops its connections, as in Toxiproxy). */
  update(patch: { listen?: string; upstream?: string; enabled?: boolean }): Promise<void>;
  /** Stop listening and cut every connection. */
  close(): Promise<void>;
}

const TIMELINE_LIMIT = 1_000;

/**
 * Start a TCP fault proxy in this process: clients connect to `listen`, bytes go to
 * `upstream` through the toxics in force. Close it when done (`await proxy.close()`).
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const proxy = new LocalFaultProxy(options);
  if (options.enabled ?? true) await proxy.setEnabled(true);
  return proxy;
}

class LocalFaultProxy implements FaultProxy {
  readonly name: string;
  readonly counters: ProxyStats = emptyStats();
  readonly timeline: TimelineEvent[] = [];
  private listenAddress: string;
  private upstreamAddress: string;
  private server: Server | undefined;
  private readonly links = new Set<Link>();
  private readonly toxicList: Toxic[] = [];

  constructor(options: FaultProxyOptions) {
    this.upstreamAddress = options.upstream;
    parseAddress(options.upstream, 'upstream');
    this.listenAddress = options.listen ?? '127.0.0.1:0';
    parseAddress(this.listenAddress, 'listen');
    this.name = options.name ?? `proxy_${options.upstream}`;
  }

  get listen(): string { return this.listenAddress; }
  get host(): string {
    const host = parseAddress(this.listenAddress, 'listen').host;
    return host === undefined || host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host;
  }
  get port(): number { return parseAddress(this.listenAddress, 'listen').port; }
  get upstream(): string { return this.upstreamAddress; }
  get enabled(): boolean { return this.server !== undefined; }
  get toxics(): readonly Toxic[] { return this.toxicList; }

  toJSON(): ProxyState {
    return { name: this.name, listen: this.listenAddress, upstream: this.upstreamAddress, enabled: this.enabled, toxics: this.toxicList.map((toxic) => structuredClone(toxic)) };
  }

  async state(): Promise<ProxyState> { return this.toJSON(); }
  async stats(): Promise<ProxyStats> { return structuredClone(this.counters); }

  async addToxic(input: ToxicInput, _options?: CallOptions): Promise<Toxic> {
    const toxic = normaliseToxic(input);
    if (this.toxicList.some((existing) => existing.name === toxic.name)) throw new FaultProxyError('toxic already exists', 409);
    this.toxicList.push(toxic);
    for (const link of this.links) link.addToxic(toxic);
    this.record('toxic-added', toxic);
    return structuredClone(toxic);
  }

  async updateToxic(name: string, update: ToxicUpdate, _options?: CallOptions): Promise<Toxic> {
    const index = this.toxicList.findIndex((toxic) => toxic.name === name);
    if (index < 0) throw new FaultProxyError('toxic not found', 404);
    const toxic = updatedToxic(this.toxicList[index]!, update);
    this.toxicList[index] = toxic;
    for (const link of this.links) link.updateToxic(toxic);
    this.record('toxic-updated', toxic);
    return structuredClone(toxic);
  }

  async removeToxic(name: string, _options?: CallOptions): Promise<void> {
    const index = this.toxicList.findIndex((toxic) => toxic.name === name);
    if (index < 0) throw new FaultProxyError('toxic not found', 404);
    const [toxic] = this.toxicList.splice(index, 1);
    for (const link of this.links) link.removeToxic(toxic!);
    this.record('toxic-removed', toxic);
  }

  async setEnabled(enabled: boolean, _options?: CallOptions): Promise<void> {
    if (enabled === this.enabled) return;
    if (enabled) {
      await this.startListening();
      this.record(this.timeline.length === 0 ? 'started' : 'enabled');
    } else {
      await this.stopListening();
      this.record('disabled');
    }
  }

  async reset(_options?: CallOptions): Promise<void> {
    const had = this.toxicList.length > 0 || !this.enabled;
    for (const toxic of [...this.toxicList].reverse()) {
      this.toxicList.splice(this.toxicList.indexOf(toxic), 1);
      for (const link of this.links) link.removeToxic(toxic);
    }
    if (!this.enabled) await this.startListening();
    if (had) this.record('reset');
  }

  async update(patch: { listen?: string; upstream?: string; enabled?: boolean }): Promise<void> {
    const listen = patch.listen ?? this.listenAddress;
    const upstream = patch.upstream ?? this.upstreamAddress;
    parseAddress(listen, 'listen');
    parseAddress(upstream, 'upstream');
    if (listen !== this.listenAddress || upstream !== this.upstreamAddress) {
      const wasEnabled = this.enabled;
      await this.stopListening();
      this.listenAddress = listen;
      this.upstreamAddress = upstream;
      this.record('moved');
      if (wasEnabled) await this.startListening();
    }
    if (patch.enabled !== undefined) await this.setEnabled(patch.enabled);
  }

  async close(): Promise<void> {
    if (this.enabled) {
      await this.stopListening();
      this.record('closed');
    }
  }

  faults(): FaultInterval[] {
    const intervals: FaultInterval[] = [];
    const open = new Map<string, FaultInterval>();
    const stop = (name: string, at: number) => {
      const interval = open.get(name);
      if (interval) interval.to = at;
      open.delete(name);
    };
    for (const { at, event, toxic } of this.timeline) {
      if (event === 'toxic-added' || (event === 'toxic-updated' && toxic)) {
        if (event === 'toxic-updated') stop(toxic!.name, at);
        const interval: FaultInterval = { name: toxic!.name, fault: describeFault(toxic!), from: at };
        intervals.push(interval);
        open.set(toxic!.name, interval);
      } else if (event === 'toxic-removed') {
        stop(toxic!.name, at);
      } else if (event === 'disabled') {
        const interval: FaultInterval = { name: 'down', fault: 'down', from: at };
        intervals.push(interval);
        open.set('down', interval);
      } else if (event === 'enabled') {
        stop('down', at);
      } else if (event === 'reset' || event === 'closed') {
        for (const name of [...open.keys()]) stop(name, at);
      }
    }
    return intervals;
  }

  private record(event: TimelineEvent['event'], toxic?: Toxic): void {
    this.timeline.push({ at: Date.now(), event, ...(toxic ? { toxic: structuredClone(toxic) } : {}) });
    if (this.timeline.length > TIMELINE_LIMIT) this.timeline.splice(0, this.timeline.length - TIMELINE_LIMIT);
  }

  private async startListening(): Promise<void> {
    const { host, port } = parseAddress(this.listenAddress, 'listen');
    const server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new FaultProxyError(`listen ${this.listenAddress}: ${(error as Error).message}`, 500)));
      server.listen(port, host, () => resolve());
    });
    server.on('error', () => {});
    this.server = server;
    this.listenAddress = formatAddress(server.address() as AddressInfo);
  }

  private async stopListening(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const link of this.links) link.destroy();
    await closed;
  }

  private accept(client: Socket): void {
    if (!this.server) return void client.destroy();
    const { host, port } = parseAddress(this.upstreamAddress, 'upstream');
    const server = connect({ host: host ?? '127.0.0.1', port, allowHalfOpen: true });
    this.counters.connections.total += 1;
    this.counters.connections.active += 1;
    const link = new Link(client, server, this.toxicList, this.counters, () => {
      this.counters.connections.active -= 1;
      this.links.delete(link);
    });
    this.links.add(link);
  }
}

/** Parse `host:port`, `[v6]:port` or `:port` (all interfaces), as Go's net.Listen accepts them. */
export function parseAddress(address: string, field: string): { host: string | undefined; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(address);
  const port = match ? Number(match[3]) : Number.NaN;
  if (!match || port > 65_535) throw new FaultProxyError(`bad request body: ${field} must be host:port, got ${JSON.stringify(address)}`);
  const host = match[1] ?? match[2];
  return { host: host === '' ? undefined : host, port };
}

function formatAddress(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]:${address.port}` : `${address.address}:${address.port}`;
}
