/** A time budget: `left()` ms remain until `deadline`; `spent()` once it is used up. */
export interface Budget {
  deadline: number;
  left(): number;
  spent(): boolean;
}

/** A budget of `ms` from now, never past the check's own deadline (minus a margin to report). */
export function budgetOf(ms: number, checkDeadline?: number): Budget {
  const own = Date.now() + ms;
  const deadline = checkDeadline ? Math.min(own, checkDeadline - 250) : own;
  return { deadline, left: () => deadline - Date.now(), spent: () => Date.now() >= deadline };
}

/**
 * Run `task` over `items` with at most `concurrency` in flight; stops starting new ones when
 * the budget is spent or the signal aborts. Returns the results in order (undefined = not run).
 */
export async function mapLimit<T, R>(
  items: readonly T[], concurrency: number, budget: Budget, signal: AbortSignal, task: (item: T, index: number) => Promise<R>,
): Promise<(R | undefined)[]> {
  const results: (R | undefined)[] = new Array(items.length).fill(undefined);
  let next = 0;
  const worker = async () => {
    while (next < items.length && !budget.spent() && !signal.aborted) {
      const index = next++;
      results[index] = await task(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  if (signal.aborted) throw signal.reason;
  return results;
}

/** Percentile of sorted-or-not samples (nearest rank). */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Up to `max` items spread evenly over the list (so every kind of case gets a turn). */
export function spread<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  const step = items.length / max;
  return Array.from({ length: max }, (_, index) => items[Math.floor(index * step)]!);
}
