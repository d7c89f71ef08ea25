import { ProbeError, ProbeErrorCode, isProbeError, isUnreachable, messageOf } from '@probe/core';

/** The code of an `error` result caused by an SQL error the probe did not expect (the SQLSTATE is in the message). */
export const DB_ERR_SQL = 'DB_ERR_SQL';

/** The SQLSTATE of a PostgreSQL error (`23505`), if it is one. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** pg's own messages when the socket goes away or never comes up. */
const CONNECTION_LOST = /Connection terminated|connection timeout|timeout expired|Client has encountered a connection error|Client was closed|not queryable/i;

/**
 * Translate a driver error into a {@link ProbeError} with a stable code and a next step:
 * bad credentials → `PROBE_ERR_AUTH`, unknown database → `PROBE_ERR_CONFIG`, refused or
 * dropped connections → `PROBE_ERR_UNREACHABLE`, statement or lock timeouts → `PROBE_ERR_TIMEOUT`,
 * any other SQLSTATE → `DB_ERR_SQL`. A ProbeError passes through unchanged.
 */
export function toDbError(error: unknown, doing?: string): ProbeError {
  if (isProbeError(error)) return error;
  const state = sqlState(error);
  const message = messageOf(error);
  const context = doing ? ` (${doing})` : '';
  switch (state) {
    case '28P01':
    case '28000':
      return new ProbeError(ProbeErrorCode.AUTH, `${message} (SQLSTATE ${state})`, { cause: error, hint: 'check the user and password in the URL and the server\'s pg_hba.conf' });
    case '42501':
      return new ProbeError(ProbeErrorCode.AUTH, `${message}${context} (SQLSTATE 42501)`, { cause: error, hint: 'grant the probe\'s role the privilege, or skip this check' });
    case '3D000':
      return new ProbeError(ProbeErrorCode.CONFIG, `${message} (SQLSTATE 3D000)`, { cause: error, hint: 'check the database name in the URL' });
    case '57P03':
    case '53300':
    case '57P01':
      return new ProbeError(ProbeErrorCode.UNREACHABLE, `${message} (SQLSTATE ${state})`, { cause: error });
    case '57014':
      return new ProbeError(ProbeErrorCode.TIMEOUT, `${message}${context} (SQLSTATE 57014)`, { cause: error, hint: 'the probe\'s statement_timeout ended it; raise session.statementTimeoutMs if the database is just slow' });
    case '55P03':
      return new ProbeError(ProbeErrorCode.TIMEOUT, `${message}${context} (SQLSTATE 55P03)`, { cause: error, hint: 'the application holds a lock the probe needed; the probe gave up after lock_timeout instead of blocking it' });
    case undefined:
      break;
    default:
      return new ProbeError(DB_ERR_SQL, `${message}${context} (SQLSTATE ${state})`, { cause: error });
  }
  if (isUnreachable(error) || CONNECTION_LOST.test(message)) {
    return new ProbeError(ProbeErrorCode.UNREACHABLE, message || 'connection failed', { cause: error, hint: 'check that the server is running and reachable from here' });
  }
  return new ProbeError(ProbeErrorCode.CHECK, message, { cause: error });
}
