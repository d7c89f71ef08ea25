export type {
  Check, CheckContext, Config, ConfigIssue, ErrorInfo, Logger, Metric, Outcome, PartCombiner, Probe, ProbeContext, Result, ResultPart, Status, Target,
} from './protocol/types.ts';
export { PROTOCOL_VERSION, STATUSES } from './protocol/types.ts';
export type { CheckEndEvent, CheckStartEvent, Reporter, RunEndEvent, RunEvent, RunStartEvent, ShardSpec, Totals } from './protocol/events.ts';
export { defineCheck, defineConfig, defineProbe } from './define.ts';
export { ProbeError, ProbeErrorCode, isProbeError, isUnreachable, messageOf, systemCode, toErrorInfo } from './errors.ts';
export { REDACTED, SECRET_HEADERS, createRedactor, isSecretKey, redactDeep, redactHeaders, redactUrl, secretsOfUrl, type Redactor } from './redact.ts';
export { createLogger, debugEnabled, type LogSink } from './logger.ts';
export { configIssues, assertValidConfig, configError, CHECK_ID } from './config/validate.ts';
export { parseOptions, type ParsedOptions } from './config/options.ts';
export { describeValue, formatIssues, formatPath, prefixIssues, toConfigIssues } from './config/issues.ts';
export { newRunId, run, type RunOptions, type RunSummary } from './engine/run.ts';
export { withDeadline, type DeadlineOptions } from './engine/deadline.ts';
export { planRun, plannedCount, type PlannedProbe, type Selection } from './engine/plan.ts';
export { compileGlobs } from './engine/glob.ts';
export { countResults, emptyTotals, exitCodeOf, interruptExitCode } from './engine/totals.ts';
export { VERSION } from './version.ts';
// Reporters and the checklist catalog keep their explicit export lists in their own barrels.
export * from './reporters/index.ts';
export * from './checklist/index.ts';
export * from './flow/index.ts';
export * from './system/index.ts';
