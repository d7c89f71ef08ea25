export { httpLoad } from './http-load.ts';
export { load } from './load.ts';
export { runHttpLoad, runLoad, type RunHooks } from './run.ts';
export { mergeLoadResults, loadResultOf } from './merge.ts';
export { combineLoadParts } from './combine-parts.ts';
export { shareOfLoad, shareOfCount, LOAD_COMBINER } from './share.ts';
export { Histogram, LATENCY_LAYOUT, type HistogramLayout } from './histogram/hdr.ts';
export { serializeHistogram, deserializeHistogram, encodeV2, decodeV2, type SerializedHistogram } from './histogram/codec.ts';
export { describeRun, type LatencySummary, type LoadResult, type SecondSample } from './engine/result.ts';
export type { Progress } from './engine/engine.ts';
export type { CallContext, LoadFunction } from './function-driver.ts';
export type { CheckedResponse, RequestSpec, ResponseCheck } from './http/request.ts';
export type {
  BaselineOptions, CapacityOptions, DegradationOptions, Duration, HttpLoadOptions, LoadOptions, LoadProbeOptions, LoadShape,
  ResourceOptions, StageOptions, Thresholds,
} from './types.ts';
export { GENERATOR_LIMIT } from './checks/inconclusive.ts';
