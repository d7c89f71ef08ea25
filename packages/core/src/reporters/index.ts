export { createConsoleReporter, type ConsoleReporterOptions, type ConsoleStream } from './console.ts';
export { createNdjsonReporter, formatEvent, type LineSink } from './ndjson.ts';
export { parseNdjson, readNdjsonFile, type ParsedNdjson } from './read-ndjson.ts';
export { INCOMPLETE, replay, synthesiseRunEnd } from './replay.ts';
export { mergeRuns, type MergeOptions } from './merge.ts';
export { createJunitReporter, renderJunit } from './junit.ts';
export { collectRun, type CollectedRun } from './collect.ts';
export { createHtmlReporter, renderHtml, type HtmlReportOptions } from './html.ts';
export type { PerfBucket, PerfEvidence, PerfHistogram, PerfPercentile, PerfSample } from './html-perf.ts';
