import { z } from 'zod';
import { parseColumns, parseRelation, parseTable, type ColumnsRef, type RelationRef, type TableRef } from './refs.ts';
import type { DeclaredQuery, Invariant, PostgresOptions } from './types.ts';

/** A reference string that must parse with `parser`; the issue says why it does not. */
function reference<T>(parser: (text: string) => T, example: string) {
  return z.string().check((context) => {
    try {
      parser(context.value);
    } catch (error) {
      context.issues.push({ code: 'custom', input: context.value, message: `${(error as Error).message}, e.g. ${example}, got ${JSON.stringify(context.value)}` });
    }
  });
}

const positive = (what: string) =>
  z.number({ error: (issue) => `expected ${what}, got ${JSON.stringify(issue.input)}` }).positive({ error: (issue) => `expected ${what}, got ${JSON.stringify(issue.input)}` });
const whole = (what: string) => positive(what).int({ error: (issue) => `expected ${what}, got ${JSON.stringify(issue.input)}` });
const text = z.string().min(1);
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `expected ${values.map((value) => `"${value}"`).join(' or ')}, got ${JSON.stringify(issue.input) ?? 'nothing'}` });
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const url = z.string({ error: (issue) => `expected a postgres:// URL, got ${JSON.stringify(issue.input) ?? 'nothing'}` }).check((context) => {
  let parsed: URL | undefined;
  try {
    parsed = new URL(context.value);
  } catch { /* reported below */ }
  if (!parsed || !/^postgres(ql)?:$/.test(parsed.protocol) || !(parsed.hostname || parsed.searchParams.has('host'))) {
    const shown = context.value.replace(/:\/\/([^:@/]*):[^@/]*@/, '://$1:***@');
    context.issues.push({ code: 'custom', input: shown, message: `expected a postgres:// URL, got ${JSON.stringify(shown)}` });
  }
});

const checkExpectation = z.strictObject({
  table: reference(parseTable, '"orders"'),
  name: text.optional(),
  reject: z.record(z.string(), cell).refine((values) => Object.keys(values).length > 0, 'expected at least one column value that must be rejected'),
});

const triggerExpectation = z.strictObject({
  table: reference(parseTable, '"orders"'),
  name: text,
  fires: oneOf(['insert', 'update', 'delete']).optional(),
  sets: text.optional(),
  inserts: reference(parseTable, '"audit_log"').optional(),
}).check((context) => {
  const { sets, inserts, fires } = context.value;
  if (sets && fires !== 'insert' && fires !== 'update') {
    context.issues.push({ code: 'custom', path: ['fires'], input: fires, message: 'a trigger that "sets" a column needs fires: "insert" or "update"' });
  }
  if (inserts && !fires) {
    context.issues.push({ code: 'custom', path: ['fires'], input: fires, message: 'a trigger that "inserts" into a table needs fires: "insert", "update" or "delete"' });
  }
});

const declaredQuery = z.strictObject({
  name: text,
  sql: text,
  params: z.array(z.unknown()).optional(),
  maxMs: positive('a positive number of milliseconds').optional(),
  mustUseIndex: z.union([z.literal(true), text]).optional(),
});

/** The zod schema of {@link PostgresOptions}; unknown keys are reported, never ignored. */
export const optionsSchema = z.strictObject({
  url,
  name: text.optional(),
  schemas: z.array(text).optional(),
  expect: z.strictObject({
    tables: z.array(reference(parseTable, '"users" or "app.users"')).optional(),
    unique: z.array(reference(parseColumns, '"users.email" or "orders.(tenant_id, number)"')).optional(),
    notNull: z.array(reference(parseColumns, '"users.email"')).optional(),
    checks: z.array(z.union([reference(parseColumns, '"orders.quantity_positive"'), checkExpectation])).optional(),
    foreignKeys: z.array(reference(parseRelation, '"orders.customer_id -> customers.id"')).optional(),
    relationships: z.array(reference(parseRelation, '"orders.customer_id -> customers.id"')).optional(),
    triggers: z.array(triggerExpectation).optional(),
    invariants: z.array(z.strictObject({ name: text, sql: text })).optional(),
    withoutPrimaryKey: z.array(reference(parseTable, '"audit_log"')).optional(),
  }).optional(),
  queries: z.array(declaredQuery).optional(),
  migrations: z.strictObject({
    dir: text,
    format: oneOf(['sql', 'node-pg-migrate']),
    table: text.optional(),
    timeoutMs: whole('a positive whole number of milliseconds').optional(),
  }).optional(),
  pool: z.strictObject({
    size: whole('a positive whole number of connections').optional(),
    acquireTimeoutMs: whole('a positive whole number of milliseconds').optional(),
  }).optional(),
  session: z.strictObject({
    statementTimeoutMs: whole('a positive whole number of milliseconds').optional(),
    lockTimeoutMs: whole('a positive whole number of milliseconds').optional(),
  }).optional(),
  thresholds: z.strictObject({
    seqScanRows: whole('a positive whole number of rows').optional(),
    slowQueryMs: positive('a positive number of milliseconds').optional(),
    slowQueryCalls: whole('a positive whole number of calls').optional(),
    connectionsWarnRatio: positive('a ratio between 0 and 1').max(1, 'expected a ratio between 0 and 1').optional(),
    unusedIndexScans: z.number().int().nonnegative().optional(),
    unusedIndexMinStatsAgeMs: z.number().nonnegative().optional(),
    reconnectMs: whole('a positive whole number of milliseconds').optional(),
    stabilityRounds: whole('a positive whole number of round trips').max(1_000, 'expected at most 1000 round trips').optional(),
    stabilityP95Ms: positive('a positive number of milliseconds').optional(),
    longRunningMs: whole('a positive whole number of milliseconds').optional(),
  }).optional(),
  credentials: z.strictObject({ tryWrongPassword: z.boolean().optional() }).optional(),
}) satisfies z.ZodType<PostgresOptions>;

/** A CHECK expectation after parsing. */
export type CheckSpec =
  | { kind: 'named'; index: number; table: TableRef; name: string }
  | { kind: 'reject'; index: number; table: TableRef; name?: string; reject: Record<string, string | number | boolean | null> };

/** A trigger expectation after parsing. */
export interface TriggerSpec {
  index: number;
  table: TableRef;
  name: string;
  fires?: 'insert' | 'update' | 'delete';
  sets?: string;
  inserts?: TableRef;
}

/** Everything the checks need, parsed and with defaults applied. */
export interface Settings {
  url: string;
  schemas?: string[];
  tables: { index: number; ref: TableRef }[];
  unique: { index: number; ref: ColumnsRef }[];
  notNull: { index: number; ref: ColumnsRef }[];
  checks: CheckSpec[];
  foreignKeys: { index: number; ref: RelationRef }[];
  relationships: { index: number; ref: RelationRef }[];
  triggers: TriggerSpec[];
  invariants: Invariant[];
  withoutPrimaryKey: TableRef[];
  queries: DeclaredQuery[];
  migrations?: { dir: string; format: 'sql' | 'node-pg-migrate'; table?: string; timeoutMs: number };
  pool: { size: number; acquireTimeoutMs: number };
  session: { statementTimeoutMs: number; lockTimeoutMs: number };
  thresholds: Required<NonNullable<PostgresOptions['thresholds']>>;
  tryWrongPassword: boolean;
}

/** Apply defaults and parse every reference of already-validated options. */
export function toSettings(options: z.output<typeof optionsSchema>): Settings {
  const expect = options.expect ?? {};
  const indexed = <T>(items: string[] | undefined, parse: (text: string) => T) => (items ?? []).map((item, index) => ({ index, ref: parse(item) }));
  return {
    url: options.url,
    ...(options.schemas ? { schemas: options.schemas } : {}),
    tables: indexed(expect.tables, parseTable),
    unique: indexed(expect.unique, parseColumns),
    notNull: indexed(expect.notNull, parseColumns),
    checks: (expect.checks ?? []).map((check, index): CheckSpec => {
      if (typeof check === 'string') {
        const ref = parseColumns(check);
        return { kind: 'named', index, table: { ...(ref.schema ? { schema: ref.schema } : {}), table: ref.table }, name: ref.columns[0]! };
      }
      return { kind: 'reject', index, table: parseTable(check.table), ...(check.name ? { name: check.name } : {}), reject: check.reject };
    }),
    foreignKeys: indexed(expect.foreignKeys, parseRelation),
    relationships: indexed(expect.relationships, parseRelation),
    triggers: (expect.triggers ?? []).map((trigger, index) => ({
      index, table: parseTable(trigger.table), name: trigger.name,
      ...(trigger.fires ? { fires: trigger.fires } : {}),
      ...(trigger.sets ? { sets: trigger.sets } : {}),
      ...(trigger.inserts ? { inserts: parseTable(trigger.inserts) } : {}),
    })),
    invariants: expect.invariants ?? [],
    withoutPrimaryKey: (expect.withoutPrimaryKey ?? []).map(parseTable),
    queries: options.queries ?? [],
    ...(options.migrations ? { migrations: { ...options.migrations, timeoutMs: options.migrations.timeoutMs ?? 60_000 } } : {}),
    pool: { size: options.pool?.size ?? 10, acquireTimeoutMs: options.pool?.acquireTimeoutMs ?? 300 },
    session: { statementTimeoutMs: options.session?.statementTimeoutMs ?? 3_000, lockTimeoutMs: options.session?.lockTimeoutMs ?? 500 },
    thresholds: {
      seqScanRows: 10_000, slowQueryMs: 20, slowQueryCalls: 100, connectionsWarnRatio: 0.8, unusedIndexScans: 50,
      unusedIndexMinStatsAgeMs: 7 * 24 * 3_600_000, reconnectMs: 2_000, stabilityRounds: 50, stabilityP95Ms: 100,
      longRunningMs: 60_000, ...options.thresholds,
    },
    tryWrongPassword: options.credentials?.tryWrongPassword ?? true,
  };
}
