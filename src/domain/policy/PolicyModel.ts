import { Data } from "effect"
import type { CounterKey } from "../ApiIntent.ts"

/**
 * The typed model of an API Management API policy: four sections, each a list of policy elements in the order
 * APIM runs them. The model carries meaning (a counter key is a `CounterKey`, not C# text); turning it into
 * XML, with every expression and value encoded, is the renderer's job alone.
 */

/** What a validation policy does with what it finds (learn.microsoft.com, "validation policies", actions). */
export type ValidationAction = "ignore" | "prevent" | "detect"

/** A `headers` or `query` child of `validate-parameters`: per-parameter overrides of the section's actions. */
export interface ParameterOverrides {
  readonly specifiedParameterAction: ValidationAction
  readonly unspecifiedParameterAction: ValidationAction
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly action: ValidationAction }>
}

export interface RequiredClaim {
  readonly name: string
  readonly match: "any" | "all"
  readonly values: ReadonlyArray<string>
}

export type PolicyElement = Data.TaggedEnum<{
  Base: {}
  Cors: {
    readonly allowCredentials: boolean
    readonly terminateUnmatchedRequest: boolean
    /** `["*"]` or origin URIs; never `*` beside others, never `*` with credentials. */
    readonly allowedOrigins: ReadonlyArray<string>
    /** Absent: APIM allows GET and POST only and sends no Access-Control-Max-Age. */
    readonly allowedMethods: { readonly preflightResultMaxAge: number; readonly methods: ReadonlyArray<string> } | undefined
    readonly allowedHeaders: ReadonlyArray<string>
    readonly exposeHeaders: ReadonlyArray<string>
  }
  ValidateJwt: {
    readonly headerName: string
    readonly failedValidationHttpCode: number
    readonly failedValidationErrorMessage: string
    readonly requireScheme: string
    readonly openIdConfigUrl: string
    readonly audiences: ReadonlyArray<string>
    readonly issuers: ReadonlyArray<string>
    readonly requiredClaims: ReadonlyArray<RequiredClaim>
  }
  RateLimitByKey: { readonly calls: number; readonly renewalPeriod: number; readonly counterKey: CounterKey }
  QuotaByKey: { readonly calls: number; readonly renewalPeriod: number; readonly counterKey: CounterKey }
  ValidateParameters: {
    readonly specifiedParameterAction: ValidationAction
    readonly unspecifiedParameterAction: ValidationAction
    readonly errorsVariableName: string
    readonly headers: ParameterOverrides | undefined
    readonly query: ParameterOverrides | undefined
  }
  ValidateContent: {
    readonly unspecifiedContentTypeAction: ValidationAction
    readonly maxSize: number
    readonly sizeExceededAction: ValidationAction
    readonly errorsVariableName: string
    /** `type` absent: every content type the API schema declares. */
    readonly content: ReadonlyArray<{ readonly type: string | undefined; readonly validateAs: "json" | "xml"; readonly action: ValidationAction }>
  }
  ValidateStatusCode: { readonly unspecifiedStatusCodeAction: ValidationAction; readonly errorsVariableName: string }
  ValidateHeaders: {
    readonly specifiedHeaderAction: ValidationAction
    readonly unspecifiedHeaderAction: ValidationAction
    readonly errorsVariableName: string
  }
  IncludeFragment: { readonly fragmentId: string }
}>

export const PolicyElement = Data.taggedEnum<PolicyElement>()

export type PolicySectionName = "inbound" | "backend" | "outbound" | "on-error"

export const policySectionNames: ReadonlyArray<PolicySectionName> = ["inbound", "backend", "outbound", "on-error"]

export type PolicyDocument = { readonly [Section in PolicySectionName]: ReadonlyArray<PolicyElement> }

/** A document whose every section starts with `<base />`, so policies of the enclosing scopes still run. */
export const makePolicyDocument = (sections: Partial<PolicyDocument>): PolicyDocument => {
  const withBase = (elements: ReadonlyArray<PolicyElement> = []) => [PolicyElement.Base(), ...elements]
  return {
    inbound: withBase(sections.inbound),
    backend: withBase(sections.backend),
    outbound: withBase(sections.outbound),
    "on-error": withBase(sections["on-error"])
  }
}
