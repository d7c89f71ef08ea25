/**
 * Node's process warnings, printed as Node does, except `TimeoutNegativeWarning`:
 * kafkajs 2.2.4 (its last release, used by @probe/queue) schedules negative
 * timeouts, and Node 23+ warns about each — harmless noise in every Kafka run.
 */
export function quietKnownWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name === 'TimeoutNegativeWarning') return;
    process.stderr.write(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
  });
}
