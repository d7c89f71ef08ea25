/**
 * The fast path for plain http:// targets: one raw TCP socket per connection,
 * requests written as prepared bytes (a batch of pipelined requests is one
 * write), responses framed by {@link ResponseParser}, one clock read per socket
 * read. Everything is still counted: statuses, response checks, bytes, parse
 * errors and connection errors by kind. A `Connection: close` response is honoured:
 * what was pipelined behind it is sent again on a new connection.
 */
import { connect, type Socket } from 'node:net';
import { BAD_STATUS, CHECK_FAILED, IDLE_SINK, OK, type Driver, type DriverSink } from '../engine/driver.ts';
import { ParseError, ResponseParser, parseHeaderText, type ParserHandler } from './parser.ts';
import type { RequestSource, ResolvedRequest, ResponseCheck } from './request.ts';
import { preflight, unreachable } from './preflight.ts';

export interface FastDriverOptions {
  host: string;
  port: number;
  /** For messages: the redacted URL. */
  label: string;
  connections: number;
  pipelining: number;
  /** The one request sent every time, or a source of one per iteration. */
  request: ResolvedRequest | RequestSource;
  /** Acceptable statuses, indexed by status code. */
  statuses: Uint8Array;
  check?: ResponseCheck;
  connectTimeoutMs: number;
}

/** Each connection reads into one buffer of this size. */
const READ_BUFFER_BYTES = 64 * 1024;
/** Reconnect backoff after a failed connect: 10 ms doubling to 1 s. */
const BACKOFF_MIN_MS = 10;
const BACKOFF_MAX_MS = 1_000;

export function createFastDriver(options: FastDriverOptions): Driver {
  return new FastDriver(options);
}

class FastDriver implements Driver {
  readonly name = 'http-fast';
  readonly lanes: number;
  readonly depth: number;
  sink: DriverSink = IDLE_SINK;
  private readonly connections: Connection[];
  private readonly one: Buffer | undefined;
  private readonly many: Buffer | undefined;
  private iteration = 0;

  readonly options: FastDriverOptions;

  constructor(options: FastDriverOptions) {
    this.options = options;
    this.lanes = options.connections;
    this.depth = options.pipelining;
    if (typeof options.request !== 'function') {
      this.one = options.request.bytes;
      this.many = Buffer.concat(Array.from({ length: this.depth }, () => this.one!));
    }
    this.connections = Array.from({ length: this.lanes }, (_, lane) => new Connection(this, lane));
  }

  async open(signal: AbortSignal | undefined): Promise<void> {
    const { label, connectTimeoutMs } = this.options;
    await Promise.all(this.connections.map((connection) => connection.connect(connectTimeoutMs, signal).catch((error: unknown) => {
      throw unreachable(label, error);
    })));
    await preflight(this, label, connectTimeoutMs, signal);
    this.iteration = 0;   // the preflight sent iteration 0 once more; the load starts the sequence again
  }

  send(lane: number, count: number): void {
    const connection = this.connections[lane]!;
    const socket = connection.socket ?? connection.start();
    if (this.one) {
      socket.write(count === 1 ? this.one : this.many!.subarray(0, count * this.one.length));
      return;
    }
    const source = this.options.request as RequestSource;
    const parts: Buffer[] = [];
    for (let k = 0; k < count; k++) {
      const request = source(this.iteration++);
      connection.pushNoBody(request.noBody);
      parts.push(request.bytes);
    }
    socket.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }

  abort(lane: number): void {
    this.connections[lane]!.drop();
  }

  async close(): Promise<void> {
    for (const connection of this.connections) connection.drop();
  }

  /** Verdict of a response (hot path). */
  verdict(status: number, parser: ResponseParser): number {
    if (this.options.statuses[status < 1_000 ? status : 999] !== 1) return BAD_STATUS;
    const check = this.options.check;
    if (!check) return OK;
    try {
      return check({ status, headers: parseHeaderText(parser.headerText), body: parser.body() }) ? OK : CHECK_FAILED;
    } catch {
      return CHECK_FAILED;
    }
  }
}

class Connection implements ParserHandler {
  socket: Socket | undefined;
  private readonly parser: ResponseParser;
  private generation = 0;
  private now = 0;
  private closing = false;
  private failures = 0;
  private noBodies: boolean[] = [];
  private readonly staticNoBody: boolean;
  private readonly readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);

  private readonly driver: FastDriver;
  private readonly lane: number;

  constructor(driver: FastDriver, lane: number) {
    this.driver = driver;
    this.lane = lane;
    this.parser = new ResponseParser(this);
    this.parser.collect = driver.options.check !== undefined;
    const request = driver.options.request;
    this.staticNoBody = typeof request === 'function' ? false : request.noBody;
  }

  /** Open the socket for the preflight: resolves on connect, rejects on error or timeout. */
  connect(timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const socket = this.start();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(Object.assign(new Error(`connect timed out after ${timeoutMs} ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      const onAbort = () => fail(signal?.reason);
      const fail = (error: unknown) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.drop();
        reject(error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      socket.once('error', fail);
    });
  }

  /** A new socket for this lane; writes before it connects are buffered by Node. */
  start(): Socket {
    const generation = ++this.generation;
    const { host, port } = this.driver.options;
    // Reads land in this connection's own buffer (no Buffer per read); the parser copies whatever it keeps.
    const socket = connect({
      host, port, noDelay: true,
      onread: {
        buffer: this.readBuffer,
        callback: (bytes: number, buffer: Uint8Array) => {
          if (generation === this.generation) this.onData((buffer as Buffer).subarray(0, bytes));
          return true;
        },
      },
    });
    this.socket = socket;
    this.parser.reset();
    this.noBodies = [];
    this.closing = false;
    let kind = 'connection closed';
    let connected = false;
    socket.on('connect', () => {
      connected = true;
    });
    socket.on('end', () => {
      if (generation === this.generation) {
        this.now = performance.now();
        this.parser.end();
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      kind = error.code ?? error.name;
    });
    socket.on('close', () => {
      if (generation !== this.generation) return;
      this.socket = undefined;
      const sink = this.driver.sink;
      const now = performance.now();
      sink.fail(this.lane, kind, now, true);
      if (connected) {
        this.failures = 0;
        sink.after(this.lane, now);
      } else {
        this.failures += 1;
        const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** (this.failures - 1));
        setTimeout(() => {
          if (generation === this.generation) this.driver.sink.after(this.lane, performance.now());
        }, delay).unref();
      }
    });
    return socket;
  }

  /** Forget this socket and everything in flight on it; no callback follows. */
  drop(): void {
    this.generation += 1;
    this.socket?.destroy();
    this.socket = undefined;
  }

  pushNoBody(noBody: boolean): void {
    this.noBodies.push(noBody);
  }

  noBody(): boolean {
    return this.noBodies.length === 0 ? this.staticNoBody : this.noBodies.shift()!;
  }

  complete(status: number, keepAlive: boolean): void {
    this.driver.sink.done(this.lane, status, this.driver.verdict(status, this.parser), this.now);
    if (!keepAlive) this.closing = true;
  }

  private onData(chunk: Buffer): void {
    const sink = this.driver.sink;
    this.now = performance.now();
    sink.received(chunk.length);
    try {
      this.parser.feed(chunk);
    } catch (error) {
      this.drop();
      sink.fail(this.lane, error instanceof ParseError ? 'bad response' : 'error', this.now, true);
      sink.after(this.lane, this.now);
      return;
    }
    if (this.closing) {
      // The server said Connection: close: what is still in flight was never answered and goes again.
      this.drop();
      sink.requeue(this.lane);
    }
    sink.after(this.lane, this.now);
  }
}
