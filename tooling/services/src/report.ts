import type { LogLine, MissingService, ServiceStatus } from './types.ts';

/** Writes `probe services: <line>` to stderr (stdout is kept for the KEY=value lines). */
export const stderrLog: LogLine = (line) => {
  process.stderr.write(`probe services: ${line}\n`);
};

/** Whether this runs under CI (`CI` set to anything but false/0). */
export function isCI(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) && env.CI !== 'false' && env.CI !== '0';
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]*$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `KEY=value` lines (quoted where the shell needs it), optionally prefixed with `export `. */
export function formatEnvLines(env: Record<string, string>, options: { exportPrefix?: boolean } = {}): string {
  return Object.entries(env)
    .map(([key, value]) => `${options.exportPrefix ? 'export ' : ''}${key}=${shellQuote(value)}`)
    .join('\n');
}

/** Parses `KEY=value` lines as `formatEnvLines` writes them (the inverse, for tests and tools). */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:export )?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!match) continue;
    const raw = match[2]!;
    env[match[1]!] = raw.startsWith("'") ? raw.slice(1, -1).replaceAll(`'\\''`, "'") : raw;
  }
  return env;
}

/** A few lines naming each missing service, why, and what to do. */
export function describeMissing(missing: readonly MissingService[], consequence = 'tests that need them are skipped'): string {
  const lines = [`probe services: ${missing.length} not available; ${consequence}:`];
  for (const service of missing) {
    lines.push(`  - ${service.name} (${service.env}): ${service.why}`, `    what to do: ${service.hint}`);
  }
  return lines.join('\n');
}

const PRINTED = Symbol.for('probe.services.missingPrinted');

/**
 * Prints the missing services once per process (later calls with the same
 * names print nothing), so a skipped test is never silent. For the vitest
 * global setup; `write` defaults to stderr.
 */
export function printMissingOnce(missing: readonly MissingService[], write: (text: string) => void = (text) => process.stderr.write(`${text}\n`)): boolean {
  const store = globalThis as { [PRINTED]?: Set<string> };
  const printed = (store[PRINTED] ??= new Set());
  const fresh = missing.filter((service) => !printed.has(service.name));
  if (fresh.length === 0) return false;
  for (const service of fresh) printed.add(service.name);
  write(describeMissing(fresh));
  return true;
}

/** The `status` table. */
export function formatStatus(statuses: readonly ServiceStatus[]): string {
  const rows = statuses.map((status) => [
    status.name,
    status.up ? 'up' : 'down',
    status.url,
    status.owned
      ? `started by probe (${status.owned.kind === 'process' ? `pid ${status.owned.pid ?? '?'}` : `container ${status.owned.containerId?.slice(0, 12)}`})`
      : 'not ours',
    status.up ? '' : (status.error ?? ''),
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}
