import { describe, expect, it } from "vitest"
import { DEFAULT_INTENT_SETTINGS } from "../../src/domain/ExposedApi.ts"
import { exposedApi, intentOf, problemFor, problemsOf } from "./Fixtures.ts"

const policiesOf = (changes: Record<string, unknown>, settings = DEFAULT_INTENT_SETTINGS) => intentOf(exposedApi(changes), settings).policies

const noPolicies = { rateLimit: undefined, quota: undefined, apiKeyVerification: undefined, CORS: undefined, OASValidation: undefined }

describe("rateLimit", () => {
  const rateLimit = (fields: Record<string, unknown>) => policiesOf({ rateLimit: { enabled: true, limit: "10", ...fields } }).rateLimit

  it("is off when absent, null, or not enabled, whatever else the section holds", () => {
    expect(policiesOf({ rateLimit: undefined })).not.toHaveProperty("rateLimit")
    expect(policiesOf({ rateLimit: null })).not.toHaveProperty("rateLimit")
    expect(policiesOf({ rateLimit: { limit: "10" } })).not.toHaveProperty("rateLimit")
    expect(policiesOf({ rateLimit: { enabled: false, limit: "lots", interval: "ph", identifier: 42 } })).not.toHaveProperty("rateLimit")
  })

  it.each([
    [{}, { _tag: "ClientIp" }],
    [{ identifier: "IP" }, { _tag: "ClientIp" }],
    [{ identifier: "ip" }, { _tag: "ClientIp" }],
    [{ identifier: "" }, { _tag: "ClientIp" }],
    [{ identifier: null }, { _tag: "ClientIp" }],
    [{ identifier: "subscription" }, { _tag: "Subscription" }],
    [{ identifier: "Subscription" }, { _tag: "Subscription" }],
    [{ identifier: "header:X-Client-Id" }, { _tag: "Header", name: "X-Client-Id" }],
    [{ identifier: "Header: X-Client-Id " }, { _tag: "Header", name: "X-Client-Id" }],
    [{ identifier: "claim:sub" }, { _tag: "JwtClaim", name: "sub" }],
    [{ identifier: "jwt:azp" }, { _tag: "JwtClaim", name: "azp" }],
    [{ identifier: "claim:https://example.com/tenant" }, { _tag: "JwtClaim", name: "https://example.com/tenant" }],
    [{ identifier: "test-identifier" }, { _tag: "Constant", value: "test-identifier" }],
    [{ identifier: "headers" }, { _tag: "Constant", value: "headers" }],
    [{ identifier: "team:payments" }, { _tag: "Constant", value: "team:payments" }],
    [{ identifier: "<all & \"callers\">" }, { _tag: "Constant", value: "<all & \"callers\">" }]
  ])("keys the counter by %j", (fields, key) => {
    expect(rateLimit(fields)?.key).toEqual(key)
  })

  it.each([
    [{}, 1],
    [{ interval: "ps" }, 1],
    [{ interval: "pm" }, 60],
    [{ interval: " PM " }, 60],
    [{ interval: null }, 1]
  ])("reads the interval %j as %d seconds", (fields, seconds) => {
    expect(rateLimit(fields)?.renewalPeriod).toBe(seconds)
  })

  it.each([
    ["100", 100],
    [" 7 ", 7],
    [50, 50],
    ["2147483647", 2147483647]
  ])("reads the limit %j", (limit, calls) => {
    expect(rateLimit({ limit })?.calls).toBe(calls)
  })

  it.each([
    [{ limit: undefined }, "spec.rateLimit.limit", /is required when spec.rateLimit.enabled is true/],
    [{ limit: "abc" }, "spec.rateLimit.limit", /must be a positive whole number such as "100", got "abc"/],
    [{ limit: "0" }, "spec.rateLimit.limit", /must be at least 1, got "0"/],
    [{ limit: 0 }, "spec.rateLimit.limit", /must be at least 1, got 0/],
    [{ limit: "-5" }, "spec.rateLimit.limit", /positive whole number/],
    [{ limit: 1.5 }, "spec.rateLimit.limit", /positive whole number/],
    [{ limit: "1e3" }, "spec.rateLimit.limit", /positive whole number/],
    [{ limit: "10.0" }, "spec.rateLimit.limit", /positive whole number/],
    [{ limit: "99999999999" }, "spec.rateLimit.limit", /must be at most 2147483647/],
    [{ limit: true }, "spec.rateLimit.limit", /positive whole number/],
    [{ interval: "ph" }, "spec.rateLimit.interval", /must be "ps" \(per second\) or "pm" \(per minute\), got "ph"/],
    [{ interval: 60 }, "spec.rateLimit.interval", /must be "ps"/],
    [{ identifier: 42 }, "spec.rateLimit.identifier", /must be a string such as "IP"/],
    [{ identifier: "header:" }, "spec.rateLimit.identifier", /must name a header after "header:"/],
    [{ identifier: "header:bad name" }, "spec.rateLimit.identifier", /must name a header/],
    [{ identifier: "claim:" }, "spec.rateLimit.identifier", /must name a JWT claim after "claim:"/],
    [{ identifier: "jwt:a b" }, "spec.rateLimit.identifier", /must name a JWT claim after "jwt:"/],
    [{ identifier: "evil\r\nX-Injected: 1" }, "spec.rateLimit.identifier", /control characters, got "evil\\r\\nX-Injected: 1"/],
    [{ identifier: "x".repeat(257) }, "spec.rateLimit.identifier", /at most 256 characters, got 257/],
    [{ enabled: "true" }, "spec.rateLimit.enabled", /must be a boolean: write true without quotes/],
    [{ enabled: 1 }, "spec.rateLimit.enabled", /must be true or false, got 1/]
  ])("reports %j on %s", (fields, field, message) => {
    expect(problemFor(exposedApi({ rateLimit: { enabled: true, limit: "10", ...fields } }), field)).toMatch(message)
  })

  it("reports a section that is not an object", () => {
    expect(problemFor(exposedApi({ rateLimit: "100/s" }), "spec.rateLimit")).toBe('must be an object (see the ExposedAPI CRD), got "100/s"')
  })
})

describe("quota", () => {
  it("is on whenever it has a limit, with the operator's renewal period", () => {
    const settings = { ...DEFAULT_INTENT_SETTINGS, quotaRenewalPeriodSeconds: 86400 }
    expect(policiesOf({ quota: { limit: "1000" } }, settings).quota).toEqual({ key: { _tag: "ClientIp" }, calls: 1000, renewalPeriod: 86400 })
    expect(policiesOf({ quota: { identifier: "claim:oid", limit: 5 } }).quota).toEqual({
      key: { _tag: "JwtClaim", name: "oid" },
      calls: 5,
      renewalPeriod: 3600
    })
  })

  it("is off when absent, empty, or explicitly disabled", () => {
    expect(policiesOf({ quota: undefined })).not.toHaveProperty("quota")
    expect(policiesOf({ quota: {} })).not.toHaveProperty("quota")
    expect(policiesOf({ quota: { enabled: false, limit: "1000" } })).not.toHaveProperty("quota")
  })

  it.each([
    [{ identifier: "test-identifier" }, "spec.quota.limit", /is required when spec.quota.identifier is set/],
    [{ limit: "many" }, "spec.quota.limit", /positive whole number/],
    [{ limit: "10", identifier: "header:" }, "spec.quota.identifier", /must name a header/],
    [{ limit: "10", enabled: "no" }, "spec.quota.enabled", /must be true or false/]
  ])("reports %j on %s", (quota, field, message) => {
    expect(problemFor(exposedApi({ quota }), field)).toMatch(message)
  })
})

describe("apiKeyVerification", () => {
  it.each([
    [{ enabled: true }, { location: "header", name: "Ocp-Apim-Subscription-Key" }],
    [{ enabled: true, location: "header" }, { location: "header", name: "Ocp-Apim-Subscription-Key" }],
    [{ enabled: true, location: "Query" }, { location: "query", name: "subscription-key" }],
    [{ enabled: true, location: "header:X-Api-Key" }, { location: "header", name: "X-Api-Key" }],
    [{ enabled: true, location: "query: apikey" }, { location: "query", name: "apikey" }]
  ])("reads %j", (apiKeyVerification, expected) => {
    expect(policiesOf({ apiKeyVerification }).apiKey).toEqual(expected)
  })

  it("takes the key names from the operator's settings", () => {
    const settings = { ...DEFAULT_INTENT_SETTINGS, apiKeyHeaderName: "X-Key", apiKeyQueryName: "key" }
    expect(policiesOf({ apiKeyVerification: { enabled: true } }, settings).apiKey).toEqual({ location: "header", name: "X-Key" })
    expect(policiesOf({ apiKeyVerification: { enabled: true, location: "query" } }, settings).apiKey).toEqual({ location: "query", name: "key" })
  })

  it("is off unless enabled", () => {
    expect(policiesOf({ apiKeyVerification: { enabled: false, location: "cookie" } })).not.toHaveProperty("apiKey")
    expect(policiesOf({ apiKeyVerification: { location: "header" } })).not.toHaveProperty("apiKey")
  })

  it.each(["cookie", "header:bad name", "query:a&b", "header:", 42])("reports location %j", (location) => {
    expect(problemFor(exposedApi({ apiKeyVerification: { enabled: true, location } }), "spec.apiKeyVerification.location")).toMatch(
      /must be "header" or "query", or "header:<name>" \/ "query:<name>"/
    )
  })
})

describe("CORS", () => {
  const cors = (fields: Record<string, unknown>) => policiesOf({ CORS: { enabled: true, ...fields } }).cors

  it("applies the CRD's defaults", () => {
    expect(cors({})).toEqual({
      allowCredentials: false,
      allowOrigins: ["*"],
      preflight: {
        allowHeaders: ["Origin", "Accept", "X-Requested-With", "Content-Type", "Access-Control-Request-Method", "Access-Control-Request-Headers"],
        allowMethods: ["GET", "POST", "HEAD", "OPTIONS"],
        maxAge: 1800
      }
    })
  })

  it("is off unless enabled", () => {
    expect(policiesOf({ CORS: { enabled: false, allowOrigins: "nonsense", allowCredentials: "x" } })).not.toHaveProperty("cors")
    expect(policiesOf({ CORS: { allowOrigins: "https://a.example" } })).not.toHaveProperty("cors")
  })

  it("splits, trims, normalises and de-duplicates origins", () => {
    expect(cors({ allowOrigins: " https://A.example.com/ ,, http://b.example:8080,https://a.example.com" })?.allowOrigins).toEqual([
      "https://a.example.com",
      "http://b.example:8080"
    ])
    expect(cors({ allowOrigins: "https://a.example:443" })?.allowOrigins).toEqual(["https://a.example"])
  })

  it("reads a wildcard among origins as any origin", () => {
    expect(cors({ allowOrigins: "https://a.example, *" })?.allowOrigins).toEqual(["*"])
  })

  it("drops the preflight handling when disabled", () => {
    expect(cors({ handlePreflightRequests: { enabled: false, maxAge: "ignored?" } })).toEqual({ allowCredentials: false, allowOrigins: ["*"] })
  })

  it("reads the preflight lists and max age", () => {
    expect(cors({ handlePreflightRequests: { allowHeaders: "*", allowMethods: "get, Post,GET", maxAge: 0 } })?.preflight).toEqual({
      allowHeaders: ["*"],
      allowMethods: ["GET", "POST"],
      maxAge: 0
    })
  })

  it("allows credentials with listed origins", () => {
    expect(cors({ allowCredentials: true, allowOrigins: "https://app.example" })).toMatchObject({
      allowCredentials: true,
      allowOrigins: ["https://app.example"]
    })
  })

  it.each([{ allowOrigins: "*" }, {}, { allowOrigins: "https://a.example,*" }])("refuses credentials with a wildcard origin: %j", (fields) => {
    expect(problemFor(exposedApi({ CORS: { enabled: true, allowCredentials: true, ...fields } }), "spec.CORS.allowCredentials")).toMatch(
      /cannot be true while spec.CORS.allowOrigins allows any origin \("\*"\): browsers refuse credentials/
    )
  })

  it.each([
    [{ allowOrigins: "" }, "spec.CORS.allowOrigins", /must list at least one item, or be left out to use the default "\*"/],
    [{ allowOrigins: " , " }, "spec.CORS.allowOrigins", /must list at least one item/],
    [{ allowOrigins: "example.com" }, "spec.CORS.allowOrigins", /must list origins such as "https:\/\/app.example.com".*got "example.com"/],
    [{ allowOrigins: "https://a.example/path" }, "spec.CORS.allowOrigins", /must list origins/],
    [{ allowOrigins: "https://a.example?x" }, "spec.CORS.allowOrigins", /must list origins/],
    [{ allowOrigins: "https://a.example/#x" }, "spec.CORS.allowOrigins", /must list origins/],
    [{ allowOrigins: "https://*.example.com" }, "spec.CORS.allowOrigins", /must list origins/],
    [{ allowOrigins: "ftp://a.example" }, "spec.CORS.allowOrigins", /must list origins/],
    [{ allowOrigins: "https://u:p@a.example" }, "spec.CORS.allowOrigins", /must list origins/],
    [{ allowOrigins: ["https://a.example"] }, "spec.CORS.allowOrigins", /comma-separated list in one string, got a list of 1/],
    [{ allowCredentials: "yes" }, "spec.CORS.allowCredentials", /must be true or false/],
    [{ handlePreflightRequests: true }, "spec.CORS.handlePreflightRequests", /must be an object/],
    [{ handlePreflightRequests: { enabled: "false" } }, "spec.CORS.handlePreflightRequests.enabled", /without quotes/],
    [{ handlePreflightRequests: { maxAge: "3600" } }, "spec.CORS.handlePreflightRequests.maxAge", /whole number of seconds/],
    [{ handlePreflightRequests: { maxAge: -1 } }, "spec.CORS.handlePreflightRequests.maxAge", /whole number of seconds/],
    [{ handlePreflightRequests: { maxAge: 1.5 } }, "spec.CORS.handlePreflightRequests.maxAge", /whole number of seconds/],
    [{ handlePreflightRequests: { allowHeaders: "X Bad" } }, "spec.CORS.handlePreflightRequests.allowHeaders", /header names or "\*", got "X Bad"/],
    [{ handlePreflightRequests: { allowHeaders: "a\u0000b" } }, "spec.CORS.handlePreflightRequests.allowHeaders", /control characters/],
    [{ handlePreflightRequests: { allowMethods: "GET, <POST>" } }, "spec.CORS.handlePreflightRequests.allowMethods", /HTTP methods/],
    [{ handlePreflightRequests: { allowMethods: 5 } }, "spec.CORS.handlePreflightRequests.allowMethods", /comma-separated list/]
  ])("reports %j on %s", (fields, field, message) => {
    expect(problemFor(exposedApi({ CORS: { enabled: true, ...fields } }), field)).toMatch(message)
  })
})

describe("OASValidation", () => {
  it("is present only when request or response validation is on", () => {
    expect(policiesOf({ OASValidation: undefined })).not.toHaveProperty("oasValidation")
    expect(policiesOf({ OASValidation: {} })).not.toHaveProperty("oasValidation")
    expect(policiesOf({ OASValidation: { requestEnabled: false, allowUnspecifiedHeaders: true } })).not.toHaveProperty("oasValidation")
    expect(policiesOf({ OASValidation: { responseEnabled: true } }).oasValidation).toEqual({
      request: false,
      response: true,
      allowUnspecifiedHeaders: false,
      allowUnspecifiedQueryParams: false,
      allowUnspecifiedCookies: false
    })
    expect(policiesOf({ OASValidation: { requestEnabled: true, allowUnspecifiedCookies: true } }).oasValidation).toMatchObject({
      request: true,
      allowUnspecifiedCookies: true
    })
  })

  it.each(["requestEnabled", "responseEnabled", "allowUnspecifiedHeaders", "allowUnspecifiedQueryParams", "allowUnspecifiedCookies"])(
    "reports a %s that is not a boolean",
    (flag) => {
      expect(problemFor(exposedApi({ OASValidation: { requestEnabled: true, [flag]: "yes" } }), `spec.OASValidation.${flag}`)).toMatch(
        /must be true or false, got "yes"/
      )
    }
  )
})

describe("template", () => {
  it("names an APIM policy fragment", () => {
    expect(policiesOf({ template: "oda-standard_v1.2" }).template).toBe("oda-standard_v1.2")
    expect(policiesOf({ template: undefined })).not.toHaveProperty("template")
  })

  it.each([
    ["", /must not be empty/],
    ["a b", /must be the id of an API Management policy fragment/],
    ["-leading", /must be the id/],
    ["https://example.com/plugins.yaml", /a URL is not accepted/],
    ["x".repeat(81), /at most 80 characters/],
    [["a"], /must be a string/]
  ])("reports %j", (template, message) => {
    expect(problemFor(exposedApi({ template }), "spec.template")).toMatch(message)
  })
})

it("reads a spec without any policy section as JWT validation only", () => {
  expect(policiesOf({ ...noPolicies })).toEqual({ jwtValidation: true })
  expect(problemsOf(exposedApi({ ...noPolicies }))).toEqual([])
})
