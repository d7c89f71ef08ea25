/**
 * A load profile over time: piecewise-linear stages (ramp up, hold, ramp down).
 * For the open model the level is an arrival rate (requests/s) and the profile
 * gives each request its intended send time; for the closed model the level is
 * the number of active connections.
 */

/** One stage: move linearly from the previous level to `target` over `durationMs`. */
export interface Stage {
  durationMs: number;
  target: number;
}

interface Segment {
  startMs: number;
  durationMs: number;
  from: number;
  to: number;
  /** Arrivals before this segment (open model). */
  countBefore: number;
}

export class Profile {
  readonly durationMs: number;
  /** Arrivals over the whole profile (open model): requests intended at t < durationMs. */
  readonly totalCount: number;
  private readonly segments: Segment[];
  private cursor = 0;

  /** `start` is the level at t = 0; each stage ramps from the previous level to its target. */
  constructor(start: number, stages: readonly Stage[]) {
    this.segments = [];
    let level = start;
    let at = 0;
    let count = 0;
    for (const stage of stages) {
      if (stage.durationMs <= 0) {
        level = stage.target;
        continue;
      }
      this.segments.push({ startMs: at, durationMs: stage.durationMs, from: level, to: stage.target, countBefore: count });
      count += ((level + stage.target) / 2) * (stage.durationMs / 1_000);
      at += stage.durationMs;
      level = stage.target;
    }
    this.durationMs = at;
    this.totalCount = Math.ceil(count - 1e-9);
  }

  /** The level (rate or connections) at `t` ms. */
  levelAt(t: number): number {
    const segment = this.segmentAtTime(t);
    if (!segment) return this.segments.at(-1)?.to ?? 0;
    const fraction = Math.min(1, Math.max(0, (t - segment.startMs) / segment.durationMs));
    return segment.from + (segment.to - segment.from) * fraction;
  }

  /** The highest level anywhere in the profile. */
  peak(): number {
    return Math.max(0, ...this.segments.flatMap((segment) => [segment.from, segment.to]));
  }

  /** True when the level never changes (no ramp). */
  isConstant(): boolean {
    return this.segments.every((segment) => segment.from === segment.to && segment.to === this.segments[0]!.from);
  }

  /** Requests due by `t` ms (open model): request i is due once t >= timeOf(i); never more than totalCount. */
  dueAt(t: number): number {
    if (t < 0) return 0;
    if (t >= this.durationMs) return this.totalCount;
    const segment = this.segmentAtTime(t)!;
    const tau = (t - segment.startMs) / 1_000;
    const slope = (segment.to - segment.from) / (segment.durationMs / 1_000);
    const count = segment.countBefore + segment.from * tau + (slope * tau * tau) / 2;
    return Math.min(this.totalCount, Math.floor(count + 1e-9) + 1);
  }

  /** Intended send time (ms from the start) of request i (0-based); Infinity past the end. */
  timeOf(i: number): number {
    if (i >= this.totalCount) return Infinity;
    let index = Math.min(this.cursor, this.segments.length - 1);
    while (index > 0 && this.segments[index]!.countBefore > i) index -= 1;
    while (index + 1 < this.segments.length && this.segments[index + 1]!.countBefore <= i) index += 1;
    this.cursor = index;
    const segment = this.segments[index]!;
    const n = i - segment.countBefore;
    const seconds = segment.durationMs / 1_000;
    const slope = (segment.to - segment.from) / seconds;
    let tau: number;
    if (Math.abs(slope) < 1e-12) tau = segment.from > 0 ? n / segment.from : seconds;
    else tau = (-segment.from + Math.sqrt(Math.max(0, segment.from * segment.from + 2 * slope * n))) / slope;
    return segment.startMs + Math.min(seconds, Math.max(0, tau)) * 1_000;
  }

  private segmentAtTime(t: number): Segment | undefined {
    let index = Math.min(this.cursor, this.segments.length - 1);
    if (index < 0) return undefined;
    while (index > 0 && this.segments[index]!.startMs > t) index -= 1;
    while (index + 1 < this.segments.length && this.segments[index + 1]!.startMs <= t) index += 1;
    const segment = this.segments[index]!;
    return t < segment.startMs + segment.durationMs ? segment : undefined;
  }
}
