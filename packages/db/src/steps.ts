import { eventually, failStep, isStepFailure, type EventuallyWindow, type FlowStep, type StepContext } from '@probe/core';
import type pg from 'pg';
import { toDbError } from './errors.ts';
import { inlineParams, psql } from './evidence.ts';
import { connectClient, sessionConfig } from './session.ts';

/** What a {@link sqlStep} returns; later steps find it in `state[name]`. */
export interface SqlStepResult<Row = Record<string, unknown>> {
  rows: Row[];
  rowCount: number;
  /** Times the query ran: more than one when `eventually` repeated it. */
  attempts: number;
}

/** Options of {@link sqlStep}. */
export interface SqlStepOptions<S extends Record<string, unknown> = Record<string, unknown>, Row = Record<string, unknown>> {
  /** The step's name, unique in the flow; its result is `state[name]`. */
  name: string;
  /** The system shown in the evidence (default `postgres`). */
  target?: string;
  /** `postgres://` URL; its password is redacted from the evidence. */
  url: string;
  sql: string;
  /** `$1`, `$2`, … values, or a function of what earlier steps returned. */
  params?: unknown[] | ((state: S) => unknown[]);
  /**
   * Conditions on the rows: call `expectStep`/`failStep`, or return `false` or a
   * string (why it does not hold). The flow fails at this step, with the rows.
   */
  expect?: (result: SqlStepResult<Row>, state: S) => boolean | string | void;
  /** Query again until `expect` holds (a row written asynchronously), for at most `withinMs`, every `intervalMs` (default 100). */
  eventually?: EventuallyWindow;
  /** Bound on each statement (default 3 000 ms, as `statement_timeout`). */
  timeoutMs?: number;
}

/** Rows shown in the evidence at most. */
const SHOWN_ROWS = 20;

/**
 * A flow step that runs one query in a READ ONLY transaction (the server
 * refuses any write) on its own connection (`application_name = probe-<runId>`,
 * bounded statement and lock timeouts) and checks the rows. Fails naming the
 * step, with the query, its parameters, the rows and a `psql` line.
 */
export function sqlStep<S extends Record<string, unknown> = Record<string, unknown>, Row = Record<string, unknown>>(options: SqlStepOptions<S, Row>): FlowStep<S> {
  return {
    name: options.name,
    target: options.target ?? 'postgres',
    async run(context) {
      const params = typeof options.params === 'function' ? options.params(context.state) : options.params ?? [];
      const statementTimeoutMs = options.timeoutMs ?? 3_000;
      const client = await connectClient(sessionConfig(options.url, context.runId, { statementTimeoutMs, lockTimeoutMs: 500 }), context.signal)
        .catch((error: unknown) => { throw toDbError(error, `step ${options.name}`); });
      try {
        return await eventually(async (attempts) => {
          const result = await readOnly<Row>(client, options.sql, params, context.signal).catch((error: unknown) => { throw toDbError(error, `step ${options.name}`); });
          const outcome: SqlStepResult<Row> = { rows: result.rows, rowCount: result.rowCount ?? result.rows.length, attempts };
          judge(options, outcome, params, context);
          return outcome;
        }, options.eventually, context.signal);
      } finally {
        await client.end().catch(() => {});
      }
    },
  };
}

async function readOnly<Row>(client: pg.Client, sql: string, params: unknown[], signal: AbortSignal): Promise<pg.QueryResult<Row & pg.QueryResultRow>> {
  const onAbort = () => { void client.end().catch(() => {}); };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await client.query('begin read only');
    try {
      return await client.query<Row & pg.QueryResultRow>(sql, params);
    } finally {
      await client.query('rollback').catch(() => {});
    }
  } catch (error) {
    throw signal.aborted ? signal.reason : error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function judge<S extends Record<string, unknown>, Row>(options: SqlStepOptions<S, Row>, result: SqlStepResult<Row>, params: unknown[], context: StepContext<S>): void {
  const evidence = () => ({
    sql: options.sql,
    params,
    rows: result.rows.slice(0, SHOWN_ROWS),
    ...(result.rows.length > SHOWN_ROWS ? { rowsShown: `${SHOWN_ROWS} of ${result.rows.length}` } : {}),
    reproduce: psql({ target: { kind: 'postgres', name: options.target ?? 'postgres', url: options.url }, redact: context.redact }, inlineParams(options.sql, params)),
  });
  const after = result.attempts > 1 ? ` (after ${result.attempts} queries)` : '';
  let verdict: boolean | string | void;
  try {
    verdict = options.expect?.(result, context.state);
  } catch (error) {
    if (isStepFailure(error)) failStep(`${error.message}${after}`, { ...error.evidence, ...evidence() });
    throw error;
  }
  if (verdict === false || typeof verdict === 'string') failStep(`${verdict || 'the rows do not hold'}${after}`, evidence());
}
