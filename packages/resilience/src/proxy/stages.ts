import type { Toxic } from './toxics.ts';

/** Where a stage hands bytes on: the next stage, or the destination socket. */
export interface Sink {
  write(chunk: Buffer): void;
  /** The source has ended (EOF): end once everything before it is handed on. */
  end(): void;
}

/** What a stage may do to the whole connection. */
export interface StageHost {
  /** Close both sides (FIN), as Toxiproxy's `timeout` and `limit_data` do. */
  close(reason: string): void;
  /** Reset both sides (RST), as `reset_peer` does. */
  reset(): void;
  /** Bytes left a stage: the source may be resumed. */
  drained(): void;
}

/** One toxic acting on one direction of one connection. */
export interface Stage extends Sink {
  next: Sink;
  /** Bytes held back right now (for backpressure). */
  readonly pending: number;
  /** The toxic was removed: hand on everything held at once (Toxiproxy: "don't drop any data on the floor"). */
  flush(): void;
  /** The connection is gone: stop timers. */
  dispose(): void;
}

/**
 * The stage for a toxic on one connection. `toxicity` is drawn here, once per
 * connection and direction (and again on update), as Toxiproxy does: a miss
 * yields a pass-through stage that keeps the toxic's place in the chain.
 */
export function createStage(toxic: Toxic, next: Sink, host: StageHost, random: () => number = Math.random): Stage {
  if (random() >= toxic.toxicity) return new PassThrough(next);
  const a = toxic.attributes as unknown as Record<string, number>;
  switch (toxic.type) {
    case 'latency': return new Latency(next, host, a.latency!, a.jitter!, random);
    case 'bandwidth': return a.rate! > 0 ? new Bandwidth(next, host, a.rate!) : new PassThrough(next);
    case 'slow_close': return new SlowClose(next, a.delay!);
    case 'timeout': return new Timeout(next, host, a.timeout!);
    case 'reset_peer': return new ResetPeer(next, host, a.timeout!);
    case 'slicer': return new Slicer(next, host, a.average_size!, a.size_variation!, a.delay!, random);
    case 'limit_data': return new LimitData(next, host, a.bytes!);
  }
}

class PassThrough implements Stage {
  readonly pending = 0;
  next: Sink;
  constructor(next: Sink) { this.next = next; }
  write(chunk: Buffer): void { this.next.write(chunk); }
  end(): void { this.next.end(); }
  flush(): void {}
  dispose(): void {}
}

/**
 * Chunks (and the end marker) released in order at their due times (performance.now()).
 * Due times are absolute, so a late timer does not push every later chunk back.
 */
abstract class TimedQueue implements Stage {
  next: Sink;
  protected readonly host: StageHost;
  private readonly queue: { due: number; chunk: Buffer | null }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private held = 0;
  protected lastDue = 0;
  constructor(next: Sink, host: StageHost) {
    this.next = next;
    this.host = host;
  }
  get pending(): number { return this.held; }
  protected enqueue(chunk: Buffer | null, due: number): void {
    this.lastDue = Math.max(this.lastDue, due);
    this.queue.push({ due: this.lastDue, chunk });
    if (chunk) this.held += chunk.length;
    this.schedule();
  }
  abstract write(chunk: Buffer): void;
  end(): void {
    if (this.queue.length === 0) this.next.end();
    else this.enqueue(null, this.lastDue);
  }
  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => this.release(), Math.max(0, this.queue[0]!.due - performance.now()));
  }
  private release(): void {
    this.timer = undefined;
    const now = performance.now() + 0.5;
    let released = false;
    while (this.queue.length > 0 && this.queue[0]!.due <= now) this.emit(this.queue.shift()!), released = true;
    if (released) this.host.drained();
    this.schedule();
  }
  private emit(item: { chunk: Buffer | null }): void {
    if (item.chunk === null) return this.next.end();
    this.held -= item.chunk.length;
    this.next.write(item.chunk);
  }
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length > 0) this.emit(this.queue.shift()!);
    this.host.drained();
  }
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue.length = 0;
    this.held = 0;
  }
}

class Latency extends TimedQueue {
  private readonly latency: number;
  private readonly jitter: number;
  private readonly random: () => number;
  constructor(next: Sink, host: StageHost, latency: number, jitter: number, random: () => number) {
    super(next, host);
    this.latency = latency;
    this.jitter = jitter;
    this.random = random;
  }
  write(chunk: Buffer): void {
    const delay = this.jitter > 0 ? this.latency + (this.random() * 2 - 1) * this.jitter : this.latency;
    this.enqueue(chunk, performance.now() + Math.max(0, delay));
  }
}

class Bandwidth extends TimedQueue {
  /** Bytes per millisecond: `rate` KB/s = `rate` × 1 000 B / 1 000 ms. */
  private readonly bytesPerMs: number;
  constructor(next: Sink, host: StageHost, rate: number) {
    super(next, host);
    this.bytesPerMs = rate;
  }
  write(chunk: Buffer): void {
    // Slices of at most 100 ms worth of bytes, each released when the link would have carried it.
    const slice = Math.max(1, Math.floor(this.bytesPerMs * 100));
    let cursor = Math.max(this.lastDue, performance.now());
    for (let offset = 0; offset < chunk.length; offset += slice) {
      const piece = chunk.subarray(offset, offset + slice);
      cursor += piece.length / this.bytesPerMs;
      this.enqueue(piece, cursor);
    }
  }
}

class Slicer extends TimedQueue {
  private readonly average: number;
  private readonly variation: number;
  private readonly delayMs: number;
  private readonly random: () => number;
  constructor(next: Sink, host: StageHost, average: number, variation: number, delayMicros: number, random: () => number) {
    super(next, host);
    this.average = Math.max(1, average);
    this.variation = Math.min(variation, this.average - 1);
    this.delayMs = delayMicros / 1_000;
    this.random = random;
  }
  write(chunk: Buffer): void {
    let due = Math.max(this.lastDue, performance.now());
    const cuts = this.cuts(0, chunk.length);
    for (let index = 1; index < cuts.length; index++) {
      this.enqueue(chunk.subarray(cuts[index - 1], cuts[index]), due);
      due += this.delayMs;
    }
  }
  /** Toxiproxy's recursive halving: pieces of about `average` ± `variation` bytes, without small ones bunching at an end. */
  private cuts(start: number, end: number): number[] {
    if (end - start - this.average <= this.variation) return [start, end];
    const offset = this.variation > 0 ? Math.floor(this.random() * this.variation * 2) - this.variation : 0;
    const middle = Math.min(end - 1, Math.max(start + 1, start + Math.floor((end - start) / 2) + offset));
    return [...this.cuts(start, middle), ...this.cuts(middle, end).slice(1)];
  }
}

class SlowClose implements Stage {
  readonly pending = 0;
  next: Sink;
  private readonly delay: number;
  private timer: NodeJS.Timeout | undefined;
  constructor(next: Sink, delay: number) {
    this.next = next;
    this.delay = delay;
  }
  write(chunk: Buffer): void { this.next.write(chunk); }
  end(): void {
    this.timer = setTimeout(() => { this.timer = undefined; this.next.end(); }, this.delay);
  }
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.next.end();
  }
  dispose(): void { clearTimeout(this.timer); }
}

class Timeout implements Stage {
  readonly pending = 0;
  next: Sink;
  private readonly host: StageHost;
  private readonly timeout: number;
  private timer: NodeJS.Timeout | undefined;
  constructor(next: Sink, host: StageHost, timeout: number) {
    this.next = next;
    this.host = host;
    this.timeout = timeout;
    this.arm();
  }
  /** Toxiproxy re-arms its timer on every chunk: the close comes `timeout` ms after the last data. */
  private arm(): void {
    if (this.timeout <= 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.host.close(`timeout toxic: no data passed for ${this.timeout} ms`), this.timeout);
  }
  write(): void { this.arm(); }
  end(): void { this.host.close('timeout toxic: the source closed'); }
  /** Removing a timeout toxic closes the connection: its data was dropped (Toxiproxy's Cleanup). */
  flush(): void {
    this.dispose();
    this.host.close('timeout toxic removed: data was dropped, so the connection is closed');
  }
  dispose(): void { clearTimeout(this.timer); }
}

class ResetPeer implements Stage {
  readonly pending = 0;
  next: Sink;
  private readonly host: StageHost;
  private readonly timeout: number;
  private timer: NodeJS.Timeout | undefined;
  constructor(next: Sink, host: StageHost, timeout: number) {
    this.next = next;
    this.host = host;
    this.timeout = timeout;
  }
  /** The first data (or EOF) starts the countdown; data is dropped meanwhile. */
  write(): void { this.start(); }
  end(): void { this.start(); }
  private start(): void {
    this.timer ??= setTimeout(() => this.host.reset(), this.timeout);
  }
  flush(): void { this.dispose(); }
  dispose(): void { clearTimeout(this.timer); }
}

class LimitData implements Stage {
  readonly pending = 0;
  next: Sink;
  private readonly host: StageHost;
  private readonly limit: number;
  private transmitted = 0;
  constructor(next: Sink, host: StageHost, limit: number) {
    this.next = next;
    this.host = host;
    this.limit = limit;
  }
  write(chunk: Buffer): void {
    const remaining = this.limit - this.transmitted;
    if (remaining <= 0) return this.host.close(`limit_data toxic: ${this.limit} bytes passed`);
    const piece = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
    this.transmitted += piece.length;
    this.next.write(piece);
    if (this.transmitted >= this.limit) this.host.close(`limit_data toxic: ${this.limit} bytes passed`);
  }
  end(): void { this.next.end(); }
  flush(): void {}
  dispose(): void {}
}
