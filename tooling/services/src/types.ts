/** A service that probe's tests and demo run against. */
export type ServiceName = 'pg' | 'redis' | 'kafka' | 'amqp' | 'nats';

/** Something that writes one line of progress or diagnostics (stderr by default). */
export type LogLine = (line: string) => void;

/** A service that could not be brought up, and why. */
export interface MissingService {
  /** Which service. */
  name: ServiceName;
  /** Its environment variable, e.g. `PROBE_KAFKA_BROKERS`. */
  env: string;
  /** What went wrong, in one or two sentences (the last error seen). */
  why: string;
  /** What a person can do about it. */
  hint: string;
}

/** A service this package started during one `ensureServices` call. */
export interface StartedService {
  name: ServiceName;
  /** `local` = a process on this machine; `container` = testcontainers. */
  via: 'local' | 'container';
  /** Wall-clock milliseconds from deciding to start it until it answered. */
  ms: number;
}

/** What `ensureServices` found or made. */
export interface EnsureResult {
  /** The URL (Kafka: the broker list) of every service that answers. */
  urls: Partial<Record<ServiceName, string>>;
  /** The same as environment variables, e.g. `{ PROBE_PG_URL: 'postgres://…' }`. */
  env: Record<string, string>;
  /** The services that do not answer and could not be started. */
  missing: MissingService[];
  /** The services started by this call. */
  started: StartedService[];
}

/**
 * The record of a service this package started, kept in the state directory
 * so that `down` stops exactly that and nothing else.
 */
export interface Ownership {
  name: ServiceName;
  /** `process`: a local process by pid; `container`: a testcontainers container by id. */
  kind: 'process' | 'container';
  /** Local process id (kind `process`). */
  pid?: number;
  /** A string its `/proc/<pid>/cmdline` must contain, so a recycled pid is never signalled. */
  match?: string;
  /** Its start time in clock ticks since boot, to tell it from a later process with the same pid. */
  procStart?: number;
  /** The signal that shuts it down cleanly (default SIGTERM). */
  stopSignal?: NodeJS.Signals;
  /** Container id (kind `container`). */
  containerId?: string;
  /** Where it answers. */
  url: string;
  /** ISO time it was started. */
  startedAt: string;
  /** Milliseconds it took to answer after the start began. */
  startMs?: number;
}

/** One line of `status`. */
export interface ServiceStatus {
  name: ServiceName;
  env: string;
  url: string;
  up: boolean;
  /** The error when it is down. */
  error?: string;
  /** The record when this package started it and it is still alive. */
  owned?: Ownership;
}
