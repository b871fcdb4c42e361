import { Array as Arr, Either } from "effect"
import type { Cors, GatewayPolicies, OasValidation } from "../ApiIntent.ts"
import { policyIssues } from "./PolicyIssues.ts"
import { makePolicyDocument, PolicyElement, type PolicyDocument, type ValidationAction } from "./PolicyModel.ts"
import {
  defaultFailedValidationMessage,
  defaultMaxBodySizeBytes,
  defaultPassThroughRequestHeaders,
  PolicyCompileError,
  type PolicySettings
} from "./PolicySettings.ts"
import { subscriptionKeySettings } from "./SubscriptionKeys.ts"

/**
 * An ExposedAPI's gateway policies, with the operator's settings, as an APIM policy document.
 *
 * Inbound order, after `<base />`:
 * 1. `cors`: APIM answers a preflight with the cors policy alone, and a browser's preflight carries no token,
 *    so CORS must come before anything that could refuse it (the cors reference also asks for it first);
 * 2. `validate-jwt`: nothing else runs for an unauthenticated caller, and a JWT-claim counter key is read
 *    from a token that has been verified;
 * 3. `rate-limit-by-key`, then `quota-by-key`: cheap counters refuse floods before the costlier checks, and a
 *    request refused by the rate limit does not use up quota;
 * 4. `validate-parameters`, `validate-content`: schema validation of what is left;
 * 5. `include-fragment`: the ODA template adds to the checks above and cannot run before them.
 * Outbound: `validate-status-code`, `validate-headers`, `validate-content` when responses are validated.
 */

/** `allowed-headers` must name at least one header; `Accept` is CORS-safelisted, so naming it grants nothing. */
const noExtraHeaders: ReadonlyArray<string> = ["Accept"]
/** What APIM allows when `allowed-methods` is absent, spelt out to carry a max age. */
const simpleMethods: ReadonlyArray<string> = ["GET", "POST"]

const corsPolicy = (cors: Cors): PolicyElement => {
  const origins = Arr.dedupe(cors.allowOrigins)
  const preflight = cors.preflight
  const methods = Arr.dedupe(preflight?.allowMethods ?? [])
  const headers = Arr.dedupe(preflight?.allowHeaders ?? [])
  return PolicyElement.Cors({
    allowCredentials: cors.allowCredentials,
    terminateUnmatchedRequest: false,
    // APIM takes either a single `*` or a list of origins, never both.
    allowedOrigins: origins.includes("*") ? ["*"] : origins,
    allowedMethods:
      preflight === undefined
        ? undefined
        : { preflightResultMaxAge: preflight.maxAge, methods: methods.length === 0 ? simpleMethods : methods },
    allowedHeaders: headers.length === 0 ? noExtraHeaders : headers,
    exposeHeaders: []
  })
}

const jwtPolicy = (settings: PolicySettings): PolicyElement =>
  PolicyElement.ValidateJwt({
    headerName: "Authorization",
    failedValidationHttpCode: 401,
    failedValidationErrorMessage: settings.failedValidationMessage ?? defaultFailedValidationMessage,
    requireScheme: "Bearer",
    openIdConfigUrl: settings.openIdConfigUrl,
    audiences: Arr.dedupe(settings.audiences),
    issuers: Arr.dedupe(settings.issuers ?? []),
    // Sorted so that the document, and its hash, do not depend on the order the settings were read in.
    requiredClaims: Object.entries(settings.requiredClaims ?? {})
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, values]) => ({ name, match: "any", values: Arr.dedupe(values) }))
  })

const allowOr = (allowUnspecified: boolean): ValidationAction => (allowUnspecified ? "ignore" : "prevent")

const requestValidation = (
  validation: OasValidation,
  policies: GatewayPolicies,
  settings: PolicySettings
): ReadonlyArray<PolicyElement> => {
  const keys = subscriptionKeySettings(policies)
  const keyHeader = policies.apiKey === undefined ? [] : [keys.subscriptionKeyParameterNames.header]
  const keyQuery = policies.apiKey === undefined ? [] : [keys.subscriptionKeyParameterNames.query]
  const ignored = (names: ReadonlyArray<string>) => Arr.dedupe(names).map((name) => ({ name, action: "ignore" as const }))
  return [
    PolicyElement.ValidateParameters({
      specifiedParameterAction: "prevent",
      unspecifiedParameterAction: "prevent",
      errorsVariableName: "requestParametersValidation",
      headers: {
        specifiedParameterAction: "prevent",
        unspecifiedParameterAction: allowOr(validation.allowUnspecifiedHeaders),
        parameters: validation.allowUnspecifiedHeaders
          ? []
          : ignored([...(settings.passThroughRequestHeaders ?? defaultPassThroughRequestHeaders), ...keyHeader])
      },
      query: {
        specifiedParameterAction: "prevent",
        unspecifiedParameterAction: allowOr(validation.allowUnspecifiedQueryParams),
        parameters: validation.allowUnspecifiedQueryParams ? [] : ignored(keyQuery)
      }
    }),
    PolicyElement.ValidateContent({
      unspecifiedContentTypeAction: "prevent",
      maxSize: settings.maxRequestSizeBytes ?? defaultMaxBodySizeBytes,
      // An oversized body is not validated at all, so letting it through would bypass validation.
      sizeExceededAction: "prevent",
      errorsVariableName: "requestBodyValidation",
      content: [{ type: undefined, validateAs: "json", action: "prevent" }]
    })
  ]
}

const responseValidation = (settings: PolicySettings): ReadonlyArray<PolicyElement> => [
  PolicyElement.ValidateStatusCode({ unspecifiedStatusCodeAction: "prevent", errorsVariableName: "responseStatusCodeValidation" }),
  // ODA's allowUnspecified* flags are request-only; responses carry gateway and platform headers no document lists.
  PolicyElement.ValidateHeaders({
    specifiedHeaderAction: "prevent",
    unspecifiedHeaderAction: "ignore",
    errorsVariableName: "responseHeadersValidation"
  }),
  PolicyElement.ValidateContent({
    unspecifiedContentTypeAction: "prevent",
    maxSize: settings.maxResponseSizeBytes ?? defaultMaxBodySizeBytes,
    // Large responses (long lists) are legitimate; they pass unvalidated and are logged.
    sizeExceededAction: "detect",
    errorsVariableName: "responseBodyValidation",
    content: [{ type: undefined, validateAs: "json", action: "prevent" }]
  })
]

const buildDocument = (policies: GatewayPolicies, settings: PolicySettings): PolicyDocument => {
  const validation = policies.oasValidation
  const optional = <A>(value: A | undefined, make: (value: A) => ReadonlyArray<PolicyElement>) =>
    value === undefined ? [] : make(value)
  return makePolicyDocument({
    inbound: [
      ...optional(policies.cors, (cors) => [corsPolicy(cors)]),
      ...(policies.jwtValidation ? [jwtPolicy(settings)] : []),
      ...optional(policies.rateLimit, ({ calls, key, renewalPeriod }) => [
        PolicyElement.RateLimitByKey({ calls, renewalPeriod, counterKey: key })
      ]),
      ...optional(policies.quota, ({ calls, key, renewalPeriod }) => [PolicyElement.QuotaByKey({ calls, renewalPeriod, counterKey: key })]),
      ...(validation?.request === true ? requestValidation(validation, policies, settings) : []),
      ...optional(policies.template, (fragmentId) => [PolicyElement.IncludeFragment({ fragmentId })])
    ],
    outbound: validation?.response === true ? responseValidation(settings) : []
  })
}

/** The policy document for `policies`, or every value that stops it (see PolicyIssues). */
export const compilePolicy = (
  policies: GatewayPolicies,
  settings: PolicySettings
): Either.Either<PolicyDocument, PolicyCompileError> => {
  const issues = policyIssues(policies, settings)
  return Arr.isNonEmptyReadonlyArray(issues)
    ? Either.left(new PolicyCompileError({ issues }))
    : Either.right(buildDocument(policies, settings))
}
