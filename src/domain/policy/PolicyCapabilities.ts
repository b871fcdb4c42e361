import type { CounterKey, Cors, GatewayPolicies, OasValidation } from "../ApiIntent.ts"
import { subscriptionKeySettings } from "./SubscriptionKeys.ts"

/**
 * What became of each policy field an ExposedAPI set, for `status.capabilities`: `honoured` as the ODA
 * describes it, `mapped` to something APIM can do that differs in a way the detail explains, or `ignored`
 * because APIM cannot express it. Field names use the ODA spelling.
 */
export interface PolicyCapability {
  readonly field: string
  readonly outcome: "honoured" | "mapped" | "ignored"
  readonly detail: string
}

const honoured = (field: string, detail: string): PolicyCapability => ({ field, outcome: "honoured", detail })
const mapped = (field: string, detail: string): PolicyCapability => ({ field, outcome: "mapped", detail })
const ignored = (field: string, detail: string): PolicyCapability => ({ field, outcome: "ignored", detail })

const callerOf = (key: CounterKey): string => {
  switch (key._tag) {
    case "ClientIp":
      return "client IP address"
    case "Subscription":
      return "APIM subscription (client IP address without one)"
    case "Header":
      return `request header ${key.name}`
    case "JwtClaim":
      return `JWT claim ${key.name}`
    case "Constant":
      return `the constant ${JSON.stringify(key.value)}`
  }
}

const counter = (
  field: "rateLimit" | "quota",
  policy: string,
  limit: { readonly key: CounterKey; readonly calls: number; readonly renewalPeriod: number },
  refusal: string,
  jwtValidation: boolean
): PolicyCapability => {
  const detail = `${policy}: ${limit.calls} calls per ${limit.renewalPeriod} s per ${callerOf(limit.key)}, counted for this API alone; ${refusal} beyond`
  if (limit.key._tag === "Constant")
    return mapped(field, `${detail}. The identifier names no caller attribute, so every caller shares one counter`)
  if (limit.key._tag === "JwtClaim" && !jwtValidation)
    return mapped(field, `${detail}. JWT validation is off, so the claim comes from an unverified token and callers can pick their own counter`)
  return honoured(field, detail)
}

const corsCapabilities = (cors: Cors): ReadonlyArray<PolicyCapability> => {
  const wildcard = cors.allowOrigins.includes("*")
  const preflight = cors.preflight
  return [
    honoured(
      "CORS.allowOrigins",
      wildcard
        ? `cors allowed-origins: any origin${cors.allowOrigins.length > 1 ? " ('*' makes the other origins listed redundant)" : ""}`
        : `cors allowed-origins: ${cors.allowOrigins.join(", ")}`
    ),
    honoured("CORS.allowCredentials", `cors allow-credentials="${cors.allowCredentials}"`),
    preflight === undefined
      ? mapped(
          "CORS.handlePreflightRequests",
          "APIM's cors policy always answers preflight requests itself; with handling disabled it allows only GET and POST and CORS-safelisted headers"
        )
      : honoured(
          "CORS.handlePreflightRequests",
          `answered by APIM: methods ${preflight.allowMethods.join(", ") || "GET, POST"}; headers ${preflight.allowHeaders.join(", ") || "CORS-safelisted only"}; max age ${preflight.maxAge} s`
        )
  ]
}

const validationCapabilities = (validation: OasValidation, policies: GatewayPolicies): ReadonlyArray<PolicyCapability> => {
  const keys = subscriptionKeySettings(policies)
  const requestOff = "request validation is off"
  const unlessRequest = (field: string, make: () => PolicyCapability): PolicyCapability =>
    validation.request ? make() : ignored(field, requestOff)
  return [
    honoured(
      "OASValidation.requestEnabled",
      validation.request
        ? "validate-parameters (headers, query, path) and validate-content (JSON bodies) against the imported OpenAPI document; bodies above the configured size are refused"
        : "requests are not validated"
    ),
    validation.response
      ? mapped(
          "OASValidation.responseEnabled",
          "validate-status-code, validate-headers (declared headers only) and validate-content on responses; bodies above the configured size pass unvalidated and are logged"
        )
      : honoured("OASValidation.responseEnabled", "responses are not validated"),
    unlessRequest("OASValidation.allowUnspecifiedHeaders", () =>
      validation.allowUnspecifiedHeaders
        ? honoured("OASValidation.allowUnspecifiedHeaders", "undeclared request headers pass")
        : mapped(
            "OASValidation.allowUnspecifiedHeaders",
            `undeclared request headers are refused, except transport, browser, proxy and tracing headers${policies.apiKey === undefined ? "" : ` and ${keys.subscriptionKeyParameterNames.header}`}`
          )
    ),
    unlessRequest("OASValidation.allowUnspecifiedQueryParams", () =>
      validation.allowUnspecifiedQueryParams
        ? honoured("OASValidation.allowUnspecifiedQueryParams", "undeclared query parameters pass")
        : policies.apiKey === undefined
          ? honoured("OASValidation.allowUnspecifiedQueryParams", "undeclared query parameters are refused")
          : mapped(
              "OASValidation.allowUnspecifiedQueryParams",
              `undeclared query parameters are refused, except the subscription key parameter ${keys.subscriptionKeyParameterNames.query}`
            )
    ),
    unlessRequest("OASValidation.allowUnspecifiedCookies", () =>
      validation.allowUnspecifiedCookies
        ? honoured("OASValidation.allowUnspecifiedCookies", "APIM does not validate cookies, so every cookie passes")
        : ignored("OASValidation.allowUnspecifiedCookies", "APIM validate-parameters has no cookie section: cookies pass unvalidated")
    )
  ]
}

/** One entry per policy field `policies` sets (and one for JWT validation), in the order the policy applies them. */
export const policyCapabilities = (policies: GatewayPolicies): ReadonlyArray<PolicyCapability> => {
  const keys = subscriptionKeySettings(policies)
  return [
    ...(policies.cors === undefined ? [] : corsCapabilities(policies.cors)),
    honoured(
      "jwtValidation",
      policies.jwtValidation
        ? "validate-jwt: a Bearer token in Authorization, checked against the configured OpenID Connect issuer, audiences and required claims; 401 otherwise"
        : "off: this API opted out of JWT validation"
    ),
    ...(policies.rateLimit === undefined
      ? []
      : [counter("rateLimit", "rate-limit-by-key", policies.rateLimit, "429 Too Many Requests", policies.jwtValidation)]),
    ...(policies.quota === undefined ? [] : [counter("quota", "quota-by-key", policies.quota, "403 Forbidden", policies.jwtValidation)]),
    ...(policies.apiKey === undefined
      ? []
      : [
          mapped(
            "apiKeyVerification",
            `an APIM subscription key is required (subscriptionRequired), in header ${keys.subscriptionKeyParameterNames.header} or query parameter ${keys.subscriptionKeyParameterNames.query}: APIM always accepts both`
          )
        ]),
    ...(policies.oasValidation === undefined ? [] : validationCapabilities(policies.oasValidation, policies)),
    ...(policies.template === undefined
      ? []
      : [honoured("template", `include-fragment of the APIM policy fragment ${policies.template}, after the policies above`)])
  ]
}
