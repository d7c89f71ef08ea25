import { isProbeError, ProbeErrorCode, systemCode } from '@probe/core';

/** Node, undici and DNS error codes of failures that may pass on their own. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT',
  // PostgreSQL SQLSTATEs: connection exceptions (class 08), serialization failure, deadlock, too many connections, shutdown/starting up.
  '08000', '08001', '08003', '08004', '08006', '40001', '40P01', '53300', '57P01', '57P02', '57P03',
]);

/** Redis error replies that mean "try again shortly". */
const TRANSIENT_REDIS = /^(LOADING|BUSY|TRYAGAIN|MASTERDOWN|CLUSTERDOWN)\b/;

/**
 * HTTP statuses worth another attempt: 408 Request Timeout, 425 Too Early,
 * 429 Too Many Requests, and 500/502/503/504. Everything else (other 4xx,
 * 501 Not Implemented, 505 …) is permanent: the same request fails the same way.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/**
 * True when an error is worth retrying: a network-level failure (reset, refused,
 * timeout, DNS try-again), a transient HTTP status (`error.status`/`statusCode`),
 * a Kafka error kafkajs marks `retriable`, a transient PostgreSQL SQLSTATE or Redis
 * reply. Never for aborts, auth or config errors.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { name?: unknown }).name === 'AbortError') return false;
  if (isProbeError(error)) return error.code === ProbeErrorCode.UNREACHABLE || error.code === ProbeErrorCode.TIMEOUT;
  const record = error as { retriable?: unknown; status?: unknown; statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof record.retriable === 'boolean') return record.retriable;
  const status = typeof record.status === 'number' ? record.status : typeof record.statusCode === 'number' ? record.statusCode : undefined;
  if (status !== undefined) return isTransientStatus(status);
  if (typeof record.code === 'string' && TRANSIENT_CODES.has(record.code)) return true;
  if (typeof record.message === 'string' && TRANSIENT_REDIS.test(record.message)) return true;
  const code = systemCode(error);
  return code !== undefined && TRANSIENT_CODES.has(code);
}
