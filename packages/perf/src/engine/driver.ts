/**
 * What the engine drives: a transport with `lanes` (connections, or concurrent
 * callers for `load(fn)`), each holding up to `depth` requests in flight
 * (pipelining). Responses on a lane complete in the order their requests were
 * sent, so the engine keeps each lane's send times in a FIFO and a driver only
 * says "the oldest request on this lane ended, like this".
 */

/** Verdicts a driver gives a response in {@link DriverSink.done}. */
export const OK = 0;
export const BAD_STATUS = 1;
export const CHECK_FAILED = 2;

/** How a driver reports back to the engine. Every method is on the hot path. */
export interface DriverSink {
  /** The oldest request in flight on `lane` got a response; `verdict`: 0 ok, 1 unexpected status, 2 failed response check. */
  done(lane: number, status: number, verdict: number, now: number): void;
  /** The oldest (or, with `all`, every) request in flight on `lane` failed without a response. */
  fail(lane: number, kind: string, now: number, all: boolean): void;
  /** The server closed the lane cleanly (`Connection: close`) before answering what is still in flight: send those again. */
  requeue(lane: number): void;
  /** A batch of callbacks for `lane` is over (one socket read): the engine may send more on it. */
  after(lane: number, now: number): void;
  /** Bytes received (for the result). */
  received(bytes: number): void;
}

export interface Driver {
  /** Where callbacks go; the engine sets it before each run (capacity steps reuse one driver). */
  sink: DriverSink;
  /** Connections (or concurrent callers). */
  readonly lanes: number;
  /** Requests in flight per lane at most (pipelining depth; 1 for load(fn)). */
  readonly depth: number;
  /** What the driver is, for the result: `http-fast`, `undici`, `function`. */
  readonly name: string;
  /**
   * Connect (or check the function once) before any measurement. Throws a
   * ProbeError with PROBE_ERR_UNREACHABLE when the target cannot be reached.
   */
  open(signal: AbortSignal | undefined): Promise<void>;
  /** Send `count` requests on `lane` (the engine has stamped their times already). */
  send(lane: number, count: number): void;
  /** Forget everything in flight on `lane` (after a timeout): no callback may follow for those requests. */
  abort(lane: number): void;
  /** Close every connection. */
  close(): Promise<void>;
}

/** A sink that ignores everything: a driver's sink between runs. */
export const IDLE_SINK: DriverSink = { done() {}, fail() {}, requeue() {}, after() {}, received() {} };
