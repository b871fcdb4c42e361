import { Schema } from "effect"

/**
 * The version-free model of one API to publish: what an ExposedAPI (v1, v1beta4 or v1beta3) asks for, normalised
 * and validated. Everything downstream (Ingress manifest, APIM API definition, policy XML, status) is computed
 * from it, so it is the one place where the ODA contract is interpreted.
 */

/** `namespace/name` of an ExposedAPI. */
export const ObjectKey = Schema.String.pipe(Schema.brand("ObjectKey"))
export type ObjectKey = typeof ObjectKey.Type
export const objectKey = (namespace: string, name: string): ObjectKey => ObjectKey.make(`${namespace}/${name}`)
export const splitKey = (key: ObjectKey): { readonly namespace: string; readonly name: string } => {
  const slash = key.indexOf("/")
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) }
}

export const ApiType = Schema.Literal("openapi", "prometheus", "openmetrics", "mcp")
export type ApiType = typeof ApiType.Type

export const Segment = Schema.Literal("coreFunction", "managementFunction", "securityFunction")
export type Segment = typeof Segment.Type

/** Who a rate-limit or quota counter is kept for. */
export const CounterKey = Schema.Union(
  Schema.TaggedStruct("ClientIp", {}),
  Schema.TaggedStruct("Subscription", {}),
  Schema.TaggedStruct("Header", { name: Schema.String }),
  Schema.TaggedStruct("JwtClaim", { name: Schema.String }),
  /** An identifier we cannot interpret as one of the above: one counter shared by every caller, named by it. */
  Schema.TaggedStruct("Constant", { value: Schema.String })
)
export type CounterKey = typeof CounterKey.Type

export const RateLimit = Schema.Struct({
  key: CounterKey,
  calls: Schema.Int.pipe(Schema.positive()),
  /** Seconds: 1 for `ps`, 60 for `pm`. */
  renewalPeriod: Schema.Int.pipe(Schema.positive())
})
export type RateLimit = typeof RateLimit.Type

export const Quota = Schema.Struct({
  key: CounterKey,
  calls: Schema.Int.pipe(Schema.positive()),
  /** Seconds; the operator's default renewal period unless the spec says otherwise. */
  renewalPeriod: Schema.Int.pipe(Schema.positive())
})
export type Quota = typeof Quota.Type

export const Preflight = Schema.Struct({
  allowHeaders: Schema.Array(Schema.String),
  allowMethods: Schema.Array(Schema.String),
  maxAge: Schema.Int.pipe(Schema.nonNegative())
})
export type Preflight = typeof Preflight.Type

export const Cors = Schema.Struct({
  allowCredentials: Schema.Boolean,
  /** `["*"]` means any origin. */
  allowOrigins: Schema.Array(Schema.String),
  /** Absent when `handlePreflightRequests.enabled` is false. */
  preflight: Schema.optional(Preflight)
})
export type Cors = typeof Cors.Type

export const ApiKey = Schema.Struct({
  location: Schema.Literal("header", "query"),
  /** The header or query parameter carrying the key. */
  name: Schema.String
})
export type ApiKey = typeof ApiKey.Type

export const OasValidation = Schema.Struct({
  request: Schema.Boolean,
  response: Schema.Boolean,
  allowUnspecifiedHeaders: Schema.Boolean,
  allowUnspecifiedQueryParams: Schema.Boolean,
  allowUnspecifiedCookies: Schema.Boolean
})
export type OasValidation = typeof OasValidation.Type

export const Specification = Schema.Struct({
  url: Schema.String,
  version: Schema.optional(Schema.String)
})
export type Specification = typeof Specification.Type

export const GatewayPolicies = Schema.Struct({
  rateLimit: Schema.optional(RateLimit),
  quota: Schema.optional(Quota),
  cors: Schema.optional(Cors),
  apiKey: Schema.optional(ApiKey),
  oasValidation: Schema.optional(OasValidation),
  /** Name of an APIM policy fragment to include. */
  template: Schema.optional(Schema.String),
  /** JWT validation against the configured OpenID Connect issuer; false only when the resource opted out. */
  jwtValidation: Schema.Boolean
})
export type GatewayPolicies = typeof GatewayPolicies.Type

export const ApiIntent = Schema.Struct({
  key: ObjectKey,
  namespace: Schema.String,
  name: Schema.String,
  uid: Schema.String,
  generation: Schema.Int,
  /** `spec.name`: the API's name as the Component defines it. */
  apiName: Schema.String,
  /** The APIM API id: deterministic, unique across namespaces, valid for APIM. */
  apiId: Schema.String,
  displayName: Schema.String,
  /** `spec.path` as written, with its leading slash. */
  path: Schema.String,
  implementation: Schema.Struct({ service: Schema.String, port: Schema.Int }),
  apiType: ApiType,
  specification: Schema.optional(Specification),
  developerUI: Schema.optional(Schema.String),
  segment: Schema.optional(Segment),
  /** The owning ODA Component (label `oda.tmforum.org/componentName`). */
  component: Schema.optional(Schema.String),
  policies: GatewayPolicies
})
export type ApiIntent = typeof ApiIntent.Type

/** The APIM API path: `spec.path` without its leading slash. */
export const apimPath = (intent: Pick<ApiIntent, "path">): string => intent.path.replace(/^\/+/, "")

/** Metrics APIs are exposed through the Ingress only; they never reach the public gateway. */
export const publishedToApim = (intent: Pick<ApiIntent, "apiType">): boolean => intent.apiType === "openapi" || intent.apiType === "mcp"
