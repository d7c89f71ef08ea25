export { system } from './system-probe.ts';
export type {
  DataKey, DataRow, DriftOptions, DriftStore, HookOutcome, IsolationFingerprint, PipelineOptions, SystemHookContext,
  SystemOptions, SystemResources, SystemTarget,
} from './types.ts';
export { SYSTEM_ERR_HOOK, callHook, type CallHookOptions } from './call-hook.ts';
export { SYSTEM_CHECKLIST } from './checklist.ts';
export { compareVersions, formatVersion, parseRange, parseVersion, satisfies, type Version, type VersionRange } from './semver-range.ts';
export { canonicalJson, canonicalize, checksum, sampleKeys } from './canonical.ts';
export { deepDiff, describeChange, type DiffChange } from './deep-diff.ts';
export { DEFAULT_PORTS, endpointOf, type Endpoint } from './endpoint.ts';
export type { AvailabilityEntry } from './checks/availability.ts';
export type { VersionEntry } from './checks/versions.ts';
export type { DivergingKey } from './checks/pipeline.ts';
export type { DriftExample, StoreDrift } from './checks/drift.ts';
export type { IsolationEntry } from './checks/isolation.ts';
