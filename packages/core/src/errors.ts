import type { ErrorInfo } from './protocol/types.ts';

/** Stable error codes shared by every probe package. */
export const ProbeErrorCode = {
  /** A check (or setup/teardown) did not finish before its deadline. */
  TIMEOUT: 'PROBE_ERR_TIMEOUT',
  /** The target could not be reached (refused, DNS, TLS, breaker open). */
  UNREACHABLE: 'PROBE_ERR_UNREACHABLE',
  /** The config, an option or an argument is invalid. */
  CONFIG: 'PROBE_ERR_CONFIG',
  /** The run was interrupted (SIGINT/SIGTERM/abort). */
  ABORTED: 'PROBE_ERR_ABORTED',
  /** The target refused the probe's credentials. */
  AUTH: 'PROBE_ERR_AUTH',
  /** The probe's own setup failed. */
  SETUP: 'PROBE_ERR_SETUP',
  /** A check threw something unexpected. */
  CHECK: 'PROBE_ERR_CHECK',
} as const;

/** One of the stable codes in {@link ProbeErrorCode}. */
export type ProbeErrorCode = (typeof ProbeErrorCode)[keyof typeof ProbeErrorCode];

const MARKER = Symbol.for('probe.error');

/**
 * An error with a stable code. Recognise it with {@link isProbeError}, never
 * `instanceof`: two copies of @probe/core in one install must agree.
 */
export class ProbeError extends Error {
  readonly code: string;
  /** What the user should do next, appended to the message by reporters. */
  readonly hint: string | undefined;
  readonly [MARKER] = true;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProbeError';
    this.code = code;
    this.hint = options.hint;
  }
}

/** True for a {@link ProbeError} from any copy of @probe/core. */
export function isProbeError(value: unknown): value is ProbeError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
}

/** Node's network error codes that mean "the target is not there". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE',
  'ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_SOCKET', 'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** The first Node/system error code found along an error's cause chain. */
export function systemCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && !code.startsWith('PROBE_ERR_')) return code;
    const errors = (current as { errors?: unknown }).errors;   // AggregateError from happy-eyeballs connects
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** True when an error means the target cannot be reached at all (connection-level). */
export function isUnreachable(error: unknown): boolean {
  if (isProbeError(error)) return error.code === ProbeErrorCode.UNREACHABLE;
  const code = systemCode(error);
  return code !== undefined && UNREACHABLE_CODES.has(code);
}

/** Turn anything thrown into the `{ code, message }` of an `error` result. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isProbeError(error)) {
    return { code: error.code, message: error.hint ? `${error.message} — ${error.hint}` : error.message };
  }
  if (isUnreachable(error)) {
    return { code: ProbeErrorCode.UNREACHABLE, message: messageOf(error) };
  }
  return { code: ProbeErrorCode.CHECK, message: messageOf(error) };
}

/** A one-line message for anything thrown, including AggregateErrors with an empty message. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    let message = error.message;
    if (!message && Array.isArray((error as AggregateError).errors)) {
      message = (error as AggregateError).errors.map((inner) => messageOf(inner)).join('; ');
    }
    const code = systemCode(error);
    if (!message) message = code ?? error.name;
    return message.split('\n')[0] ?? message;
  }
  return String(error).split('\n')[0] ?? String(error);
}
