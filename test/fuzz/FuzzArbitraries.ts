import fc from "fast-check"
import { isJsonObject, type Json, type JsonObject } from "../../src/emulators/Json.ts"

/**
 * Generated ExposedAPI specs: a valid one built from a few choices, then, in most cases, 1 to 3 of its fields (or
 * fields nested in its sections) replaced by something hostile — strings that mean something to XML, URLs, paths,
 * APIM policy expressions or shells, control characters and lone surrogates, huge and negative numbers, wrong
 * types, objects where strings go. Such a spec keeps `mutated`, so the test knows which ones must be published.
 */
export interface FuzzCase {
  readonly spec: JsonObject
  /** The fields replaced, e.g. ["rateLimit.limit", "path"]; empty for a valid spec. */
  readonly mutated: ReadonlyArray<string>
}

const hostileStrings = fc.constantFrom(
  "",
  " ",
  "\n",
  "\u0000",
  "\t/tab",
  "\"><script>alert(1)</script>",
  "</policies><policies>",
  "]]><![CDATA[",
  "&amp;&lt;&#x0;",
  "@(context.Request.Headers.GetValueOrDefault(\"Authorization\"))",
  "@{ return \"x\"; }",
  "{{named-value}}",
  "${HOME}",
  "$(rm -rf /)",
  "/../../etc/passwd",
  "/%2F%2e%2e",
  "/%zz",
  "/a b",
  "//double//slashes",
  "/?query=1",
  "/#fragment",
  "http://169.254.169.254/metadata",
  "file:///etc/passwd",
  "javascript:alert(1)",
  "https://user:secret@example.com/",
  "*",
  "null",
  "true",
  "-1",
  "1e309",
  "0x1F",
  "NaN",
  "é\u0301ü",
  "😀",
  "\ud800",
  "a".repeat(300),
  "/".repeat(300),
  "x".repeat(5000)
)

const hostileString: fc.Arbitrary<Json> = fc.oneof(
  { weight: 4, arbitrary: hostileStrings },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 20 }) }
)

const hostileInteger: fc.Arbitrary<Json> = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 65_536, 2 ** 53, -(2 ** 31)))

/** Anything at all: mostly the wrong type for the field, which the CRD's schema should refuse. */
const anyValue: fc.Arbitrary<Json> = fc.oneof(
  hostileString,
  hostileInteger,
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileStrings, { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("enabled", "url", "limit", "x"), hostileStrings, { maxKeys: 2 })
)

type Kind = "string" | "integer" | "boolean" | "object"

/** The fields a mutation may replace, top-level or nested in a section, with the type the CRD gives them. */
const MUTABLE: ReadonlyArray<readonly [string, Kind]> = [
  ["name", "string"],
  ["specification", "object"],
  ["specification.url", "string"],
  ["implementation", "string"],
  ["path", "string"],
  ["port", "integer"],
  ["developerUI", "string"],
  ["rateLimit", "object"],
  ["rateLimit.enabled", "boolean"],
  ["rateLimit.identifier", "string"],
  ["rateLimit.limit", "string"],
  ["rateLimit.interval", "string"],
  ["quota", "object"],
  ["quota.identifier", "string"],
  ["quota.limit", "string"],
  ["CORS", "object"],
  ["CORS.enabled", "boolean"],
  ["CORS.allowOrigins", "string"],
  ["CORS.allowCredentials", "boolean"],
  ["OASValidation.requestEnabled", "boolean"],
  ["apiKeyVerification", "object"],
  ["apiKeyVerification.enabled", "boolean"],
  ["apiKeyVerification.location", "string"],
  ["template", "string"],
  ["segment", "string"]
]

const ofKind = (kind: Kind): fc.Arbitrary<Json> => {
  switch (kind) {
    case "string":
      return hostileString
    case "integer":
      return hostileInteger
    case "boolean":
      return fc.boolean()
    case "object":
      return fc.dictionary(fc.constantFrom("enabled", "url", "limit", "identifier", "interval", "allowOrigins", "location"), hostileString, { maxKeys: 3 })
  }
}

/** A hostile value for a field: of the field's type four times in five (so it gets past the schema), else anything. */
const mutation: fc.Arbitrary<readonly [string, Json]> = fc.constantFrom(...MUTABLE).chain(([field, kind]) =>
  fc.oneof({ weight: 4, arbitrary: ofKind(kind) }, { weight: 1, arbitrary: anyValue }).map((value) => [field, value] as const)
)

const setAt = (spec: JsonObject, field: string, value: Json): JsonObject => {
  const [head, ...rest] = field.split(".")
  if (head === undefined) return spec
  if (rest.length === 0) return { ...spec, [head]: value }
  const inner = spec[head]
  const section: JsonObject = inner !== undefined && isJsonObject(inner) ? inner : {}
  return { ...spec, [head]: setAt(section, rest.join("."), value) }
}

const optional = <A>(arbitrary: fc.Arbitrary<A>) => fc.option(arbitrary, { nil: undefined })

/** Stands for the ExposedAPI's name in a generated spec until `specFor` gives it one (each run uses a new name). */
export const NAME = "__fuzz_name__"

/** A valid spec: its path under `/<name>/`, its document on the test's document server. */
const validSpec = (documentsUrl: string): fc.Arbitrary<JsonObject> =>
  fc.record({
    displayName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,30}$/),
    port: fc.integer({ min: 1, max: 65_535 }),
    tail: fc.array(fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,8}$/), { maxLength: 3 }),
    rateLimit: optional(fc.record({ limit: fc.integer({ min: 1, max: 1000 }), interval: fc.constantFrom("pm", "ps") })),
    quota: optional(fc.integer({ min: 1, max: 100_000 })),
    cors: optional(fc.record({
      origins: fc.constantFrom("https://a.example.com", "https://a.example.com,https://b.example.org", "*"),
      credentials: fc.boolean()
    })),
    oas: optional(fc.record({ requestEnabled: fc.boolean(), responseEnabled: fc.boolean() })),
    apiKey: optional(fc.constantFrom("header", "query"))
  }).map(({ apiKey, cors, displayName, oas, port, quota, rateLimit, tail }): JsonObject => ({
    name: displayName,
    specification: { url: `${documentsUrl}/${NAME}.json`, version: "v1" },
    apiType: "openapi",
    implementation: `${NAME}-svc`,
    path: `/${[NAME, ...tail].join("/")}`,
    port,
    ...(rateLimit === undefined ? {} : { rateLimit: { enabled: true, identifier: "IP", limit: String(rateLimit.limit), interval: rateLimit.interval } }),
    ...(quota === undefined ? {} : { quota: { identifier: "IP", limit: String(quota) } }),
    ...(cors === undefined
      ? {}
      : { CORS: { enabled: true, allowOrigins: cors.origins, allowCredentials: cors.origins !== "*" && cors.credentials } }),
    ...(oas === undefined ? {} : { OASValidation: oas }),
    ...(apiKey === undefined ? {} : { apiKeyVerification: { enabled: true, location: apiKey } })
  }))

const noMutation: ReadonlyArray<readonly [string, Json]> = []

/** None one time in four, otherwise 1 to 3. */
const mutations: fc.Arbitrary<ReadonlyArray<readonly [string, Json]>> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(noMutation) },
  { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }
)

/** A spec valid one time in four, otherwise with hostile fields. */
export const fuzzCase = (documentsUrl: string): fc.Arbitrary<FuzzCase> =>
  fc.tuple(validSpec(documentsUrl), mutations).map(([spec, mutations]) => ({
    spec: mutations.reduce<JsonObject>((current, [field, value]) => setAt(current, field, value), spec),
    mutated: mutations.map(([field]) => field)
  }))

/** The spec of one run, for the ExposedAPI `name`. */
export const specFor = (fuzz: FuzzCase, name: string): JsonObject => {
  const parsed: Json = JSON.parse(JSON.stringify(fuzz.spec).split(NAME).join(name))
  return isJsonObject(parsed) ? parsed : {}
}
