/** A state change a breaker reported about itself. */
export interface BreakerEvent {
  /** Epoch ms. */
  at: number;
  state: 'open' | 'half-open' | 'closed' | 'isolated';
}

/** The minimal shape of an opossum `CircuitBreaker` this package reads. */
interface OpossumLike {
  on(event: string, listener: () => void): unknown;
  removeListener(event: string, listener: () => void): unknown;
}

/** The minimal shape of a cockatiel `CircuitBreakerPolicy`. */
interface CockatielLike {
  onStateChange(listener: (state: number) => void): { dispose(): void };
}

const COCKATIEL_STATES: BreakerEvent['state'][] = ['closed', 'open', 'half-open', 'isolated'];

/**
 * Listen to an in-process breaker's own state changes (opossum's `open`/`halfOpen`/`close`
 * events, cockatiel's `onStateChange`), to set beside the state inferred from arrivals.
 * Unknown objects are ignored (no events).
 */
export function observeBreaker(instance: unknown): { events: BreakerEvent[]; stop(): void } {
  const events: BreakerEvent[] = [];
  const push = (state: BreakerEvent['state']) => events.push({ at: Date.now(), state });
  if (typeof (instance as CockatielLike | undefined)?.onStateChange === 'function') {
    const subscription = (instance as CockatielLike).onStateChange((state) => push(COCKATIEL_STATES[state] ?? 'isolated'));
    return { events, stop: () => subscription.dispose() };
  }
  if (typeof (instance as OpossumLike | undefined)?.on === 'function' && typeof (instance as OpossumLike).removeListener === 'function') {
    const breaker = instance as OpossumLike;
    const listeners: [string, () => void][] = [['open', () => push('open')], ['halfOpen', () => push('half-open')], ['close', () => push('closed')]];
    for (const [event, listener] of listeners) breaker.on(event, listener);
    return { events, stop: () => { for (const [event, listener] of listeners) breaker.removeListener(event, listener); } };
  }
  return { events, stop: () => {} };
}
