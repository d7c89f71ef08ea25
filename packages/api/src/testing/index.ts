export {
  startFakeUpstream,
  type Call, type FakeUpstream, type FakeUpstreamOptions, type RecordedRequest, type Reply, type RouteScript, type Step,
} from './fake-upstream.ts';
