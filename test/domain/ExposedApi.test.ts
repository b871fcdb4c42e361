import { Either, Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import {
  COMPONENT_LABEL,
  DEFAULT_INTENT_SETTINGS,
  ExposedApi,
  FINALIZER,
  JWT_OPT_OUT_ANNOTATION,
  toApiIntent
} from "../../src/domain/ExposedApi.ts"
import { InvalidSpec } from "../../src/domain/SpecProblems.ts"
import { exposedApi, intentOf, metadata, odaExample, problemFor, problemsOf } from "./Fixtures.ts"

const catalogUrl = "https://raw.githubusercontent.com/tmforum-apis/TMF620_ProductCatalog/master/TMF620-ProductCatalog-v4.0.0.swagger.json"

describe("ExposedApi schema", () => {
  it("decodes the ODA example with metadata defaults and keeps fields it does not interpret", () => {
    const api = Schema.decodeUnknownSync(ExposedApi)({ ...odaExample(), metadata })
    expect(api.metadata.finalizers).toEqual([])
    expect(api.key).toBe("components/r1-productcatalogmanagement-productcatalogmanagement")
    expect(api.isDeleting).toBe(false)
    expect(api.hasFinalizer(FINALIZER)).toBe(false)
    expect(api.spec["apiSDO"]).toBe("TMForum")
    expect(api.status).toBeUndefined()
  })

  it("keeps status opaque, so fields owned by other writers survive a round trip", () => {
    const status = { apiStatus: { url: "https://gw/x" }, deploymentStatus: "Complete", conditions: [{ type: "Other" }] }
    const api = Schema.decodeUnknownSync(ExposedApi)({ ...odaExample(), metadata, status })
    expect(Schema.encodeSync(ExposedApi)(api).status).toEqual(status)
  })

  it("reads deletion, finalizers, labels, annotations and owner references", () => {
    const api = exposedApi(
      {},
      {
        deletionTimestamp: "2025-01-01T00:00:00Z",
        finalizers: [FINALIZER, "other/finalizer"],
        labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" },
        annotations: { note: "x" },
        ownerReferences: [{ apiVersion: "oda.tmforum.org/v1", kind: "Component", name: "r1", uid: "u", controller: true }],
        creationTimestamp: "2024-12-31T00:00:00Z",
        managedFields: [{ manager: "kubectl" }]
      }
    )
    expect(api.isDeleting).toBe(true)
    expect(api.hasFinalizer(FINALIZER)).toBe(true)
    expect(api.hasFinalizer("missing")).toBe(false)
    expect(api.metadata.ownerReferences?.[0]?.kind).toBe("Component")
  })

  it("decodes a malformed spec, so every bad field can be reported rather than one parse error", () => {
    const api = exposedApi({ port: "eighty", path: 42, rateLimit: "lots", CORS: [1, 2] })
    expect(api.spec.port).toBe("eighty")
    expect(problemsOf(api).map((problem) => problem.field).sort()).toEqual(["spec.CORS", "spec.path", "spec.port", "spec.rateLimit"])
  })

  it("decodes list items without apiVersion and kind, and a resource without spec", () => {
    const api = Schema.decodeUnknownSync(ExposedApi)({ metadata })
    expect(api.apiVersion).toBe("oda.tmforum.org/v1")
    expect(api.kind).toBe("ExposedAPI")
    expect(problemsOf(api).map((problem) => problem.field)).toEqual([
      "spec.name",
      "spec.implementation",
      "spec.path",
      "spec.port",
      "spec.apiType"
    ])
  })
})

describe("toApiIntent: the ODA example", () => {
  it("interprets every field of the example", () => {
    expect(intentOf(exposedApi())).toEqual({
      key: "components/r1-productcatalogmanagement-productcatalogmanagement",
      namespace: "components",
      name: "r1-productcatalogmanagement-productcatalogmanagement",
      uid: metadata.uid,
      generation: 3,
      apiName: "productcatalogmanagement",
      apiId: apimApiId("components", "r1-productcatalogmanagement-productcatalogmanagement"),
      displayName: "productcatalogmanagement",
      path: "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4",
      implementation: { service: "r1-prodcatapi", port: 8080 },
      apiType: "openapi",
      specification: { url: catalogUrl, version: "v4.0.0" },
      developerUI: "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4/docs",
      segment: "coreFunction",
      policies: {
        apiKey: { location: "header", name: "Ocp-Apim-Subscription-Key" },
        rateLimit: { key: { _tag: "ClientIp" }, calls: 100, renewalPeriod: 60 },
        quota: { key: { _tag: "Constant", value: "test-identifier" }, calls: 1000, renewalPeriod: 3600 },
        oasValidation: {
          request: true,
          response: true,
          allowUnspecifiedHeaders: false,
          allowUnspecifiedQueryParams: false,
          allowUnspecifiedCookies: false
        },
        cors: {
          allowCredentials: true,
          allowOrigins: ["https://allowed-origin.com", "https://another-allowed-origin.com"],
          preflight: {
            allowHeaders: ["Origin", "Accept", "X-Requested-With", "Content-Type", "Access-Control-Request-Method", "Access-Control-Request-Headers"],
            allowMethods: ["GET", "POST", "PUT", "DELETE"],
            maxAge: 3600
          }
        },
        jwtValidation: true
      }
    })
  })

  it("gives the same intent whichever apiVersion the object was read as", () => {
    const v1 = intentOf(exposedApi())
    expect(intentOf(exposedApi({}, {}, "oda.tmforum.org/v1beta3"))).toEqual(v1)
    expect(intentOf(exposedApi({}, {}, "oda.tmforum.org/v1beta4"))).toEqual(v1)
  })

  it("takes the component from its label", () => {
    expect(intentOf(exposedApi({}, { labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" } })).component).toBe(
      "r1-productcatalogmanagement"
    )
    expect(intentOf(exposedApi({}, { labels: { [COMPONENT_LABEL]: "  " } }))).not.toHaveProperty("component")
    expect(intentOf(exposedApi({}, { labels: { other: "x" } }))).not.toHaveProperty("component")
  })

  it("keeps metadata.generation, so conditions can carry observedGeneration", () => {
    expect(intentOf(exposedApi({}, { generation: 17 })).generation).toBe(17)
  })
})

describe("toApiIntent: specification in every shape", () => {
  it.each([
    ["v1 object", { url: catalogUrl, version: "v4.0.0" }, { url: catalogUrl, version: "v4.0.0" }],
    ["v1 object without version", { url: catalogUrl }, { url: catalogUrl }],
    ["v1beta4 list of objects", [{ url: catalogUrl, version: "v4.0.0" }], { url: catalogUrl, version: "v4.0.0" }],
    ["v1beta3 list of URLs", [catalogUrl], { url: catalogUrl }],
    ["the seed's plain URL", catalogUrl, { url: catalogUrl }],
    ["a list with several entries: the first", [{ url: "https://a.example/v4.json" }, { url: "https://b.example/v5.yaml" }], { url: "https://a.example/v4.json" }],
    ["a URL with surrounding blanks", `  ${catalogUrl}  `, { url: catalogUrl }],
    ["an http URL, normalised", "HTTP://Specs.Example:80/a/../oas.json", { url: "http://specs.example/oas.json" }]
  ])("reads the %s", (_, specification, expected) => {
    expect(intentOf(exposedApi({ specification })).specification).toEqual(expected)
  })

  it.each([
    ["a missing specification", undefined],
    ["an empty list", []],
    ["null", null]
  ])("requires a specification for openapi: %s", (_, specification) => {
    expect(problemFor(exposedApi({ specification }), "spec.specification")).toMatch(/is required when spec.apiType is "openapi"/)
  })

  it.each(["prometheus", "openmetrics", "mcp"])("does not require a specification for %s", (apiType) => {
    const intent = intentOf(exposedApi({ apiType, specification: undefined, OASValidation: undefined }))
    expect(intent.apiType).toBe(apiType)
    expect(intent).not.toHaveProperty("specification")
  })

  it("still checks a specification given for a type that does not need one", () => {
    expect(problemFor(exposedApi({ apiType: "mcp", specification: "file:///etc/passwd" }), "spec.specification")).toMatch(/http or https/)
  })

  it.each([
    [{ url: "ftp://example.com/x.json" }, "spec.specification.url", /must use http or https, got "ftp"/],
    [{ url: "not a url" }, "spec.specification.url", /whitespace/],
    [{ url: "example.com/x.json" }, "spec.specification.url", /absolute http\(s\) URL/],
    [{ url: "/relative/x.json" }, "spec.specification.url", /absolute http\(s\) URL/],
    [{ url: "https://user:secret@example.com/x.json" }, "spec.specification.url", /credentials/],
    [{ url: "https://example.com/\u0000" }, "spec.specification.url", /control characters/],
    [{ url: `https://example.com/${"a".repeat(2100)}` }, "spec.specification.url", /at most 2048/],
    [{ url: 42 }, "spec.specification.url", /absolute http\(s\) URL, got 42/],
    [{ version: "v4" }, "spec.specification.url", /is required/],
    [{ url: catalogUrl, version: 4 }, "spec.specification.version", /must be a string/],
    [{ url: catalogUrl, version: "" }, "spec.specification.version", /must not be empty/],
    [42, "spec.specification", /must be \{url, version\}/],
    [[42], "spec.specification[0]", /must be \{url, version\}/],
    [[{ url: "gopher://x" }], "spec.specification[0].url", /http or https/],
    [["mailto:someone@example.com"], "spec.specification[0]", /http or https/]
  ])("reports %j on %s", (specification, field, message) => {
    expect(problemFor(exposedApi({ specification }), field)).toMatch(message)
  })
})

describe("toApiIntent: required fields", () => {
  it.each([
    ["name", /is required: the API's name/],
    ["implementation", /is required: the name of the Service/],
    ["path", /is required: the path to the root of the API/],
    ["port", /is required: the Service port/],
    ["apiType", /is required: one of "openapi", "prometheus", "openmetrics", "mcp"/]
  ])("reports a missing %s", (field, message) => {
    expect(problemFor(exposedApi({ [field]: undefined }), `spec.${field}`)).toMatch(message)
  })

  it("reports every problem at once, in one readable message", () => {
    const result = toApiIntent(exposedApi({ port: "eighty", path: "api", implementation: "Bad_Name" }), DEFAULT_INTENT_SETTINGS)
    const error = Either.getLeft(result)
    expect(error._tag).toBe("Some")
    if (error._tag !== "Some") return
    expect(error.value).toBeInstanceOf(InvalidSpec)
    expect(error.value.retryable).toBe(false)
    expect(error.value.problems).toHaveLength(3)
    expect(error.value.message).toBe(
      "invalid spec (3 problems): " +
        'spec.implementation must be a Service name: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, got "Bad_Name"; ' +
        'spec.path must start with "/", got "api" (did you mean "/api"?); ' +
        "spec.port must be an integer between 1 and 65535, got \"eighty\""
    )
  })
})

describe("toApiIntent: name and displayName", () => {
  it("uses spec.name, trimmed, as the API's name and display name", () => {
    const intent = intentOf(exposedApi({ name: "  Product Catalog  " }))
    expect(intent.apiName).toBe("Product Catalog")
    expect(intent.displayName).toBe("Product Catalog")
  })

  it.each([
    ["", /must not be empty/],
    ["   ", /must not be empty/],
    [42, /must be a string/],
    ["a\u0007b", /control characters/],
    ["x".repeat(301), /at most 300 characters, got 301/]
  ])("reports name %j", (name, message) => {
    expect(problemFor(exposedApi({ name }), "spec.name")).toMatch(message)
  })
})

describe("toApiIntent: implementation and port", () => {
  it.each(["a", "r1-prodcatapi", "a".repeat(63), "svc0"])("accepts the Service name %s", (implementation) => {
    expect(intentOf(exposedApi({ implementation })).implementation.service).toBe(implementation)
  })

  it.each([
    ["Prod", /Service name/],
    ["prod_api", /Service name/],
    ["1prod", /Service name/],
    ["prod-", /Service name/],
    ["prod.api", /Service name/],
    ["", /Service name/],
    ["a".repeat(64), /at most 63 characters, got 64/],
    [7, /must be the name of a Service in this namespace, got 7/]
  ])("reports the implementation %j", (implementation, message) => {
    expect(problemFor(exposedApi({ implementation }), "spec.implementation")).toMatch(message)
  })

  it.each([1, 80, 8080, 65535])("accepts port %d", (port) => {
    expect(intentOf(exposedApi({ port })).implementation.port).toBe(port)
  })

  it.each([
    ["eighty", 'must be an integer between 1 and 65535, got "eighty"'],
    ["8080", 'must be an integer between 1 and 65535 written without quotes, got the string "8080"'],
    [0, "must be an integer between 1 and 65535, got 0"],
    [65536, "must be an integer between 1 and 65535, got 65536"],
    [-1, "must be an integer between 1 and 65535, got -1"],
    [80.5, "must be an integer between 1 and 65535, got 80.5"],
    [true, "must be an integer between 1 and 65535, got true"],
    [{ number: 80 }, "must be an integer between 1 and 65535, got an object"]
  ])("reports port %j", (port, message) => {
    expect(problemFor(exposedApi({ port }), "spec.port")).toBe(message)
  })
})

describe("toApiIntent: path and developerUI", () => {
  it.each([
    ["/", "/"],
    ["/api", "/api"],
    ["/api/", "/api"],
    ["/tmf-api/productCatalogManagement/v4", "/tmf-api/productCatalogManagement/v4"],
    ["/a/b.c/~d/e-f_g", "/a/b.c/~d/e-f_g"],
    ["/a%20b", "/a%20b"],
    ["/v1;x=1/@me:here", "/v1;x=1/@me:here"]
  ])("accepts the path %s as %s", (path, expected) => {
    expect(intentOf(exposedApi({ path })).path).toBe(expected)
  })

  it.each([
    ["api/v1", /must start with "\/", got "api\/v1" \(did you mean "\/api\/v1"\?\)/],
    ["", /must start with "\/", got ""$/],
    ["/a b", /whitespace or control characters/],
    ["/a\tb", /whitespace or control characters/],
    ["/a\nb", /whitespace or control characters, got "\/a\\nb"/],
    ["/a\u0000", /whitespace or control characters/],
    ["/a?x=1", /without a query \("\?"\) or fragment \("#"\)/],
    ["/a#top", /without a query/],
    ["/a/../b", /"\." or "\.\." segments/],
    ["/a/..", /"\." or "\.\." segments/],
    ["/a/./b", /"\." or "\.\." segments/],
    ["/a/%2e%2E/b", /"\." or "\.\." segments/],
    ["/a//b", /empty segments/],
    ["//", /empty segments/],
    ["/a%2Fb", /must not encode/],
    ["/a%5cb", /must not encode/],
    ["/a%00", /must not encode/],
    ["/a%zz", /%XX escapes/],
    ["/a%2", /%XX escapes/],
    ["/a<script>", /may contain only/],
    ["/a\"b", /may contain only/],
    ["/a\\b", /may contain only/],
    ["/café", /may contain only/],
    ["/{id}", /may contain only/],
    [`/${"a".repeat(400)}`, /at most 400 characters/],
    [42, /must be a path starting with "\/", got 42/]
  ])("reports the path %j", (path, message) => {
    expect(problemFor(exposedApi({ path }), "spec.path")).toMatch(message)
  })

  it("keeps developerUI as written, trailing slash included", () => {
    expect(intentOf(exposedApi({ developerUI: "/docs/" })).developerUI).toBe("/docs/")
    expect(intentOf(exposedApi({ developerUI: undefined }))).not.toHaveProperty("developerUI")
  })

  it.each([
    ["docs", /must start with "\/"/],
    ["https://example.com/docs", /must start with "\/"/],
    ["/docs/../../admin", /"\." or "\.\." segments/],
    [true, /must be a path/]
  ])("reports developerUI %j", (developerUI, message) => {
    expect(problemFor(exposedApi({ developerUI }), "spec.developerUI")).toMatch(message)
  })
})

describe("toApiIntent: apiType and segment", () => {
  it.each(["openapi", "prometheus", "openmetrics", "mcp"])("accepts apiType %s", (apiType) => {
    expect(intentOf(exposedApi({ apiType })).apiType).toBe(apiType)
  })

  it.each(["OpenAPI", "graphql", "", 1])("reports apiType %j", (apiType) => {
    expect(problemFor(exposedApi({ apiType }), "spec.apiType")).toMatch(/must be one of "openapi", "prometheus", "openmetrics", "mcp", got/)
  })

  it("defaults the segment to coreFunction, as the CRD says", () => {
    expect(intentOf(exposedApi({ segment: undefined })).segment).toBe("coreFunction")
  })

  it.each(["coreFunction", "managementFunction", "securityFunction"])("accepts segment %s", (segment) => {
    expect(intentOf(exposedApi({ segment })).segment).toBe(segment)
  })

  it.each(["core", "CoreFunction", 3])("reports segment %j", (segment) => {
    expect(problemFor(exposedApi({ segment }), "spec.segment")).toMatch(/must be one of "coreFunction", "managementFunction", "securityFunction"/)
  })
})

describe("toApiIntent: JWT validation", () => {
  const field = `metadata.annotations["${JWT_OPT_OUT_ANNOTATION}"]`
  const annotated = (value: string) => exposedApi({}, { annotations: { [JWT_OPT_OUT_ANNOTATION]: value } })

  it("follows the operator's default without the annotation", () => {
    expect(intentOf(exposedApi()).policies.jwtValidation).toBe(true)
    expect(intentOf(exposedApi(), { ...DEFAULT_INTENT_SETTINGS, jwtValidationDefault: false }).policies.jwtValidation).toBe(false)
  })

  it("honours the opt-out when the operator allows it", () => {
    expect(intentOf(annotated("disabled"), { ...DEFAULT_INTENT_SETTINGS, allowJwtOptOut: true }).policies.jwtValidation).toBe(false)
    expect(intentOf(annotated(" Disabled "), { ...DEFAULT_INTENT_SETTINGS, allowJwtOptOut: true }).policies.jwtValidation).toBe(false)
  })

  it("makes the resource invalid when opting out is forbidden", () => {
    expect(problemFor(annotated("disabled"), field)).toMatch(/does not allow: remove the annotation/)
  })

  it("forces validation on with enabled, whatever the default", () => {
    expect(intentOf(annotated("enabled"), { ...DEFAULT_INTENT_SETTINGS, jwtValidationDefault: false }).policies.jwtValidation).toBe(true)
  })

  it("reports any other value", () => {
    expect(problemFor(annotated("off"), field)).toBe('must be "enabled" or "disabled", got "off"')
  })
})

describe("toApiIntent: hostile input", () => {
  const fields = [
    "name",
    "implementation",
    "path",
    "port",
    "apiType",
    "specification",
    "developerUI",
    "segment",
    "rateLimit",
    "quota",
    "apiKeyVerification",
    "CORS",
    "OASValidation",
    "template"
  ]
  const hostile = fc.oneof(
    fc.anything(),
    fc.string({ unit: "binary" }),
    fc.constantFrom("<script>", "]]>", "&amp;", "\u2028", "\r\nX-Injected: 1", "${{7*7}}", "@(context.Request)", "a".repeat(5000))
  )

  it("never throws, and every problem names a field and carries no raw control character", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), hostile), (changes) => {
        const result = toApiIntent(exposedApi(changes), DEFAULT_INTENT_SETTINGS)
        if (Either.isRight(result)) return
        for (const problem of result.left.problems) {
          expect(problem.field).toMatch(/^(spec|metadata)\b/)
          expect(problem.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/)
          expect(problem.message.length).toBeLessThan(400)
        }
      }),
      { numRuns: 300 }
    )
  })

  it("accepts every well-formed spec and carries its values through", () => {
    const label = fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/)
    const segment = fc.stringMatching(/^[A-Za-z0-9_~-]{1,12}$/)
    fc.assert(
      fc.property(
        label,
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 65535 }),
        fc.constantFrom("openapi", "prometheus", "openmetrics", "mcp"),
        fc.integer({ min: 1, max: 1_000_000 }),
        (implementation, segments, port, apiType, limit) => {
          const path = `/${segments.join("/")}`
          const intent = intentOf(
            exposedApi({ implementation, path, port, apiType, rateLimit: { enabled: true, limit: String(limit), interval: "ps" } })
          )
          expect(intent.implementation).toEqual({ service: implementation, port })
          expect(intent.path).toBe(path)
          expect(intent.apiType).toBe(apiType)
          expect(intent.policies.rateLimit?.calls).toBe(limit)
        }
      ),
      { numRuns: 200 }
    )
  })
})
