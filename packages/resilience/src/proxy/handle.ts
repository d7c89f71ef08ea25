import type { ProxyFault, Toxic, ToxicInput, ToxicUpdate } from './toxics.ts';

/** Per-call options of every control call. */
export interface CallOptions {
  /** Aborts the call (a check's signal). */
  signal?: AbortSignal;
  /** Bound on this call in ms (the client's default is 2 000). */
  timeoutMs?: number;
}

/** A proxy as Toxiproxy's API shows it: `GET /proxies/{name}`. */
export interface ProxyState {
  name: string;
  /** The address it listens on, `host:port` (the real port when created with port 0). */
  listen: string;
  /** The service behind it, `host:port`. */
  upstream: string;
  enabled: boolean;
  toxics: Toxic[];
}

/** Bytes through a proxy per direction, and connection counts where the proxy keeps them. */
export interface TrafficStats {
  /** client → server bytes: received from clients, sent to the upstream. */
  upstream: { received: number; sent: number };
  /** server → client bytes: received from the upstream, sent to clients. */
  downstream: { received: number; sent: number };
  /** Only this package's proxy counts connections (a real Toxiproxy exposes bytes only, and only after a connection closes). */
  connections?: {
    /** Accepted since the proxy started. */
    total: number;
    /** Open now. */
    active: number;
    /** Accepted but the upstream could not be reached. */
    upstreamFailed: number;
    /** Closed by a toxic (`timeout`, `limit_data`). */
    closedByToxic: number;
    /** Reset by a toxic (`reset_peer`) or by a peer's reset passed on. */
    reset: number;
  };
}

/**
 * One proxy, driven in-process (a {@link FaultProxy}) or over Toxiproxy's HTTP API
 * (`client.handle(name)`, for this package's standalone server or a real Toxiproxy).
 * Faults, experiments and teardown work through this interface only.
 */
export interface ProxyHandle {
  readonly name: string;
  state(options?: CallOptions): Promise<ProxyState>;
  addToxic(input: ToxicInput, options?: CallOptions): Promise<Toxic>;
  updateToxic(name: string, update: ToxicUpdate, options?: CallOptions): Promise<Toxic>;
  removeToxic(name: string, options?: CallOptions): Promise<void>;
  /** `false` is the `down` fault: new connections are refused, open ones cut. */
  setEnabled(enabled: boolean, options?: CallOptions): Promise<void>;
  /** Remove every toxic and enable the proxy. */
  reset(options?: CallOptions): Promise<void>;
  /** Traffic counters, or undefined when the proxy exposes none (a Toxiproxy without `-proxy-metrics`). */
  stats(options?: CallOptions): Promise<TrafficStats | undefined>;
}

/** A fault on a proxy, as experiments and checks declare it. */
export interface FaultTarget {
  proxy: ProxyHandle;
  toxic: ProxyFault;
}
