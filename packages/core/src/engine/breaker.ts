import CircuitBreaker from 'opossum';
import { ProbeError, ProbeErrorCode, isProbeError, isUnreachable, messageOf } from '../errors.ts';

/**
 * One breaker per target (opossum). Only connection-level failures count
 * (refused, DNS, reset, connect timeout); a failing assertion or a slow query
 * does not. Once open, every remaining call for that target rejects at once
 * with `PROBE_ERR_UNREACHABLE` naming the first cause, instead of each check
 * waiting out its own deadline.
 */
export interface TargetBreaker {
  /** Run `task` through the breaker. */
  fire<T>(task: () => Promise<T>): Promise<T>;
  /** True once the target has been found unreachable. */
  readonly opened: boolean;
  /** Record an unreachable failure seen outside `fire` (e.g. in setup). */
  trip(error: unknown): void;
  shutdown(): void;
}

/** Create the breaker for one target. */
export function createTargetBreaker(targetName: string): TargetBreaker {
  let cause: string | undefined;
  let hint: string | undefined;
  const remember = (error: unknown) => {
    if (cause !== undefined) return;
    cause = messageOf(error);
    hint = isProbeError(error) ? error.hint : undefined;   // keep the package's own next step
  };
  const breaker = new CircuitBreaker(async (task: () => Promise<unknown>) => task(), {
    timeout: false,               // deadlines are the engine's job (withDeadline)
    errorThresholdPercentage: 1,  // one connection-level failure opens it
    volumeThreshold: 1,
    resetTimeout: 60_000,
    rollingCountTimeout: 600_000,
    allowWarmUp: false,
    errorFilter: (error: unknown) => !isUnreachable(error),   // true = do not count
  });
  breaker.on('failure', (error: unknown) => {
    if (isUnreachable(error)) remember(error);
  });
  const openError = () =>
    new ProbeError(ProbeErrorCode.UNREACHABLE, `target ${targetName} is unreachable: ${cause ?? 'an earlier check could not connect'}`, {
      hint: hint ?? 'check that the target is running and its URL is right',
    });
  return {
    async fire<T>(task: () => Promise<T>): Promise<T> {
      try {
        return (await breaker.fire(task)) as T;
      } catch (error) {
        if ((error as { code?: string })?.code === 'EOPENBREAKER') throw openError();
        throw error;
      }
    },
    get opened() {
      return breaker.opened;
    },
    trip(error: unknown) {
      remember(error);
      breaker.open();
    },
    shutdown() {
      breaker.shutdown();
    },
  };
}
