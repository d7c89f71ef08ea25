// Probes
export { resilience } from './resilience-probe.ts';
export { experiment } from './experiment-probe.ts';
export type {
  BreakerExpectations, ExperimentOptions, FallbackExpectations, FunctionSteadyProbe, HttpSteadyProbe, ResilienceOptions,
  RetryExpectations, SteadyProbe, TimeoutExpectations, TransientFault,
} from './types.ts';
export { experimentOptionsSchema, resilienceOptionsSchema } from './options.ts';
export type { ResilienceResources } from './resources.ts';
export type { ExperimentResources } from './checks/experiment.ts';
export { NOT_STEADY } from './checks/experiment.ts';
export type { ExperimentJournal } from './experiment/journal.ts';
export type { ProbeVerdict } from './experiment/steady.ts';

// Fault proxy
export { startFaultProxy, type FaultInterval, type FaultProxy, type FaultProxyOptions, type TimelineEvent } from './proxy/fault-proxy.ts';
export { startProxyServer, TOXIPROXY_API_VERSION, type ProxyServer, type ProxyServerOptions } from './proxy/proxy-server.ts';
export { createProxyRegistry, type ProxyConfig, type ProxyRegistry } from './proxy/registry.ts';
export { createToxiproxyClient, ToxiproxyApiError, type ToxiproxyClient, type ToxiproxyClientOptions } from './proxy/client.ts';
export {
  FaultProxyError, TOXIC_TYPES, describeFault, toxic,
  type DownFault, type ProxyFault, type StreamDirection, type Toxic, type ToxicAttributes, type ToxicInput, type ToxicOptions, type ToxicType, type ToxicUpdate,
} from './proxy/toxics.ts';
export type { CallOptions, FaultTarget, ProxyHandle, ProxyState, TrafficStats } from './proxy/handle.ts';
export type { ProxyStats } from './proxy/link.ts';
export { applyFault, createFaultLedger, withFault, type AppliedFault, type FaultLedger, type FaultRecord } from './proxy/faults.ts';

// Retry helper (for probe packages' own connection attempts)
export { DEFAULT_BACKOFF, retry, type RetryOptions } from './retry/retry.ts';
export { delayRange, describeBackoff, nextDelay, nominalDelay, parseRetryAfter, type BackoffPolicy, type Jitter } from './retry/backoff.ts';
export { isTransient, isTransientStatus } from './retry/transient.ts';

// Fake upstream faults and arrival analysis
export { step } from './upstream/steps.ts';
export type { Action, ActionFunction, ActionOutcome, Expectation, HttpAction } from './verify/action.ts';
export { DEFAULT_TOLERANCE, gapsOf, jitterSeen, judgeGaps, type GapVerdict, type Tolerance } from './verify/arrivals.ts';
