import { Data } from "effect"

/**
 * What the operator's configuration decides about every API's policy, as opposed to what each ExposedAPI asks
 * for. Any OpenID Connect issuer works: Entra ID
 * (`https://login.microsoftonline.com/{tenant}/v2.0/.well-known/openid-configuration`) or a Keycloak realm
 * (`https://{host}/realms/{realm}/.well-known/openid-configuration`).
 */
export interface PolicySettings {
  /** The issuer's OpenID Connect metadata document; APIM fetches the signing keys from it. */
  readonly openIdConfigUrl: string
  /** Accepted `aud` values, e.g. the Entra client id or `api://…`; at least one, or any token of the issuer would pass. */
  readonly audiences: ReadonlyArray<string>
  /** Accepted `iss` values; absent: whatever the metadata document names. */
  readonly issuers?: ReadonlyArray<string>
  /** Claim name -> accepted values; a token must carry one of the values of every claim named. */
  readonly requiredClaims?: Readonly<Record<string, ReadonlyArray<string>>>
  readonly failedValidationMessage?: string
  /** `validate-content` `max-size` for request bodies (APIM documents 102,400 bytes as its maximum). */
  readonly maxRequestSizeBytes?: number
  readonly maxResponseSizeBytes?: number
  /**
   * Request headers that pass `validate-parameters` although no OpenAPI document declares them, when the
   * resource forbids unspecified headers. Without them every browser or proxy request would be refused.
   */
  readonly passThroughRequestHeaders?: ReadonlyArray<string>
}

export const defaultFailedValidationMessage = "Unauthorized. Access token is missing or invalid."

/** The largest body `validate-content` accepts by the APIM policy reference. */
export const defaultMaxBodySizeBytes = 102_400

/**
 * Transport, browser, proxy and tracing headers that OpenAPI documents do not declare. `Cookie` is here
 * because APIM cannot validate cookies (see `allowUnspecifiedCookies` in PolicyCapabilities).
 */
export const defaultPassThroughRequestHeaders: ReadonlyArray<string> = [
  "Accept",
  "Accept-Encoding",
  "Accept-Language",
  "Access-Control-Request-Headers",
  "Access-Control-Request-Method",
  "Authorization",
  "Cache-Control",
  "Connection",
  "Content-Length",
  "Content-Type",
  "Cookie",
  "Host",
  "If-Match",
  "If-Modified-Since",
  "If-None-Match",
  "Origin",
  "Pragma",
  "Referer",
  "Traceparent",
  "Tracestate",
  "User-Agent",
  "X-Forwarded-For",
  "X-Forwarded-Host",
  "X-Forwarded-Proto",
  "X-Request-Id"
]

/** One value that cannot be put in a policy; `source` says whether the ExposedAPI or the operator's settings are at fault. */
export interface PolicyIssue {
  readonly source: "spec" | "settings"
  /** Where the value came from: the resource field for spec faults (`spec.CORS.allowOrigins[1]`), else the setting's name. */
  readonly field: string
  readonly reason: string
}

export class PolicyCompileError extends Data.TaggedError("PolicyCompileError")<{ readonly issues: ReadonlyArray<PolicyIssue> }> {
  override get message(): string {
    return this.issues.map((issue) => `${issue.field}: ${issue.reason}`).join("; ")
  }
  /** True when only the operator's configuration is at fault (fatal config rather than an invalid spec). */
  get settingsOnly(): boolean {
    return this.issues.every((issue) => issue.source === "settings")
  }
}
