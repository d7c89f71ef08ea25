import { z } from 'zod';
import type { HttpOptions, LimitOptions, ThresholdOptions } from './types.ts';

const httpUrl = z.string().refine((value) => /^https?:\/\/[^\s/]+/i.test(value), { message: 'expected an http:// or https:// URL' });
const operationKey = z.string().regex(/^[A-Za-z]+ \/\S*$/, 'expected "METHOD /path", e.g. "GET /users/{id}"');
const json = z.unknown();
const jsonPointer = z.string().regex(/^(\/.*)?$/, 'expected a JSON pointer such as "/id"');
const positiveInt = z.number().int().positive();
const stringMap = z.record(z.string(), z.string());
const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { message: 'expected a function' });

const bearer = z.strictObject({ type: z.literal('bearer'), token: z.string().min(1) });
const apiKey = z.strictObject({ type: z.literal('apiKey'), name: z.string().min(1), value: z.string().min(1), in: z.enum(['header', 'query', 'cookie']).optional() });
const basic = z.strictObject({ type: z.literal('basic'), username: z.string(), password: z.string() });
const oauth2 = z.strictObject({
  type: z.literal('oauth2'), tokenUrl: z.string().min(1), clientId: z.string().min(1), clientSecret: z.string().min(1),
  scope: z.string().optional(), audience: z.string().optional(), refreshBeforeMs: z.number().int().nonnegative().optional(),
});
const login = z.strictObject({
  type: z.literal('login'), path: z.string().min(1), method: z.string().optional(), body: z.record(z.string(), json),
  tokenPointer: jsonPointer.optional(), expiresInPointer: jsonPointer.optional(), refreshTokenPointer: jsonPointer.optional(),
  refreshPath: z.string().optional(), refreshBody: z.record(z.string(), json).optional(), cookie: z.string().optional(),
  refreshBeforeMs: z.number().int().nonnegative().optional(),
});
const auth = z.discriminatedUnion('type', [bearer, apiKey, basic, oauth2, login]);

const endpoint = z.strictObject({
  method: z.string().regex(/^[A-Za-z]+$/).optional(), path: z.string().startsWith('/'),
  status: z.union([z.number().int(), z.array(z.number().int())]).optional(),
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  headers: stringMap.optional(), body: json.optional(), responseSchema: z.record(z.string(), json).optional(),
  contentType: z.string().optional(), secured: z.boolean().optional(),
});

const template = z.strictObject({ method: z.string().optional(), path: z.string().startsWith('/'), body: json.optional(), headers: stringMap.optional() });

const limits = z.strictObject({
  maxOperations: positiveInt.optional(), maxCasesPerOperation: positiveInt.max(100).optional(), budgetMs: positiveInt.optional(),
  concurrency: positiveInt.max(64).optional(), requestTimeoutMs: positiveInt.optional(), connectTimeoutMs: positiveInt.optional(),
  maxBodyBytes: positiveInt.optional(),
});

const thresholds = z.strictObject({
  p95Ms: z.number().positive().optional(),
  operations: z.record(operationKey, z.strictObject({ p95Ms: z.number().positive() })).optional(),
  samples: positiveInt.max(100).optional(),
});

/** The zod schema of {@link HttpOptions}. */
export const httpOptionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  baseUrl: httpUrl,
  openapi: z.union([z.string().min(1), z.record(z.string(), json)]).optional(),
  endpoints: z.array(endpoint).optional(),
  parameters: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  operations: z.strictObject({ include: z.array(z.string()).optional(), exclude: z.array(z.string()).optional() }).optional(),
  headers: stringMap.optional(),
  auth: auth.optional(),
  users: z.record(z.string(), auth).optional(),
  permissions: z.strictObject({
    rules: z.array(z.strictObject({ user: z.string(), operation: operationKey, allow: z.boolean(), body: json.optional() })).optional(),
    crossUser: z.strictObject({
      owner: z.string(), intruder: z.string(), collection: z.string().startsWith('/').optional(), item: z.string().startsWith('/').optional(),
      body: json.optional(), idPointer: jsonPointer.optional(),
    }).optional(),
  }).optional(),
  sessions: z.strictObject({ user: z.string().optional(), cookie: z.string().optional(), logout: operationKey.optional(), protected: operationKey }).optional(),
  jwt: z.strictObject({
    expiredToken: z.string().optional(),
    signingKey: z.strictObject({ algorithm: z.enum(['HS256', 'HS384', 'HS512']), secret: z.string().min(1) }).optional(),
    maxLifetimeSeconds: positiveInt.optional(),
  }).optional(),
  flows: z.array(z.strictObject({
    name: z.string().optional(), collection: z.string().startsWith('/'), item: z.string().startsWith('/').optional(), create: json.optional(),
    update: z.strictObject({ method: z.enum(['PUT', 'PATCH']).optional(), body: json }).optional(),
    id: z.union([jsonPointer, z.literal('location')]).optional(), serverFields: z.array(z.string()).optional(),
    transforms: z.record(z.string(), z.union([z.enum(['lowercase', 'uppercase', 'trim']), fn])).optional(),
  })).optional(),
  rateLimit: z.strictObject({
    operation: operationKey.optional(), burst: positiveInt.max(1_000).optional(), concurrency: positiveInt.max(50).optional(),
    limit: positiveInt.optional(), recoveryMs: positiveInt.max(120_000).optional(), user: z.string().optional(),
  }).optional(),
  webhooks: z.strictObject({
    subscribe: template.optional(), unsubscribe: template.optional(), trigger: z.union([template, fn]),
    secret: z.string().min(1).optional(),
    signature: z.strictObject({
      header: z.string().optional(), algorithm: z.enum(['sha1', 'sha256', 'sha512']).optional(), encoding: z.enum(['hex', 'base64']).optional(),
      prefix: z.string().optional(), timestampHeader: z.string().optional(),
    }).optional(),
    schema: z.union([z.record(z.string(), json), z.string().startsWith('#/')]).optional(),
    windowMs: positiveInt.max(120_000).optional(), failFirst: z.number().int().min(0).max(5).optional(),
    host: z.string().optional(), port: z.number().int().min(0).max(65_535).optional(), publicUrl: httpUrl.optional(),
  }).optional(),
  contract: z.strictObject({ previous: z.union([z.string().min(1), z.record(z.string(), json)]), failOn: z.enum(['error', 'warning']).optional() }).optional(),
  tls: z.strictObject({
    ca: z.union([z.string(), z.array(z.string())]).optional(), minDaysLeft: z.number().int().min(0).optional(), warnDaysLeft: z.number().int().min(0).optional(),
  }).optional(),
  thresholds: thresholds.optional(),
  writes: z.boolean().optional(),
  limits: limits.optional(),
});

/** Options with every default filled in, as the checks read them. */
export interface ResolvedOptions extends Omit<HttpOptions, 'limits' | 'thresholds'> {
  limits: Required<LimitOptions>;
  thresholds: Required<Pick<ThresholdOptions, 'p95Ms' | 'samples'>> & Pick<ThresholdOptions, 'operations'>;
  writes: boolean;
}

/** Defaults of {@link LimitOptions}. */
export const DEFAULT_LIMITS: Required<LimitOptions> = {
  maxOperations: 200,
  maxCasesPerOperation: 8,
  budgetMs: 10_000,
  concurrency: 4,
  requestTimeoutMs: 5_000,
  connectTimeoutMs: 3_000,
  maxBodyBytes: 1_048_576,
};

/** Fill in defaults. */
export function resolveOptions(options: HttpOptions): ResolvedOptions {
  return {
    ...options,
    writes: options.writes ?? false,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    thresholds: { p95Ms: 1_000, samples: 5, ...options.thresholds },
  };
}

/** Every secret value in the options (tokens, passwords, client secrets, webhook secret), for redaction. */
export function secretsOf(options: HttpOptions): string[] {
  const out: string[] = [];
  const identities = [options.auth, ...Object.values(options.users ?? {})];
  for (const identity of identities) {
    if (!identity) continue;
    if (identity.type === 'bearer') out.push(identity.token);
    if (identity.type === 'apiKey') out.push(identity.value);
    if (identity.type === 'basic') out.push(identity.password, Buffer.from(`${identity.username}:${identity.password}`).toString('base64'));
    if (identity.type === 'oauth2') out.push(identity.clientSecret);
    if (identity.type === 'login') out.push(...secretValuesOf(identity.body));
  }
  if (options.webhooks?.secret) out.push(options.webhooks.secret);
  if (options.jwt?.signingKey) out.push(options.jwt.signingKey.secret);
  if (options.jwt?.expiredToken) out.push(options.jwt.expiredToken);
  return out.filter((value) => value.length > 0);
}

/** Values under secret-looking keys of a login body (`password`, `secret`, `token`). */
function secretValuesOf(body: Record<string, unknown>): string[] {
  return Object.entries(body)
    .filter(([key, value]) => /pass|secret|token|key/i.test(key) && typeof value === 'string')
    .map(([, value]) => value as string);
}
