/**
 * A local HTTP server with known behaviour, to test load checks and SLO configs
 * against: a fixed delay, periodic stalls, an error on every Nth request, and a
 * Prometheus `/metrics` endpoint with its own process metrics. Listens on
 * 127.0.0.1, port 0 unless given.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoadTargetOptions {
  /** Every response waits this long (ms). */
  delayMs?: number;
  /** Stall for `forMs` at the start of every `everyMs` window: requests arriving in a stall are answered when it ends. */
  stall?: { everyMs: number; forMs: number };
  /**
   * A known capacity: at most `concurrency` requests served at once, each taking `serviceMs`; the rest queue.
   * It saturates at concurrency × 1000 / serviceMs requests/s, and latency climbs past that.
   */
  capacity?: { concurrency: number; serviceMs: number };
  /** Every Nth request (N, 2N, …) gets `errorStatus`. */
  errorEvery?: number;
  /** Default 500. */
  errorStatus?: number;
  /** Record each request's arrival time (performance.now() ms) in `arrivals`. */
  recordArrivals?: boolean;
  /** The response body (default `ok`). */
  body?: string;
  port?: number;
}

export interface LoadTarget {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** `http://127.0.0.1:<port>/metrics`: process_cpu_seconds_total and process_resident_memory_bytes of this process. */
  metricsUrl: string;
  /** Requests answered or pending so far (not counting /metrics). */
  readonly requests: number;
  /** Arrival times when `recordArrivals` is set. */
  readonly arrivals: number[];
  /** Forget the counts. */
  reset(): void;
  close(): Promise<void>;
}

export async function startLoadTarget(options: LoadTargetOptions = {}): Promise<LoadTarget> {
  const body = Buffer.from(options.body ?? 'ok');
  const started = performance.now();
  let requests = 0;
  let arrivals: number[] = [];
  const reply = (response: ServerResponse, status: number) => {
    if (response.destroyed) return;
    response.writeHead(status, { 'content-type': 'text/plain', 'content-length': body.length });
    response.end(body);
  };
  const queue: (() => void)[] = [];
  let serving = 0;
  const serve = (job: () => void) => {
    const { concurrency, serviceMs } = options.capacity!;
    if (serving >= concurrency) return void queue.push(job);
    serving += 1;
    setTimeout(() => {
      serving -= 1;
      job();
      const next = queue.shift();
      if (next) serve(next);
    }, serviceMs);
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.url === '/metrics') return metrics(response);
    const now = performance.now();
    requests += 1;
    if (options.recordArrivals) arrivals.push(now);
    const status = options.errorEvery && requests % options.errorEvery === 0 ? options.errorStatus ?? 500 : 200;
    let wait = options.delayMs ?? 0;
    if (options.stall) {
      const phase = (now - started) % options.stall.everyMs;
      if (phase < options.stall.forMs) wait = Math.max(wait, options.stall.forMs - phase);
    }
    const answer = () => (wait <= 0 ? reply(response, status) : setTimeout(reply, wait, response, status));
    if (options.capacity) serve(answer);
    else answer();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    metricsUrl: `http://127.0.0.1:${port}/metrics`,
    get requests() {
      return requests;
    },
    get arrivals() {
      return arrivals;
    },
    reset() {
      requests = 0;
      arrivals = [];
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function metrics(response: ServerResponse): void {
  const cpu = process.cpuUsage();
  const text = [
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`,
    '# TYPE process_resident_memory_bytes gauge',
    `process_resident_memory_bytes ${process.memoryUsage.rss()}`,
    '',
  ].join('\n');
  response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
  response.end(text);
}
