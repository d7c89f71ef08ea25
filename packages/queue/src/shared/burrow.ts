/**
 * Consumer-lag evaluation over a sliding window, after LinkedIn Burrow's
 * evaluator (`core/internal/evaluator/caching.go`), with one adaptation:
 * Burrow reads every offset commit with its timestamp from
 * `__consumer_offsets`; the probe samples committed offsets through the admin
 * API (it never joins or reads a user's group), which does not expose commit
 * times. So Burrow's rule 3 ("stopped committing") is decided by ownership
 * instead: lag that no live group member owns is STOP; lag a member owns but
 * does not move is STALL.
 */

/** Per-partition status, Burrow's names. */
export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP' | 'REWIND';

/** One reading of one partition. */
export interface LagSample {
  /** Epoch ms of the reading. */
  at: number;
  /** The group's committed offset. */
  offset: number;
  /** Log end offset (high watermark). */
  high: number;
  /** `high − offset`, clamped at 0 (the two are read separately, so a race can make it negative). */
  lag: number;
}

/** The evaluation of one partition's window. */
export interface PartitionEvaluation {
  status: LagStatus;
  /** Which rule decided, in words. */
  rule: string;
  currentLag: number;
}

/** Group-level status: Burrow caps partition errors at ERR. */
export type GroupStatus = 'OK' | 'WARN' | 'ERR';

const SEVERITY: Record<LagStatus, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 2, REWIND: 2 };

/** How rule texts name things: Kafka's words by default; NATS passes its own (ack floor, attached client). */
export interface LagTerms {
  position: string;
  owned: string;
  unowned: string;
}

const KAFKA_TERMS: LagTerms = { position: 'committed offset', owned: 'a member owns the partition', unowned: 'no live member owns the partition' };

/**
 * Evaluate a window (oldest first). `owned`: a live member of the group is
 * assigned the partition at the end of the window.
 */
export function evaluatePartition(window: readonly LagSample[], owned: boolean, terms: LagTerms = KAFKA_TERMS): PartitionEvaluation {
  const last = window.at(-1);
  const currentLag = last?.lag ?? 0;
  if (!last || currentLag === 0) return { status: 'OK', rule: 'no lag', currentLag };
  // Rule 1: any sample with zero lag means the consumer caught up within the window.
  if (window.some((sample) => sample.lag === 0)) return { status: 'OK', rule: 'caught up within the window', currentLag };
  // Rule 2: a committed offset went backwards.
  for (let index = 1; index < window.length; index++) {
    if (window[index]!.offset < window[index - 1]!.offset) {
      return { status: 'REWIND', rule: `${terms.position} went back from ${window[index - 1]!.offset} to ${window[index]!.offset}`, currentLag };
    }
  }
  const unmoved = window.every((sample) => sample.offset === window[0]!.offset);
  // Rule 3 (adapted, see above): nobody consumes the partition.
  if (!owned && unmoved) return { status: 'STOP', rule: `${terms.unowned} and the ${terms.position} stayed at ${last.offset}`, currentLag };
  // Rule 4: committing (or owning) but not moving.
  if (unmoved) return { status: 'STALL', rule: `the ${terms.position} stayed at ${last.offset} while ${terms.owned}`, currentLag };
  // Rule 5: moving, but lag never went down.
  let decreased = false;
  for (let index = 1; index < window.length; index++) if (window[index]!.lag < window[index - 1]!.lag) decreased = true;
  if (!decreased) return { status: 'WARN', rule: `lag never decreased (${window[0]!.lag} → ${currentLag}) although the ${terms.position} moved`, currentLag };
  return { status: 'OK', rule: 'offsets move and lag decreases', currentLag };
}

/** The worst status among partitions, as Burrow reports a group. */
export function groupStatus(statuses: Iterable<LagStatus>): GroupStatus {
  let worst = 0;
  for (const status of statuses) worst = Math.max(worst, SEVERITY[status]);
  return worst === 0 ? 'OK' : worst === 1 ? 'WARN' : 'ERR';
}
