import { Either } from "effect"
import { describe, expect, it } from "vitest"
import type { CounterKey, GatewayPolicies } from "../../src/domain/ApiIntent.ts"
import {
  compilePolicy,
  defaultPassThroughRequestHeaders,
  renderPolicyXml,
  subscriptionKeySettings,
  type PolicyIssue,
  type PolicySettings
} from "../../src/domain/Policy.ts"
import { attribute, child, names, parseWellFormed, section, texts, type Node } from "./PolicyTestkit.ts"

const entra: PolicySettings = {
  openIdConfigUrl: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration",
  audiences: ["api://oda-apim-operator"]
}

const none: GatewayPolicies = { jwtValidation: false }

const compileXml = (policies: GatewayPolicies, settings: PolicySettings = entra): string => {
  const compiled = compilePolicy(policies, settings)
  if (Either.isLeft(compiled)) throw new Error(`unexpected issues: ${compiled.left.message}`)
  return renderPolicyXml(compiled.right)
}

const issuesOf = (policies: GatewayPolicies, settings: PolicySettings = entra): ReadonlyArray<PolicyIssue> => {
  const compiled = compilePolicy(policies, settings)
  if (Either.isRight(compiled)) throw new Error("expected issues, got a policy")
  return compiled.left.issues
}

const inbound = (policies: GatewayPolicies, settings?: PolicySettings): Node => section(compileXml(policies, settings), "inbound")

const fieldsOf = (issues: ReadonlyArray<PolicyIssue>) => issues.map((issue) => issue.field)

describe("document shape", () => {
  it("has the four sections in APIM's order, each holding only <base /> when nothing is asked for", () => {
    const root = parseWellFormed(compileXml(none))
    expect(root.name).toBe("policies")
    expect(names(root)).toEqual(["inbound", "backend", "outbound", "on-error"])
    for (const part of root.children) expect(names(part)).toEqual(["base"])
  })

  it("keeps <base /> first in every section of the model", () => {
    const compiled = compilePolicy({ jwtValidation: true, template: "common" }, entra)
    if (Either.isLeft(compiled)) throw compiled.left
    for (const part of Object.values(compiled.right)) expect(part[0]?._tag).toBe("Base")
  })

  it("orders inbound policies: CORS, JWT, rate limit, quota, validation, fragment", () => {
    const all: GatewayPolicies = {
      jwtValidation: true,
      cors: { allowCredentials: false, allowOrigins: ["*"] },
      rateLimit: { key: { _tag: "ClientIp" }, calls: 10, renewalPeriod: 1 },
      quota: { key: { _tag: "Subscription" }, calls: 1000, renewalPeriod: 86400 },
      oasValidation: { request: true, response: true, allowUnspecifiedHeaders: true, allowUnspecifiedQueryParams: true, allowUnspecifiedCookies: true },
      template: "oda-common"
    }
    expect(names(inbound(all))).toEqual([
      "base",
      "cors",
      "validate-jwt",
      "rate-limit-by-key",
      "quota-by-key",
      "validate-parameters",
      "validate-content",
      "include-fragment"
    ])
    expect(names(section(compileXml(all), "outbound"))).toEqual(["base", "validate-status-code", "validate-headers", "validate-content"])
  })
})

describe("JWT validation", () => {
  it("validates a Bearer token from Authorization against the issuer's metadata and the audiences", () => {
    const jwt = child(inbound({ jwtValidation: true }), "validate-jwt")
    expect(Object.fromEntries(jwt.attributes)).toEqual({
      "header-name": "Authorization",
      "failed-validation-httpcode": "401",
      "failed-validation-error-message": "Unauthorized. Access token is missing or invalid.",
      "require-scheme": "Bearer"
    })
    expect(names(jwt)).toEqual(["openid-config", "audiences"])
    expect(attribute(child(jwt, "openid-config"), "url")).toBe(entra.openIdConfigUrl)
    expect(texts(child(jwt, "audiences"), "audience")).toEqual(["api://oda-apim-operator"])
  })

  it("takes any OpenID Connect issuer, with issuers, required claims (sorted, match any) and a message", () => {
    const keycloak: PolicySettings = {
      openIdConfigUrl: "http://keycloak.canvas.svc/realms/odari/.well-known/openid-configuration",
      audiences: ["account", "oda-api", "account"],
      issuers: ["http://keycloak.canvas.svc/realms/odari"],
      requiredClaims: { roles: ["api-user", "admin"], azp: ["canvas"] },
      failedValidationMessage: `Token "missing" <or> invalid & refused`
    }
    const jwt = child(inbound({ jwtValidation: true }, keycloak), "validate-jwt")
    expect(attribute(jwt, "failed-validation-error-message")).toBe(keycloak.failedValidationMessage)
    expect(names(jwt)).toEqual(["openid-config", "audiences", "issuers", "required-claims"])
    expect(texts(child(jwt, "audiences"), "audience")).toEqual(["account", "oda-api"])
    expect(texts(child(jwt, "issuers"), "issuer")).toEqual(["http://keycloak.canvas.svc/realms/odari"])
    const claims = child(jwt, "required-claims").children
    expect(claims.map((claim) => [attribute(claim, "name"), attribute(claim, "match"), texts(claim, "value")])).toEqual([
      ["azp", "any", ["canvas"]],
      ["roles", "any", ["api-user", "admin"]]
    ])
  })

  it("is absent when the resource opted out, and then ignores the JWT settings", () => {
    const broken: PolicySettings = { openIdConfigUrl: "", audiences: [] }
    expect(names(inbound(none, broken))).toEqual(["base"])
  })

  it("refuses settings that would weaken or corrupt it, as settings faults", () => {
    const compiled = compilePolicy(
      { jwtValidation: true },
      {
        openIdConfigUrl: "file:///etc/passwd",
        audiences: [],
        issuers: ["@(context.Request.Url)"],
        requiredClaims: { roles: [], "{{secret}}": ["x"] },
        failedValidationMessage: "line\nbreak"
      }
    )
    if (Either.isRight(compiled)) throw new Error("expected issues")
    expect(compiled.left.settingsOnly).toBe(true)
    expect(fieldsOf(compiled.left.issues)).toEqual([
      "openIdConfigUrl",
      "audiences",
      "issuers[0]",
      'requiredClaims["roles"]',
      'requiredClaims["{{secret}}"]',
      "failedValidationMessage"
    ])
    expect(compiled.left.message).toContain("audiences: at least one audience is needed")
  })
})

describe("rate limit and quota", () => {
  const keyed = (key: CounterKey) => attribute(child(inbound({ jwtValidation: false, rateLimit: { key, calls: 5, renewalPeriod: 60 } }), "rate-limit-by-key"), "counter-key")

  it("keys each counter by the caller, prefixed with the API id so that APIs never share a counter", () => {
    expect(keyed({ _tag: "ClientIp" })).toBe('@(context.Api.Id + ":" + context.Request.IpAddress)')
    expect(keyed({ _tag: "Subscription" })).toBe('@(context.Api.Id + ":" + (context.Subscription?.Id ?? context.Request.IpAddress))')
    expect(keyed({ _tag: "Header", name: "X-Tenant-Id" })).toBe(
      '@(context.Api.Id + ":" + context.Request.Headers.GetValueOrDefault("X-Tenant-Id",""))'
    )
    expect(keyed({ _tag: "JwtClaim", name: "sub" })).toBe(
      '@(context.Api.Id + ":" + context.Request.Headers.GetValueOrDefault("Authorization","").AsJwt()?.Claims.GetValueOrDefault("sub",""))'
    )
    expect(keyed({ _tag: "Constant", value: "shared bucket" })).toBe('@(context.Api.Id + ":" + "shared bucket")')
  })

  it("encodes claim names and constants as C# literals that cannot end early or pull in named values", () => {
    expect(keyed({ _tag: "JwtClaim", name: 'x",""))+evil("' })).toBe(
      '@(context.Api.Id + ":" + context.Request.Headers.GetValueOrDefault("Authorization","").AsJwt()?.Claims.GetValueOrDefault("x\\",\\"\\"\\u0029\\u0029+evil\\u0028\\"",""))'
    )
    expect(keyed({ _tag: "Constant", value: "{{db-password}}\\\n" })).toBe('@(context.Api.Id + ":" + "\\u007B\\u007Bdb-password\\u007D\\u007D\\\\\\u000A")')
  })

  it("writes calls and renewal periods", () => {
    const policies: GatewayPolicies = {
      jwtValidation: false,
      rateLimit: { key: { _tag: "ClientIp" }, calls: 100, renewalPeriod: 1 },
      quota: { key: { _tag: "ClientIp" }, calls: 50000, renewalPeriod: 2592000 }
    }
    const xml = inbound(policies)
    expect(attribute(child(xml, "rate-limit-by-key"), "calls")).toBe("100")
    expect(attribute(child(xml, "rate-limit-by-key"), "renewal-period")).toBe("1")
    expect(attribute(child(xml, "quota-by-key"), "calls")).toBe("50000")
    expect(attribute(child(xml, "quota-by-key"), "renewal-period")).toBe("2592000")
  })

  it("refuses what APIM refuses: rate windows over 300 s, quota periods under 300 s (a setting), header names that are no token", () => {
    const issues = issuesOf({
      jwtValidation: false,
      rateLimit: { key: { _tag: "Header", name: "X Tenant" }, calls: 1.5, renewalPeriod: 3600 },
      quota: { key: { _tag: "JwtClaim", name: "" }, calls: 10, renewalPeriod: 60 }
    })
    expect(issues.map((issue) => [issue.source, issue.field])).toEqual([
      ["spec", "spec.rateLimit.identifier"],
      ["spec", "spec.rateLimit.limit"],
      ["spec", "spec.rateLimit.interval"],
      ["spec", "spec.quota.identifier"],
      ["settings", "quotaRenewalPeriodSeconds"]
    ])
  })
})

describe("CORS", () => {
  it("answers preflights with the ODA's methods, headers and max age", () => {
    const cors = child(
      inbound({
        jwtValidation: false,
        cors: {
          allowCredentials: false,
          allowOrigins: ["*"],
          preflight: { allowHeaders: ["Origin", "Content-Type", "Origin"], allowMethods: ["GET", "POST", "HEAD", "OPTIONS"], maxAge: 1800 }
        }
      }),
      "cors"
    )
    expect(Object.fromEntries(cors.attributes)).toEqual({ "allow-credentials": "false", "terminate-unmatched-request": "false" })
    expect(names(cors)).toEqual(["allowed-origins", "allowed-methods", "allowed-headers"])
    expect(texts(child(cors, "allowed-origins"), "origin")).toEqual(["*"])
    expect(attribute(child(cors, "allowed-methods"), "preflight-result-max-age")).toBe("1800")
    expect(texts(child(cors, "allowed-methods"), "method")).toEqual(["GET", "POST", "HEAD", "OPTIONS"])
    expect(texts(child(cors, "allowed-headers"), "header")).toEqual(["Origin", "Content-Type"])
  })

  it("lists origins with credentials, and collapses a wildcard among origins to the single '*' APIM accepts", () => {
    const listed = child(inbound({ jwtValidation: false, cors: { allowCredentials: true, allowOrigins: ["https://a.example", "http://localhost:8080"] } }), "cors")
    expect(attribute(listed, "allow-credentials")).toBe("true")
    expect(texts(child(listed, "allowed-origins"), "origin")).toEqual(["https://a.example", "http://localhost:8080"])
    const mixed = child(inbound({ jwtValidation: false, cors: { allowCredentials: false, allowOrigins: ["https://a.example", "*"] } }), "cors")
    expect(texts(child(mixed, "allowed-origins"), "origin")).toEqual(["*"])
  })

  it("without preflight handling, allows only what needs no preflight (APIM requires allowed-headers)", () => {
    const cors = child(inbound({ jwtValidation: false, cors: { allowCredentials: false, allowOrigins: ["*"] } }), "cors")
    expect(names(cors)).toEqual(["allowed-origins", "allowed-headers"])
    expect(texts(child(cors, "allowed-headers"), "header")).toEqual(["Accept"])
  })

  it("spells out APIM's default methods when the preflight lists none", () => {
    const cors = child(
      inbound({ jwtValidation: false, cors: { allowCredentials: false, allowOrigins: ["*"], preflight: { allowHeaders: [], allowMethods: [], maxAge: 0 } } }),
      "cors"
    )
    expect(texts(child(cors, "allowed-methods"), "method")).toEqual(["GET", "POST"])
    expect(texts(child(cors, "allowed-headers"), "header")).toEqual(["Accept"])
  })

  it("never emits credentials with a wildcard origin, nor origins, methods or headers that are not what they claim", () => {
    expect(fieldsOf(issuesOf({ jwtValidation: false, cors: { allowCredentials: true, allowOrigins: ["*"] } }))).toEqual(["spec.CORS.allowCredentials"])
    expect(fieldsOf(issuesOf({ jwtValidation: false, cors: { allowCredentials: false, allowOrigins: [] } }))).toEqual(["spec.CORS.allowOrigins"])
    const issues = issuesOf({
      jwtValidation: false,
      cors: {
        allowCredentials: false,
        allowOrigins: ["javascript:alert(1)", "https://ok.example", " https://pad.example"],
        preflight: { allowHeaders: ["X-Ok", "</header><x>"], allowMethods: ["GET", "@(evil)"], maxAge: -1 }
      }
    })
    expect(fieldsOf(issues)).toEqual([
      "spec.CORS.allowOrigins[0]",
      "spec.CORS.allowOrigins[2]",
      "spec.CORS.handlePreflightRequests.allowMethods[1]",
      "spec.CORS.handlePreflightRequests.allowHeaders[1]",
      "spec.CORS.handlePreflightRequests.maxAge"
    ])
  })
})

describe("OpenAPI validation", () => {
  const strict = { request: true, response: false, allowUnspecifiedHeaders: false, allowUnspecifiedQueryParams: false, allowUnspecifiedCookies: false }

  it("validates request parameters, refusing undeclared ones except infrastructure headers, and JSON bodies", () => {
    const xml = inbound({ jwtValidation: false, oasValidation: strict })
    const parameters = child(xml, "validate-parameters")
    expect(Object.fromEntries(parameters.attributes)).toEqual({
      "specified-parameter-action": "prevent",
      "unspecified-parameter-action": "prevent",
      "errors-variable-name": "requestParametersValidation"
    })
    expect(names(parameters)).toEqual(["headers", "query"])
    const headers = child(parameters, "headers")
    expect(attribute(headers, "unspecified-parameter-action")).toBe("prevent")
    expect(headers.children.map((parameter) => attribute(parameter, "name"))).toEqual(defaultPassThroughRequestHeaders)
    expect(headers.children.every((parameter) => attribute(parameter, "action") === "ignore")).toBe(true)
    expect(attribute(child(parameters, "query"), "unspecified-parameter-action")).toBe("prevent")
    expect(child(parameters, "query").children).toEqual([])
    const content = child(xml, "validate-content")
    expect(Object.fromEntries(content.attributes)).toEqual({
      "unspecified-content-type-action": "prevent",
      "max-size": "102400",
      "size-exceeded-action": "prevent",
      "errors-variable-name": "requestBodyValidation"
    })
    expect(child(content, "content").attributes).toEqual([
      ["validate-as", "json"],
      ["action", "prevent"]
    ])
    expect(names(section(compileXml({ jwtValidation: false, oasValidation: strict }), "outbound"))).toEqual(["base"])
  })

  it("ignores undeclared headers and query parameters when the resource allows them", () => {
    const parameters = child(
      inbound({ jwtValidation: false, oasValidation: { ...strict, allowUnspecifiedHeaders: true, allowUnspecifiedQueryParams: true } }),
      "validate-parameters"
    )
    expect(attribute(child(parameters, "headers"), "unspecified-parameter-action")).toBe("ignore")
    expect(child(parameters, "headers").children).toEqual([])
    expect(attribute(child(parameters, "query"), "unspecified-parameter-action")).toBe("ignore")
  })

  it("lets the subscription key through undeclared-parameter checks", () => {
    const header = child(inbound({ jwtValidation: false, apiKey: { location: "header", name: "X-Api-Key" }, oasValidation: strict }), "validate-parameters")
    expect(child(header, "headers").children.map((parameter) => attribute(parameter, "name"))).toContain("X-Api-Key")
    expect(child(header, "query").children.map((parameter) => attribute(parameter, "name"))).toEqual(["subscription-key"])
    const query = child(inbound({ jwtValidation: false, apiKey: { location: "query", name: "apikey" }, oasValidation: strict }), "validate-parameters")
    expect(child(query, "headers").children.map((parameter) => attribute(parameter, "name"))).toContain("Ocp-Apim-Subscription-Key")
    expect(child(query, "query").children.map((parameter) => attribute(parameter, "name"))).toEqual(["apikey"])
  })

  it("validates responses on outbound: status codes, declared headers, bodies (oversized ones logged, not refused)", () => {
    const xml = compileXml({ jwtValidation: false, oasValidation: { ...strict, request: false, response: true } }, { ...entra, maxResponseSizeBytes: 4096 })
    expect(names(section(xml, "inbound"))).toEqual(["base"])
    const outbound = section(xml, "outbound")
    expect(Object.fromEntries(child(outbound, "validate-status-code").attributes)).toEqual({
      "unspecified-status-code-action": "prevent",
      "errors-variable-name": "responseStatusCodeValidation"
    })
    expect(Object.fromEntries(child(outbound, "validate-headers").attributes)).toEqual({
      "specified-header-action": "prevent",
      "unspecified-header-action": "ignore",
      "errors-variable-name": "responseHeadersValidation"
    })
    expect(attribute(child(outbound, "validate-content"), "max-size")).toBe("4096")
    expect(attribute(child(outbound, "validate-content"), "size-exceeded-action")).toBe("detect")
  })

  it("takes sizes and pass-through headers from the settings, and checks them only when validation is on", () => {
    const settings: PolicySettings = { ...entra, maxRequestSizeBytes: 2048, passThroughRequestHeaders: ["Host", "X-B3-TraceId"] }
    const xml = inbound({ jwtValidation: false, oasValidation: strict }, settings)
    expect(attribute(child(xml, "validate-content"), "max-size")).toBe("2048")
    expect(child(child(xml, "validate-parameters"), "headers").children.map((parameter) => attribute(parameter, "name"))).toEqual(["Host", "X-B3-TraceId"])
    const bad: PolicySettings = { ...entra, maxRequestSizeBytes: 0, passThroughRequestHeaders: ["Bad Header"] }
    expect(fieldsOf(issuesOf({ jwtValidation: false, oasValidation: strict }, bad))).toEqual(["maxRequestSizeBytes", "passThroughRequestHeaders[0]"])
    expect(names(inbound(none, bad))).toEqual(["base"])
  })
})

describe("template and API key", () => {
  it("includes the named policy fragment last", () => {
    const xml = inbound({ jwtValidation: true, template: "oda-canvas_common-1" })
    expect(names(xml).at(-1)).toBe("include-fragment")
    expect(attribute(child(xml, "include-fragment"), "fragment-id")).toBe("oda-canvas_common-1")
  })

  it("refuses template names APIM cannot use as a fragment id", () => {
    for (const template of ["-lead", "trail-", "has space", "a/b", "x".repeat(81), "<x/>"])
      expect(fieldsOf(issuesOf({ jwtValidation: false, template }))).toEqual(["spec.template"])
  })

  it("adds no policy element for an API key, but API settings for APIM's subscription key check", () => {
    const xml = compileXml({ jwtValidation: false, apiKey: { location: "header", name: "X-Api-Key" } })
    expect(xml).toBe(compileXml(none))
    expect(subscriptionKeySettings({ apiKey: { location: "header", name: "X-Api-Key" } })).toEqual({
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { header: "X-Api-Key", query: "subscription-key" }
    })
    expect(subscriptionKeySettings({ apiKey: { location: "query", name: "apikey" } })).toEqual({
      subscriptionRequired: true,
      subscriptionKeyParameterNames: { header: "Ocp-Apim-Subscription-Key", query: "apikey" }
    })
    expect(subscriptionKeySettings({})).toEqual({
      subscriptionRequired: false,
      subscriptionKeyParameterNames: { header: "Ocp-Apim-Subscription-Key", query: "subscription-key" }
    })
  })

  it("refuses key names that are no header token or plain query name", () => {
    expect(fieldsOf(issuesOf({ jwtValidation: false, apiKey: { location: "header", name: "X Api Key" } }))).toEqual(["spec.apiKeyVerification.location"])
    expect(fieldsOf(issuesOf({ jwtValidation: false, apiKey: { location: "query", name: "key&x=1" } }))).toEqual(["spec.apiKeyVerification.location"])
  })
})

describe("issues", () => {
  it("reports every fault at once, spec and settings together", () => {
    const compiled = compilePolicy(
      { jwtValidation: true, template: "bad id", cors: { allowCredentials: true, allowOrigins: ["*"] } },
      { ...entra, audiences: [] }
    )
    if (Either.isRight(compiled)) throw new Error("expected issues")
    expect(compiled.left._tag).toBe("PolicyCompileError")
    expect(compiled.left.settingsOnly).toBe(false)
    expect(compiled.left.issues.map((issue) => [issue.source, issue.field])).toEqual([
      ["spec", "spec.CORS.allowCredentials"],
      ["settings", "audiences"],
      ["spec", "spec.template"]
    ])
  })
})
