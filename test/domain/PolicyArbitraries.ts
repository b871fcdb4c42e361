import fc from "fast-check"
import type { CounterKey, Cors, GatewayPolicies, OasValidation, Preflight } from "../../src/domain/ApiIntent.ts"
import { makePolicyDocument, PolicyElement, type PolicyDocument, type PolicySettings, type ValidationAction } from "../../src/domain/Policy.ts"

/**
 * Generators for policy tests. Every string position mixes well-formed values with hostile ones: XML
 * metacharacters, CDATA and comment terminators, policy-expression and named-value openers, C# quote and
 * paren sequences, control and non-XML characters, lone surrogates, and very long values.
 */
const hostilePieces = [
  "<",
  ">",
  "&",
  '"',
  "'",
  "]]>",
  "<![CDATA[",
  "<!--",
  "-->",
  "@(",
  "@{",
  '")',
  '",""))',
  "\\",
  "\\u0022",
  "{{",
  "}}",
  "{{secret}}",
  "\n",
  "\r\n",
  "\t",
  "\u0000",
  "\u0001",
  "\u0008",
  "\u000B",
  "\u000C",
  "\u001F",
  "\u007F",
  "\u0085",
  "\u00A0",
  "\u2028",
  "\uFFFE",
  "\uFFFF",
  "\uD800",
  "\uDFFF",
  "😀",
  "&amp;",
  "&#1;",
  "&lt;",
  "</inbound><inbound>",
  '<set-backend-service base-url="http://evil" />',
  " ",
  "*",
  "https://a.example",
  "X-Key"
]

const hostileShort = fc
  .array(fc.oneof(fc.constantFrom(...hostilePieces), fc.string({ unit: "binary", maxLength: 6 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join(""))

const hostileLong = fc.tuple(hostileShort, fc.integer({ min: 200, max: 3000 })).map(([piece, times]) => piece.repeat(times).slice(0, 30_000))

export const hostile: fc.Arbitrary<string> = fc.oneof({ weight: 8, arbitrary: hostileShort }, { weight: 1, arbitrary: hostileLong })

/** Mostly `valid`, sometimes hostile. */
const mostly = (valid: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.oneof({ weight: 5, arbitrary: valid }, { weight: 1, arbitrary: hostile })

const token = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/)
const origin = fc.oneof(
  { weight: 1, arbitrary: fc.constant("*") },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom("http", "https"), fc.domain()).map(([scheme, host]) => `${scheme}://${host}`) }
)
const fragmentId = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_-]{0,30}[A-Za-z0-9_]$/)
const plainText = fc.stringMatching(/^[A-Za-z0-9:/._-][A-Za-z0-9 :/._&<>"'-]{0,40}[A-Za-z0-9:/._-]$/)

export const counterKey: fc.Arbitrary<CounterKey> = fc.oneof(
  fc.constant<CounterKey>({ _tag: "ClientIp" }),
  fc.constant<CounterKey>({ _tag: "Subscription" }),
  mostly(token).map((name): CounterKey => ({ _tag: "Header", name })),
  fc.oneof(token, hostile).map((name): CounterKey => ({ _tag: "JwtClaim", name })),
  fc.oneof(token, hostile).map((value): CounterKey => ({ _tag: "Constant", value }))
)

const preflight: fc.Arbitrary<Preflight> = fc.record({
  allowHeaders: fc.array(mostly(fc.oneof(token, fc.constant("*"))), { maxLength: 4 }),
  allowMethods: fc.array(mostly(fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "*")), { maxLength: 4 }),
  maxAge: fc.nat({ max: 86400 })
})

const cors: fc.Arbitrary<Cors> = fc.record(
  { allowCredentials: fc.boolean(), allowOrigins: fc.array(mostly(origin), { minLength: 1, maxLength: 4 }), preflight },
  { requiredKeys: ["allowCredentials", "allowOrigins"] }
)

const oasValidation: fc.Arbitrary<OasValidation> = fc.record({
  request: fc.boolean(),
  response: fc.boolean(),
  allowUnspecifiedHeaders: fc.boolean(),
  allowUnspecifiedQueryParams: fc.boolean(),
  allowUnspecifiedCookies: fc.boolean()
})

export const gatewayPolicies: fc.Arbitrary<GatewayPolicies> = fc.record(
  {
    rateLimit: fc.record({ key: counterKey, calls: fc.integer({ min: 1, max: 1_000_000 }), renewalPeriod: fc.constantFrom(1, 60, 300) }),
    quota: fc.record({ key: counterKey, calls: fc.integer({ min: 1, max: 10_000_000 }), renewalPeriod: fc.constantFrom(300, 3600, 86400) }),
    cors,
    apiKey: fc.record({ location: fc.constantFrom("header" as const, "query" as const), name: mostly(token) }),
    oasValidation,
    template: mostly(fragmentId),
    jwtValidation: fc.boolean()
  },
  { requiredKeys: ["jwtValidation"] }
)

export const policySettings: fc.Arbitrary<PolicySettings> = fc.record(
  {
    openIdConfigUrl: mostly(fc.webUrl()),
    audiences: fc.array(mostly(plainText), { minLength: 1, maxLength: 3 }),
    issuers: fc.array(mostly(fc.webUrl()), { maxLength: 2 }),
    requiredClaims: fc.dictionary(mostly(token), fc.array(mostly(plainText), { minLength: 1, maxLength: 3 }), { maxKeys: 3 }),
    failedValidationMessage: mostly(plainText),
    maxRequestSizeBytes: fc.integer({ min: 1, max: 102_400 }),
    maxResponseSizeBytes: fc.integer({ min: 1, max: 102_400 }),
    passThroughRequestHeaders: fc.array(mostly(token), { maxLength: 4 })
  },
  { requiredKeys: ["openIdConfigUrl", "audiences"] }
)

const action = fc.constantFrom<ValidationAction>("ignore", "prevent", "detect")
const strings = fc.array(hostile, { maxLength: 3 })

/** Any policy element with hostile strings everywhere, as a caller bypassing `compilePolicy` could build it. */
const anyElement: fc.Arbitrary<PolicyElement> = fc.oneof(
  fc.record({
    allowCredentials: fc.boolean(),
    terminateUnmatchedRequest: fc.boolean(),
    allowedOrigins: strings,
    allowedMethods: fc.option(fc.record({ preflightResultMaxAge: fc.nat(), methods: strings }), { nil: undefined }),
    allowedHeaders: strings,
    exposeHeaders: strings
  }).map(PolicyElement.Cors),
  fc.record({
    headerName: hostile,
    failedValidationHttpCode: fc.nat({ max: 599 }),
    failedValidationErrorMessage: hostile,
    requireScheme: hostile,
    openIdConfigUrl: hostile,
    audiences: strings,
    issuers: strings,
    requiredClaims: fc.array(fc.record({ name: hostile, match: fc.constantFrom("any" as const, "all" as const), values: strings }), { maxLength: 2 })
  }).map(PolicyElement.ValidateJwt),
  fc.record({ calls: fc.nat(), renewalPeriod: fc.nat(), counterKey }).map(PolicyElement.RateLimitByKey),
  fc.record({ calls: fc.nat(), renewalPeriod: fc.nat(), counterKey }).map(PolicyElement.QuotaByKey),
  fc.record({
    specifiedParameterAction: action,
    unspecifiedParameterAction: action,
    errorsVariableName: hostile,
    headers: fc.option(
      fc.record({
        specifiedParameterAction: action,
        unspecifiedParameterAction: action,
        parameters: fc.array(fc.record({ name: hostile, action }), { maxLength: 3 })
      }),
      { nil: undefined }
    ),
    query: fc.constant(undefined)
  }).map(PolicyElement.ValidateParameters),
  fc.record({
    unspecifiedContentTypeAction: action,
    maxSize: fc.nat(),
    sizeExceededAction: action,
    errorsVariableName: hostile,
    content: fc.array(fc.record({ type: fc.option(hostile, { nil: undefined }), validateAs: fc.constantFrom("json" as const, "xml" as const), action }), {
      maxLength: 2
    })
  }).map(PolicyElement.ValidateContent),
  fc.record({ fragmentId: hostile }).map(PolicyElement.IncludeFragment)
)

export const anyDocument: fc.Arbitrary<PolicyDocument> = fc
  .record({ inbound: fc.array(anyElement, { maxLength: 4 }), outbound: fc.array(anyElement, { maxLength: 2 }) })
  .map(makePolicyDocument)
