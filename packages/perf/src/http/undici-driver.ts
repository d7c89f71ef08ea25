/**
 * The undici path (https://, or `engine: 'undici'`): one `Client` per connection
 * and `dispatch` with one reused handler per connection: the leanest way through
 * undici (no promises or streams per request). Pipelining sets `blocking: false`,
 * without which undici writes nothing more until the previous response's headers
 * arrive. Per-request timeouts are the engine's, so undici's own are off.
 */
import { Client } from 'undici';
import type { Dispatcher } from 'undici';
import { BAD_STATUS, CHECK_FAILED, IDLE_SINK, OK, type Driver, type DriverSink } from '../engine/driver.ts';
import { MAX_COLLECTED_BODY } from './parser.ts';
import { preflight } from './preflight.ts';
import type { RequestSource, ResolvedRequest, ResponseCheck } from './request.ts';

export interface UndiciDriverOptions {
  origin: string;
  label: string;
  connections: number;
  pipelining: number;
  request: ResolvedRequest | RequestSource;
  statuses: Uint8Array;
  check?: ResponseCheck;
  connectTimeoutMs: number;
  /** TLS options for https:// targets (e.g. `{ rejectUnauthorized: false }` for a self-signed test server). */
  tls?: Record<string, unknown>;
}

export function createUndiciDriver(options: UndiciDriverOptions): Driver {
  return new UndiciDriver(options);
}

class UndiciDriver implements Driver {
  readonly name = 'undici';
  readonly lanes: number;
  readonly depth: number;
  sink: DriverSink = IDLE_SINK;
  private readonly lanesState: Lane[];
  private readonly fixed: Dispatcher.DispatchOptions | undefined;
  private iteration = 0;

  readonly options: UndiciDriverOptions;

  constructor(options: UndiciDriverOptions) {
    this.options = options;
    this.lanes = options.connections;
    this.depth = options.pipelining;
    if (typeof options.request !== 'function') this.fixed = this.dispatchOptions(options.request);
    this.lanesState = Array.from({ length: this.lanes }, (_, lane) => new Lane(this, lane));
  }

  async open(signal: AbortSignal | undefined): Promise<void> {
    await preflight(this, this.options.label, this.options.connectTimeoutMs, signal);
    this.iteration = 0;   // the preflight sent iteration 0 once more; the load starts the sequence again
  }

  send(lane: number, count: number): void {
    const state = this.lanesState[lane]!;
    for (let k = 0; k < count; k++) {
      const options = this.fixed ?? this.dispatchOptions((this.options.request as RequestSource)(this.iteration++));
      state.client.dispatch(options, state.handler);
    }
  }

  abort(lane: number): void {
    this.lanesState[lane]!.renew();
  }

  async close(): Promise<void> {
    await Promise.all(this.lanesState.map((lane) => lane.client.destroy().catch(() => {})));
  }

  newClient(): Client {
    return new Client(this.options.origin, {
      pipelining: this.depth,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: this.options.connectTimeoutMs, ...(this.options.tls ?? {}) },
    });
  }

  verdict(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer[]): number {
    if (this.options.statuses[status < 1_000 ? status : 999] !== 1) return BAD_STATUS;
    const check = this.options.check;
    if (!check) return OK;
    const flat: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    try {
      return check({ status, headers: flat, body: body.length === 1 ? body[0]! : Buffer.concat(body) }) ? OK : CHECK_FAILED;
    } catch {
      return CHECK_FAILED;
    }
  }

  private dispatchOptions(request: ResolvedRequest): Dispatcher.DispatchOptions {
    const { host: _host, ...headers } = request.headers;
    return {
      origin: this.options.origin,
      path: request.path,
      method: request.method as Dispatcher.HttpMethod,
      headers,
      body: request.body ?? null,
      ...(this.depth > 1 ? { blocking: false } : {}),
    };
  }
}

class Lane {
  client: Client;
  handler!: Dispatcher.DispatchHandler;
  private generation = 0;

  private readonly driver: UndiciDriver;
  private readonly lane: number;

  constructor(driver: UndiciDriver, lane: number) {
    this.driver = driver;
    this.lane = lane;
    this.client = driver.newClient();
    this.handler = this.makeHandler();
  }

  /** Drop the client and what is in flight on it (its late callbacks are ignored), and start a new one. */
  renew(): void {
    this.generation += 1;
    this.client.destroy().catch(() => {});
    this.client = this.driver.newClient();
    this.handler = this.makeHandler();
  }

  private makeHandler(): Dispatcher.DispatchHandler {
    const self = this;
    const generation = this.generation;
    const driver = this.driver;
    const lane = this.lane;
    const collect = driver.options.check !== undefined;
    let status = 0;
    let headers: Record<string, string | string[] | undefined> = {};
    let body: Buffer[] = [];
    let bodyLength = 0;
    return {
      onRequestStart() {},
      onResponseStart(_controller, statusCode, responseHeaders) {
        status = statusCode;
        if (collect) {
          headers = responseHeaders;
          body = [];
          bodyLength = 0;
        }
      },
      onResponseData(_controller, chunk) {
        if (generation !== self.generation) return;
        driver.sink.received(chunk.length);
        if (collect && bodyLength < MAX_COLLECTED_BODY) {
          body.push(chunk);
          bodyLength += chunk.length;
        }
      },
      onResponseEnd() {
        if (generation !== self.generation) return;
        const now = performance.now();
        driver.sink.done(lane, status, driver.verdict(status, headers, body), now);
        driver.sink.after(lane, now);
      },
      onResponseError(_controller, error) {
        if (generation !== self.generation) return;
        const now = performance.now();
        driver.sink.fail(lane, (error as NodeJS.ErrnoException).code ?? error.name, now, false);
        driver.sink.after(lane, now);
      },
    };
  }
}
