export { assertValidEvent, collectEvents, eventProblems } from './event-schema.ts';
export { describeConformance, type ConformanceOptions } from './conformance.ts';
export { selfSigned } from './certificates.ts';
