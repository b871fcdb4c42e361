import { describe, expect, it } from "vitest"
import type { GatewayPolicies, OasValidation } from "../../src/domain/ApiIntent.ts"
import { policyCapabilities } from "../../src/domain/Policy.ts"

const outcomes = (policies: GatewayPolicies) =>
  Object.fromEntries(policyCapabilities(policies).map((capability) => [capability.field, capability.outcome]))

const detailOf = (policies: GatewayPolicies, field: string): string =>
  policyCapabilities(policies).find((capability) => capability.field === field)?.detail ?? ""

const validation = (overrides: Partial<OasValidation>): OasValidation => ({
  request: true,
  response: false,
  allowUnspecifiedHeaders: false,
  allowUnspecifiedQueryParams: false,
  allowUnspecifiedCookies: false,
  ...overrides
})

describe("policyCapabilities", () => {
  it("reports JWT validation always, and nothing else when nothing else is set", () => {
    expect(policyCapabilities({ jwtValidation: false })).toEqual([
      { field: "jwtValidation", outcome: "honoured", detail: "off: this API opted out of JWT validation" }
    ])
  })

  it("reports cookies as ignored: APIM cannot validate them", () => {
    expect(outcomes({ jwtValidation: true, oasValidation: validation({}) })).toEqual({
      jwtValidation: "honoured",
      "OASValidation.requestEnabled": "honoured",
      "OASValidation.responseEnabled": "honoured",
      "OASValidation.allowUnspecifiedHeaders": "mapped",
      "OASValidation.allowUnspecifiedQueryParams": "honoured",
      "OASValidation.allowUnspecifiedCookies": "ignored"
    })
    expect(detailOf({ jwtValidation: true, oasValidation: validation({}) }, "OASValidation.allowUnspecifiedCookies")).toBe(
      "APIM validate-parameters has no cookie section: cookies pass unvalidated"
    )
    expect(outcomes({ jwtValidation: true, oasValidation: validation({ allowUnspecifiedCookies: true })})["OASValidation.allowUnspecifiedCookies"]).toBe("honoured")
  })

  it("reports the allow flags as ignored when requests are not validated, and response validation as mapped", () => {
    const result = outcomes({ jwtValidation: true, oasValidation: validation({ request: false, response: true }) })
    expect(result["OASValidation.allowUnspecifiedHeaders"]).toBe("ignored")
    expect(result["OASValidation.allowUnspecifiedQueryParams"]).toBe("ignored")
    expect(result["OASValidation.allowUnspecifiedCookies"]).toBe("ignored")
    expect(result["OASValidation.responseEnabled"]).toBe("mapped")
  })

  it("names the subscription key exceptions of parameter validation", () => {
    const policies: GatewayPolicies = { jwtValidation: false, apiKey: { location: "query", name: "apikey" }, oasValidation: validation({}) }
    expect(outcomes(policies)["apiKeyVerification"]).toBe("mapped")
    expect(detailOf(policies, "apiKeyVerification")).toContain("query parameter apikey")
    expect(detailOf(policies, "OASValidation.allowUnspecifiedQueryParams")).toContain("apikey")
    expect(detailOf(policies, "OASValidation.allowUnspecifiedHeaders")).toContain("Ocp-Apim-Subscription-Key")
  })

  it("reports counters, flagging a constant identifier and a claim read from an unverified token", () => {
    const limit = { calls: 10, renewalPeriod: 60 }
    expect(outcomes({ jwtValidation: true, rateLimit: { key: { _tag: "ClientIp" }, ...limit } })["rateLimit"]).toBe("honoured")
    expect(detailOf({ jwtValidation: true, rateLimit: { key: { _tag: "ClientIp" }, ...limit } }, "rateLimit")).toBe(
      "rate-limit-by-key: 10 calls per 60 s per client IP address, counted for this API alone; 429 Too Many Requests beyond"
    )
    expect(outcomes({ jwtValidation: true, quota: { key: { _tag: "Constant", value: "everyone" }, ...limit } })["quota"]).toBe("mapped")
    expect(outcomes({ jwtValidation: true, quota: { key: { _tag: "JwtClaim", name: "sub" }, ...limit } })["quota"]).toBe("honoured")
    expect(outcomes({ jwtValidation: false, quota: { key: { _tag: "JwtClaim", name: "sub" }, ...limit } })["quota"]).toBe("mapped")
  })

  it("reports CORS preflight handling as mapped when disabled: APIM always answers preflights", () => {
    const disabled = outcomes({ jwtValidation: false, cors: { allowCredentials: false, allowOrigins: ["*"] } })
    expect(disabled).toMatchObject({ "CORS.allowOrigins": "honoured", "CORS.allowCredentials": "honoured", "CORS.handlePreflightRequests": "mapped" })
    const enabled = { jwtValidation: false, cors: { allowCredentials: false, allowOrigins: ["*", "https://a.example"], preflight: { allowHeaders: [], allowMethods: ["GET"], maxAge: 60 } } }
    expect(outcomes(enabled)["CORS.handlePreflightRequests"]).toBe("honoured")
    expect(detailOf(enabled, "CORS.allowOrigins")).toContain("redundant")
  })

  it("reports the template as an included fragment", () => {
    expect(policyCapabilities({ jwtValidation: false, template: "common" }).at(-1)).toEqual({
      field: "template",
      outcome: "honoured",
      detail: "include-fragment of the APIM policy fragment common, after the policies above"
    })
  })
})
