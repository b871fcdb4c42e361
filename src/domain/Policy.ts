/**
 * ApiIntent -> APIM policy XML, pure. The model (PolicyModel), what may go into it (PolicyIssues, PolicyValues),
 * the compiler, the XML renderer, canonical comparison and the per-field report live in `./policy/`; this
 * module is the one the rest of the operator imports.
 */
export { canonicalPolicy, MalformedPolicyXml, policiesEquivalent } from "./policy/CanonicalPolicy.ts"
export { compilePolicy } from "./policy/CompilePolicy.ts"
export { policyCapabilities, type PolicyCapability } from "./policy/PolicyCapabilities.ts"
export { jwtSettingsIssues, policyIssues, policySettingsIssues, validationSettingsIssues } from "./policy/PolicyIssues.ts"
export {
  makePolicyDocument,
  PolicyElement,
  policySectionNames,
  type ParameterOverrides,
  type PolicyDocument,
  type PolicySectionName,
  type RequiredClaim,
  type ValidationAction
} from "./policy/PolicyModel.ts"
export {
  defaultFailedValidationMessage,
  defaultMaxBodySizeBytes,
  defaultPassThroughRequestHeaders,
  PolicyCompileError,
  type PolicyIssue,
  type PolicySettings
} from "./policy/PolicySettings.ts"
export { counterKeyExpression, csharpStringLiteral } from "./policy/PolicyValues.ts"
export { renderPolicyXml } from "./policy/RenderPolicy.ts"
export {
  defaultSubscriptionKeyHeader,
  defaultSubscriptionKeyQuery,
  subscriptionKeySettings,
  type SubscriptionKeySettings
} from "./policy/SubscriptionKeys.ts"
