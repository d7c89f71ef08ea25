import type { Socket } from 'node:net';
import type { TrafficStats } from './handle.ts';
import { createStage, type Sink, type Stage, type StageHost } from './stages.ts';
import type { StreamDirection, Toxic } from './toxics.ts';

/** Byte and connection counters of one in-process proxy: proof that traffic really went through it. */
export interface ProxyStats extends TrafficStats {
  connections: NonNullable<TrafficStats['connections']>;
}

/** Fresh, zeroed counters. */
export function emptyStats(): ProxyStats {
  return {
    connections: { total: 0, active: 0, upstreamFailed: 0, closedByToxic: 0, reset: 0 },
    upstream: { received: 0, sent: 0 },
    downstream: { received: 0, sent: 0 },
  };
}

/** Above this many bytes held in toxics (or a full socket buffer), the source is paused. */
const HIGH_WATER = 1 << 20;

/**
 * One proxied connection: a client socket, an upstream socket and, for each
 * direction, the chain of toxic stages the bytes go through. Half-closes are
 * passed on (both sockets allow half-open), resets are passed on as resets.
 */
export class Link {
  private readonly client: Socket;
  private readonly server: Socket;
  private readonly directions: Record<StreamDirection, Direction>;
  private readonly stats: ProxyStats;
  private finished = false;
  private closedSockets = 0;
  private readonly onGone: () => void;

  constructor(client: Socket, server: Socket, toxics: readonly Toxic[], stats: ProxyStats, onGone: () => void) {
    this.client = client;
    this.server = server;
    this.stats = stats;
    this.onGone = onGone;
    client.setNoDelay(true);
    server.setNoDelay(true);
    const host: StageHost = { close: () => this.close(), reset: () => this.reset(), drained: () => this.pressure() };
    this.directions = {
      upstream: new Direction(client, server, stats.upstream, host, () => this.endedOne()),
      downstream: new Direction(server, client, stats.downstream, host, () => this.endedOne()),
    };
    for (const toxic of toxics) this.addToxic(toxic);
    server.on('connect', () => this.pressure());
    for (const [socket, other] of [[client, server], [server, client]] as const) {
      socket.on('drain', () => this.pressure());
      socket.on('error', (error: NodeJS.ErrnoException) => {
        if (this.finished) return;
        if (socket === server && server.connecting) stats.connections.upstreamFailed += 1;
        if (error.code === 'ECONNRESET') {
          stats.connections.reset += 1;
          resetSocket(other);
        } else {
          other.destroy();
        }
        this.dispose();
      });
      // A clean close needs nothing from us: the other socket closes once its own flow has ended.
      socket.on('close', () => {
        this.closedSockets += 1;
        if (this.closedSockets === 2) this.gone();
      });
    }
  }

  addToxic(toxic: Toxic): void {
    this.directions[toxic.stream].add(toxic);
  }

  updateToxic(toxic: Toxic): void {
    this.directions[toxic.stream].replace(toxic);
  }

  removeToxic(toxic: Toxic): void {
    this.directions[toxic.stream].remove(toxic.name);
  }

  /** Cut the connection (the proxy went down or was deleted). */
  destroy(): void {
    this.dispose();
    this.client.destroy();
    this.server.destroy();
  }

  /** Close both sides gracefully (FIN after pending writes). */
  private close(): void {
    if (this.finished) return;
    this.stats.connections.closedByToxic += 1;
    this.dispose();
    for (const socket of [this.client, this.server]) {
      socket.pause();
      socket.end(() => socket.destroy());
    }
  }

  /** Reset both sides (TCP RST), as Toxiproxy's reset_peer does with SO_LINGER 0. */
  private reset(): void {
    if (this.finished) return;
    this.stats.connections.reset += 1;
    this.dispose();
    resetSocket(this.client);
    resetSocket(this.server);
  }

  private endedOne(): void {
    if (this.directions.upstream.ended && this.directions.downstream.ended) this.dispose();
  }

  private pressure(): void {
    if (this.finished) return;
    this.directions.upstream.pressure();
    this.directions.downstream.pressure();
  }

  private dispose(): void {
    if (this.finished) return;
    this.finished = true;
    this.directions.upstream.dispose();
    this.directions.downstream.dispose();
  }

  private gone(): void {
    this.dispose();
    this.onGone();
  }
}

function resetSocket(socket: Socket): void {
  if (socket.destroyed) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}

/** One direction of a link: source socket → toxic stages → destination socket. */
class Direction {
  private readonly source: Socket;
  private readonly destination: Socket;
  private readonly stages: { name: string; stage: Stage }[] = [];
  private readonly sink: Sink;
  private readonly host: StageHost;
  ended = false;
  private disposed = false;

  constructor(source: Socket, destination: Socket, counters: { received: number; sent: number }, host: StageHost, onEnded: () => void) {
    this.source = source;
    this.destination = destination;
    this.host = host;
    this.sink = {
      write: (chunk) => {
        if (this.disposed || destination.destroyed) return;
        counters.sent += chunk.length;
        if (!destination.write(chunk)) this.pressure();
      },
      end: () => {
        this.ended = true;
        if (!destination.destroyed) destination.end();
        onEnded();
      },
    };
    source.on('data', (chunk: Buffer) => {
      if (this.disposed) return;
      counters.received += chunk.length;
      this.head().write(chunk);
      this.pressure();
    });
    source.on('end', () => {
      if (!this.disposed) this.head().end();
    });
  }

  private head(): Sink {
    return this.stages[0]?.stage ?? this.sink;
  }

  /** Pause the source while the destination's buffer is full or the toxics hold too much. */
  pressure(): void {
    const held = this.stages.reduce((sum, { stage }) => sum + stage.pending, 0);
    const full = this.destination.writableNeedDrain || held > HIGH_WATER;
    if (full && !this.source.isPaused()) this.source.pause();
    else if (!full && this.source.isPaused() && !this.disposed) this.source.resume();
  }

  add(toxic: Toxic): void {
    const stage = createStage(toxic, this.sink, this.host);
    this.stages.push({ name: toxic.name, stage });
    this.relink();
  }

  replace(toxic: Toxic): void {
    const index = this.stages.findIndex((entry) => entry.name === toxic.name);
    if (index < 0) return;
    this.stages[index]!.stage.flush();
    this.stages[index] = { name: toxic.name, stage: createStage(toxic, this.sink, this.host) };
    this.relink();
  }

  remove(name: string): void {
    const index = this.stages.findIndex((entry) => entry.name === name);
    if (index < 0) return;
    const [removed] = this.stages.splice(index, 1);
    removed!.stage.flush();
    this.relink();
    this.pressure();
  }

  private relink(): void {
    this.stages.forEach((entry, index) => { entry.stage.next = this.stages[index + 1]?.stage ?? this.sink; });
  }

  dispose(): void {
    this.disposed = true;
    for (const { stage } of this.stages) stage.dispose();
  }
}
