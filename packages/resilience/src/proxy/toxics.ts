/**
 * Toxics: the faults a proxy applies to the bytes of each connection, in Toxiproxy's
 * vocabulary and JSON shape (`{ name, type, stream, toxicity, attributes }`), so the
 * same objects travel over the HTTP API, through a real Toxiproxy and through code.
 */

/** Which way the toxic acts: `upstream` = client → server, `downstream` = server → client. */
export type StreamDirection = 'upstream' | 'downstream';

/** Attributes of each toxic type, with Toxiproxy's names and units. */
export interface ToxicAttributes {
  /** Delays all data by `latency` ± `jitter` milliseconds. */
  latency: { latency: number; jitter: number };
  /** Caps throughput at `rate` KB/s (1 KB = 1 000 bytes). */
  bandwidth: { rate: number };
  /** Delays the close (FIN) by `delay` milliseconds. */
  slow_close: { delay: number };
  /** Drops all data; closes the connection after `timeout` ms without data (0: never, until the toxic is removed). */
  timeout: { timeout: number };
  /** Resets the connection (TCP RST) `timeout` ms after the first data (0: at once). */
  reset_peer: { timeout: number };
  /** Splits data into pieces of `average_size` ± `size_variation` bytes, `delay` microseconds apart. */
  slicer: { average_size: number; size_variation: number; delay: number };
  /** Closes the connection after `bytes` bytes. */
  limit_data: { bytes: number };
}

/** A toxic type Toxiproxy (and this proxy) knows. */
export type ToxicType = keyof ToxicAttributes;

/** Every toxic type, in Toxiproxy's README order. */
export const TOXIC_TYPES: readonly ToxicType[] = ['latency', 'bandwidth', 'slow_close', 'timeout', 'reset_peer', 'slicer', 'limit_data'];

/** A toxic as a proxy holds it and as the HTTP API returns it. */
export interface Toxic<T extends ToxicType = ToxicType> {
  /** Unique per proxy; defaults to `<type>_<stream>`. */
  name: string;
  type: T;
  stream: StreamDirection;
  /** Probability (0–1) that the toxic applies to a given connection; drawn per connection and direction. */
  toxicity: number;
  attributes: ToxicAttributes[T];
}

/** What creating a toxic takes: everything but `type` has Toxiproxy's defaults (downstream, toxicity 1, attributes 0). */
export interface ToxicInput<T extends ToxicType = ToxicType> {
  name?: string;
  type: T;
  stream?: StreamDirection;
  toxicity?: number;
  attributes?: Partial<ToxicAttributes[T]>;
}

/** What updating a toxic takes: new attributes (merged) and/or toxicity. */
export interface ToxicUpdate {
  attributes?: Record<string, number>;
  toxicity?: number;
}

/** `down`: not a toxic in Toxiproxy but the proxy's `enabled: false` — refuse new connections, cut open ones. */
export interface DownFault {
  type: 'down';
}

/** A fault a proxy can be put under: a toxic, or `down`. */
export type ProxyFault = ToxicInput | DownFault;

const ATTRIBUTE_NAMES: { [T in ToxicType]: readonly (keyof ToxicAttributes[T])[] } = {
  latency: ['latency', 'jitter'],
  bandwidth: ['rate'],
  slow_close: ['delay'],
  timeout: ['timeout'],
  reset_peer: ['timeout'],
  slicer: ['average_size', 'size_variation', 'delay'],
  limit_data: ['bytes'],
};

/**
 * A request the proxy refuses, with Toxiproxy's message and HTTP status
 * (`400 bad request body: …`, `404 proxy not found`, `409 toxic already exists`).
 */
export class FaultProxyError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'FaultProxyError';
    this.status = status;
  }
}

/** True for the toxic types Toxiproxy knows. */
export function isToxicType(value: unknown): value is ToxicType {
  return typeof value === 'string' && (TOXIC_TYPES as readonly string[]).includes(value);
}

/**
 * Complete a toxic input with Toxiproxy's defaults and check it: a known type, a valid
 * stream, toxicity in [0, 1], non-negative numeric attributes (unknown attribute names
 * are ignored, as Toxiproxy's JSON decoder does).
 */
export function normaliseToxic(input: unknown): Toxic {
  if (typeof input !== 'object' || input === null) throw new FaultProxyError('bad request body: expected a JSON object');
  const raw = input as Record<string, unknown>;
  if (!isToxicType(raw.type)) throw new FaultProxyError('invalid toxic type');
  const stream = raw.stream ?? 'downstream';
  if (stream !== 'upstream' && stream !== 'downstream') throw new FaultProxyError('stream was invalid, can be either upstream or downstream');
  const toxicity = raw.toxicity ?? 1;
  if (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1)) throw new FaultProxyError(`bad request body: toxicity must be a number from 0 to 1, got ${JSON.stringify(toxicity)}`);
  const name = raw.name ?? `${raw.type}_${stream}`;
  if (typeof name !== 'string' || name.length === 0) throw new FaultProxyError('bad request body: name must be a non-empty string');
  return { name, type: raw.type, stream, toxicity, attributes: attributesOf(raw.type, raw.attributes, undefined) } as Toxic;
}

/** Apply an update (Toxiproxy's `POST/PATCH /proxies/{proxy}/toxics/{toxic}`) to a toxic. */
export function updatedToxic(toxic: Toxic, update: unknown): Toxic {
  if (typeof update !== 'object' || update === null) throw new FaultProxyError('bad request body: expected a JSON object');
  const raw = update as Record<string, unknown>;
  const toxicity = raw.toxicity ?? toxic.toxicity;
  if (typeof toxicity !== 'number' || !(toxicity >= 0 && toxicity <= 1)) throw new FaultProxyError(`bad request body: toxicity must be a number from 0 to 1, got ${JSON.stringify(toxicity)}`);
  return { ...toxic, toxicity, attributes: attributesOf(toxic.type, raw.attributes, toxic.attributes) } as Toxic;
}

function attributesOf(type: ToxicType, input: unknown, base: object | undefined): Record<string, number> {
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new FaultProxyError('bad request body: attributes must be an object');
  }
  const given = (input ?? {}) as Record<string, unknown>;
  const attributes: Record<string, number> = {};
  for (const key of ATTRIBUTE_NAMES[type] as readonly string[]) {
    const value = given[key] ?? (base as Record<string, number> | undefined)?.[key] ?? 0;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new FaultProxyError(`bad request body: ${type}.${key} must be a non-negative number, got ${JSON.stringify(value)}`);
    }
    attributes[key] = value;
  }
  return attributes;
}

/** Options every toxic builder takes. */
export interface ToxicOptions {
  /** Default `<type>_<stream>`. */
  name?: string;
  /** Default `downstream` (server → client), as in Toxiproxy. */
  stream?: StreamDirection;
  /** Probability per connection, 0–1 (default 1). */
  toxicity?: number;
}

function build<T extends ToxicType>(type: T, attributes: ToxicAttributes[T], options: ToxicOptions = {}): ToxicInput<T> {
  return {
    type,
    attributes,
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.stream === undefined ? {} : { stream: options.stream }),
    ...(options.toxicity === undefined ? {} : { toxicity: options.toxicity }),
  };
}

/**
 * Typed builders for every fault, in Toxiproxy's JSON shape:
 * `toxic.latency(800, { jitter: 100 })`, `toxic.resetPeer()`, `toxic.down()`.
 */
export const toxic = {
  /** Delay every chunk by `ms` ± `jitter` ms. */
  latency: (ms: number, options: ToxicOptions & { jitter?: number } = {}) => build('latency', { latency: ms, jitter: options.jitter ?? 0 }, options),
  /** Cap throughput at `kilobytesPerSecond` (1 KB = 1 000 bytes). */
  bandwidth: (kilobytesPerSecond: number, options?: ToxicOptions) => build('bandwidth', { rate: kilobytesPerSecond }, options),
  /** Hold the close for `ms`. */
  slowClose: (ms: number, options?: ToxicOptions) => build('slow_close', { delay: ms }, options),
  /** Black-hole the data; close after `ms` without data (0: never, until removed). */
  timeout: (ms = 0, options?: ToxicOptions) => build('timeout', { timeout: ms }, options),
  /** Reset (RST) the connection `afterMs` after the first data. */
  resetPeer: (afterMs = 0, options?: ToxicOptions) => build('reset_peer', { timeout: afterMs }, options),
  /** Slice data into small pieces, `delayMicros` apart. */
  slicer: (averageSize: number, options: ToxicOptions & { sizeVariation?: number; delayMicros?: number } = {}) =>
    build('slicer', { average_size: averageSize, size_variation: options.sizeVariation ?? 0, delay: options.delayMicros ?? 0 }, options),
  /** Close the connection after `bytes` bytes. */
  limitData: (bytes: number, options?: ToxicOptions) => build('limit_data', { bytes }, options),
  /** Refuse new connections and cut open ones (the proxy's `enabled: false`). */
  down: (): DownFault => ({ type: 'down' }),
};

/** A short human description of a fault: `latency 800±100 ms downstream`, `down`. */
export function describeFault(fault: ProxyFault | Toxic): string {
  if (fault.type === 'down') return 'down';
  const t = fault as ToxicInput;
  const a = (t.attributes ?? {}) as Record<string, number | undefined>;
  const stream = t.stream ?? 'downstream';
  const odds = t.toxicity !== undefined && t.toxicity < 1 ? ` (toxicity ${t.toxicity})` : '';
  const detail: Record<ToxicType, string> = {
    latency: `latency ${a.latency ?? 0}${a.jitter ? `±${a.jitter}` : ''} ms`,
    bandwidth: `bandwidth ${a.rate ?? 0} KB/s`,
    slow_close: `slow_close ${a.delay ?? 0} ms`,
    timeout: a.timeout ? `timeout ${a.timeout} ms` : 'timeout (black hole)',
    reset_peer: `reset_peer after ${a.timeout ?? 0} ms`,
    slicer: `slicer ${a.average_size ?? 0}±${a.size_variation ?? 0} B every ${a.delay ?? 0} µs`,
    limit_data: `limit_data ${a.bytes ?? 0} B`,
  };
  return `${detail[t.type]} ${stream}${odds}`;
}
