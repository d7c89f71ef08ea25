export { http } from './http-probe.ts';
export type {
  ApiKeyAuth, AuthOptions, BasicAuth, BearerAuth, ContractOptions, EndpointOptions, FlowOptions, HttpOptions, Json, JwtOptions,
  LimitOptions, LoginAuth, OAuth2Auth, OperationKey, PermissionRule, PermissionsOptions, RateLimitOptions, RequestTemplate,
  SessionOptions, ThresholdOptions, TlsOptions, Transform, WebhookOptions,
} from './types.ts';
export { httpOptionsSchema } from './options.ts';
export type { ApiResources } from './resources.ts';
export { loadSpec, type ApiSpec, type Operation } from './spec/operations.ts';
export { diffSpecs, type Change } from './spec/diff.ts';
export { toCurl } from './client/curl.ts';
export { VERSION } from './version.ts';
export { httpStep, type FromState, type HttpStepOptions, type HttpStepResult, type UndoRequest } from './steps.ts';
