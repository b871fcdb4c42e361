import type { CounterKey, GatewayPolicies } from "../ApiIntent.ts"
import type { PolicyIssue, PolicySettings } from "./PolicySettings.ts"
import { isApimName, isHttpToken, literalIssue } from "./PolicyValues.ts"

/**
 * Every value of an ExposedAPI's policies or of the operator's settings that cannot become part of an APIM
 * policy, and why. Spec fields are named in ODA spelling (`spec.CORS.allowOrigins[0]`), so the message can go
 * into the resource's status as it is.
 */

type Shape = (value: string) => string | undefined

/** Spec fields are named as in the resource (`spec.CORS.allowOrigins[0]`), settings by their own names. */
const issue = (source: PolicyIssue["source"], field: string, reason: string): ReadonlyArray<PolicyIssue> => [
  { source, field: source === "spec" ? `spec.${field}` : field, reason }
]

const check =
  (source: PolicyIssue["source"]) =>
  (field: string, value: string, shape?: Shape): ReadonlyArray<PolicyIssue> => {
    const reason = literalIssue(value) ?? shape?.(value)
    return reason === undefined ? [] : issue(source, field, reason)
  }

const spec = check("spec")
const setting = check("settings")

const each = (values: ReadonlyArray<string>, field: string, checkOne: (field: string, value: string) => ReadonlyArray<PolicyIssue>) =>
  values.flatMap((value, index) => checkOne(`${field}[${index}]`, value))

const token: Shape = (value) => (isHttpToken(value) ? undefined : "is not a valid HTTP token")
const tokenOrWildcard: Shape = (value) => (value === "*" ? undefined : token(value))

const httpUrl =
  (what: string): Shape =>
  (value) => {
    if (!URL.canParse(value)) return `is not ${what}`
    const protocol = new URL(value).protocol
    return protocol === "https:" || protocol === "http:" ? undefined : `is not ${what}`
  }

const origin: Shape = (value) => (value === "*" ? undefined : httpUrl("'*' or an http(s) origin such as https://app.example.com")(value))

const positiveInteger = (value: number): boolean => Number.isSafeInteger(value) && value > 0

/** The longest `renewal-period` of `rate-limit-by-key`, and the shortest of `quota-by-key`, in seconds. */
export const maxRateLimitPeriod = 300
export const minQuotaPeriod = 300

const counterKeyIssues = (key: CounterKey, field: string): ReadonlyArray<PolicyIssue> => {
  switch (key._tag) {
    case "Header":
      return isHttpToken(key.name) ? [] : issue("spec", field, `header name ${JSON.stringify(key.name)} is not a valid HTTP token`)
    case "JwtClaim":
      return key.name.length === 0 ? issue("spec", field, "the claim name is empty") : []
    case "Constant":
      return key.value.length === 0 ? issue("spec", field, "is empty") : []
    case "ClientIp":
    case "Subscription":
      return []
  }
}

const counterIssues = (
  name: "rateLimit" | "quota",
  counter: { readonly key: CounterKey; readonly calls: number; readonly renewalPeriod: number },
  periodOk: (seconds: number) => boolean,
  periodRule: string
): ReadonlyArray<PolicyIssue> => [
  ...counterKeyIssues(counter.key, `${name}.identifier`),
  ...(positiveInteger(counter.calls) ? [] : issue("spec", `${name}.limit`, `${counter.calls} is not a positive whole number of calls`)),
  ...(positiveInteger(counter.renewalPeriod) && periodOk(counter.renewalPeriod)
    ? []
    : name === "rateLimit"
      ? issue("spec", "rateLimit.interval", `${counter.renewalPeriod} s: ${periodRule}`)
      : // The CRD has no quota period: it is the operator's setting.
        issue("settings", "quotaRenewalPeriodSeconds", `${counter.renewalPeriod} s: ${periodRule}`))
]

const corsIssues = (cors: NonNullable<GatewayPolicies["cors"]>): ReadonlyArray<PolicyIssue> => {
  const wildcard = cors.allowOrigins.includes("*")
  const preflight = cors.preflight
  return [
    ...(cors.allowOrigins.length === 0 ? issue("spec", "CORS.allowOrigins", "must name at least one origin, or '*' for any") : []),
    ...each(cors.allowOrigins, "CORS.allowOrigins", (field, value) => spec(field, value, origin)),
    ...(wildcard && cors.allowCredentials
      ? issue("spec", "CORS.allowCredentials", "cannot be true while any origin ('*') is allowed: browsers refuse credentials from a wildcard origin")
      : []),
    ...(preflight === undefined
      ? []
      : [
          ...each(preflight.allowMethods, "CORS.handlePreflightRequests.allowMethods", (field, value) => spec(field, value, tokenOrWildcard)),
          ...each(preflight.allowHeaders, "CORS.handlePreflightRequests.allowHeaders", (field, value) => spec(field, value, tokenOrWildcard)),
          ...(Number.isSafeInteger(preflight.maxAge) && preflight.maxAge >= 0
            ? []
            : issue("spec", "CORS.handlePreflightRequests.maxAge", `${preflight.maxAge} is not a whole number of seconds`))
        ])
  ]
}

const queryName: Shape = (value) => (/^[A-Za-z0-9._~-]+$/.test(value) ? undefined : "may only contain letters, digits and . _ ~ -")

const apiKeyIssues = (apiKey: NonNullable<GatewayPolicies["apiKey"]>): ReadonlyArray<PolicyIssue> =>
  spec("apiKeyVerification.location", apiKey.name, apiKey.location === "header" ? token : queryName)

const templateIssues = (template: string): ReadonlyArray<PolicyIssue> =>
  spec("template", template, (value) =>
    isApimName(value) ? undefined : "is not an APIM policy fragment id (letters, digits, '_' and inner '-', at most 80)"
  )

/** The settings `validate-jwt` uses. */
export const jwtSettingsIssues = (settings: PolicySettings): ReadonlyArray<PolicyIssue> => [
  ...setting("openIdConfigUrl", settings.openIdConfigUrl, httpUrl("an http(s) URL of an OpenID Connect metadata document")),
  ...(settings.audiences.length === 0 ? issue("settings", "audiences", "at least one audience is needed, or any token of the issuer would pass") : []),
  ...each(settings.audiences, "audiences", setting),
  ...each(settings.issuers ?? [], "issuers", setting),
  ...Object.entries(settings.requiredClaims ?? {}).flatMap(([name, values]) => [
    ...setting(`requiredClaims[${JSON.stringify(name)}]`, name),
    ...(values.length === 0 ? issue("settings", `requiredClaims[${JSON.stringify(name)}]`, "names no accepted value") : []),
    ...each(values, `requiredClaims[${JSON.stringify(name)}]`, setting)
  ]),
  ...(settings.failedValidationMessage === undefined ? [] : setting("failedValidationMessage", settings.failedValidationMessage))
]

/** The settings the OpenAPI validation policies use. */
export const validationSettingsIssues = (settings: PolicySettings): ReadonlyArray<PolicyIssue> => [
  ...(["maxRequestSizeBytes", "maxResponseSizeBytes"] as const).flatMap((name) => {
    const size = settings[name]
    return size === undefined || positiveInteger(size) ? [] : issue("settings", name, `${size} is not a positive whole number of bytes`)
  }),
  ...each(settings.passThroughRequestHeaders ?? [], "passThroughRequestHeaders", (field, value) => setting(field, value, token))
]

/** Every setting, whether or not an API uses it: for the operator's start-up checks. */
export const policySettingsIssues = (settings: PolicySettings): ReadonlyArray<PolicyIssue> => [
  ...jwtSettingsIssues(settings),
  ...validationSettingsIssues(settings)
]

/** What stands between `policies` and a policy document: the spec's faults and those of the settings it uses. */
export const policyIssues = (policies: GatewayPolicies, settings: PolicySettings): ReadonlyArray<PolicyIssue> => {
  const validation = policies.oasValidation
  return [
    ...(policies.cors === undefined ? [] : corsIssues(policies.cors)),
    ...(policies.jwtValidation ? jwtSettingsIssues(settings) : []),
    ...(policies.rateLimit === undefined
      ? []
      : counterIssues("rateLimit", policies.rateLimit, (seconds) => seconds <= maxRateLimitPeriod, `APIM's rate-limit-by-key allows at most ${maxRateLimitPeriod} s`)),
    ...(policies.quota === undefined
      ? []
      : counterIssues("quota", policies.quota, (seconds) => seconds >= minQuotaPeriod, `APIM's quota-by-key needs at least ${minQuotaPeriod} s`)),
    ...(policies.apiKey === undefined ? [] : apiKeyIssues(policies.apiKey)),
    ...(validation !== undefined && (validation.request || validation.response) ? validationSettingsIssues(settings) : []),
    ...(policies.template === undefined ? [] : templateIssues(policies.template))
  ]
}
