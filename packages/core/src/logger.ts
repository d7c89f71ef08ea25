import type { Logger } from './protocol/types.ts';
import type { Redactor } from './redact.ts';

/** Where log lines go; stderr by default so stdout stays machine-readable. */
export type LogSink = (line: string) => void;

const defaultSink: LogSink = (line) => process.stderr.write(`${line}\n`);

/** True when `DEBUG` enables a namespace (`probe:*`, `probe:db`, comma-separated). */
export function debugEnabled(namespace: string, debugEnv = process.env.DEBUG ?? ''): boolean {
  return debugEnv.split(/[\s,]+/).some((pattern) => {
    if (!pattern) return false;
    const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
    return new RegExp(`^${source}$`).test(namespace);
  });
}

/**
 * A namespaced logger (`probe:db`). `debug` prints only when `DEBUG` enables the
 * namespace; `info` and `warn` always print. Every line is redacted.
 */
export function createLogger(namespace: string, redact: Redactor, sink: LogSink = defaultSink): Logger {
  const enabled = debugEnabled(namespace);
  const write = (level: string, message: string, data?: Record<string, unknown>) => {
    const suffix = data === undefined ? '' : ` ${safeJson(data)}`;
    sink(redact(`${namespace} ${level} ${message}${suffix}`));
  };
  return {
    debug: (message, data) => {
      if (enabled) write('debug', message, data);
    },
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserialisable]';
  }
}
