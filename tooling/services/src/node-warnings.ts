/**
 * kafkajs 2.2.4 (the last release) schedules `setTimeout` with a negative
 * delay in its request queue; Node 23+ then prints a TimeoutNegativeWarning
 * on every run (harmless: Node uses 1 ms, as older Nodes did silently).
 * This hides that one warning category and leaves every other warning alone.
 */
export function ignoreKafkajsTimeoutWarning(): void {
  const marker = Symbol.for('probe.services.timeoutWarningIgnored');
  const store = process as unknown as Record<symbol, boolean>;
  if (store[marker]) return;
  store[marker] = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const first = rest[0];
    const type = warning instanceof Error ? warning.name : typeof first === 'string' ? first : (first as { type?: string } | undefined)?.type;
    if (type === 'TimeoutNegativeWarning') return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
