import { apimPath, type ApiIntent, publishedToApim } from "./ApiIntent.ts"
import { COMPONENT_LABEL } from "./ExposedApi.ts"
import { networkPolicyName } from "./NetworkPolicy.ts"
import { policyCapabilities, type PolicyCapability } from "./Policy.ts"

/**
 * `status.capabilities`: what the operator did with each field an ExposedAPI set. `honoured` as the ODA describes
 * it; `mapped` to something API Management can do that differs in a way the detail explains; `ignored` because
 * nothing in API Management (or the cluster) corresponds to it, the detail saying why. Fields use their path in
 * the resource (`spec.CORS.allowOrigins`); `jwtValidation` is the operator's own (setting JWT_VALIDATION and the
 * annotation oda.tmforum.org/jwt-validation).
 */
export type Capability = PolicyCapability

export interface CapabilityContext {
  /** Whether the operator restricts the implementation's pods to traffic from the ingress gateway. */
  readonly gatewayOnlyTraffic: boolean
  /** How often a specification document is fetched again, as the operator's setting reads ("10m"). */
  readonly specRefreshInterval: string
}

const honoured = (field: string, detail: string): Capability => ({ field, outcome: "honoured", detail })
const mapped = (field: string, detail: string): Capability => ({ field, outcome: "mapped", detail })
const ignored = (field: string, detail: string): Capability => ({ field, outcome: "ignored", detail })

/** The policy sections of the spec, by the name policyCapabilities reports them under. */
const POLICY_FIELDS = ["CORS", "rateLimit", "quota", "apiKeyVerification", "OASValidation", "template"] as const
const CONTRACT_FIELDS = new Set<string>([
  "name",
  "specification",
  "apiType",
  "implementation",
  "path",
  "port",
  "developerUI",
  "segment",
  "apiSDO",
  "resources",
  "required",
  ...POLICY_FIELDS
])

const present = (spec: Readonly<Record<string, unknown>>, field: string): boolean => spec[field] !== undefined && spec[field] !== null

const apiTypeCapability = (intent: ApiIntent): Capability => {
  switch (intent.apiType) {
    case "openapi":
      return honoured("spec.apiType", "published to API Management with the operations of its OpenAPI document")
    case "mcp":
      return mapped(
        "spec.apiType",
        "published to API Management as a pass-through API (every method and path forwarded to the implementation): an MCP server has no OpenAPI document to import operations from"
      )
    case "prometheus":
    case "openmetrics":
      return mapped(
        "spec.apiType",
        `${intent.apiType} endpoints are not published to the public gateway: the Ingress routes to them inside the cluster and status.apiStatus.url stays empty`
      )
  }
}

const specificationCapability = (spec: Readonly<Record<string, unknown>>, intent: ApiIntent, context: CapabilityContext): Capability => {
  const field = "spec.specification"
  if (intent.apiType !== "openapi") return ignored(field, `${intent.apiType} APIs are published without importing a document`)
  const url = intent.specification?.url ?? ""
  const listed = spec["specification"]
  const detail = `${url} is fetched by the operator and imported inline (API Management needs no access to it); fetched again every ${context.specRefreshInterval} and re-imported when its content changes`
  return Array.isArray(listed) && listed.length > 1
    ? mapped(field, `only the first of ${listed.length} documents is published (one ExposedAPI publishes one API): ${detail}`)
    : honoured(field, detail)
}

const implementationCapability = (intent: ApiIntent, context: CapabilityContext): Capability => {
  const routed = `the Ingress routes to Service ${intent.implementation.service}; API Management calls the Ingress's address`
  if (!context.gatewayOnlyTraffic) return honoured("spec.implementation", routed)
  return publishedToApim(intent)
    ? honoured(
        "spec.implementation",
        `${routed}; its pods admit traffic on the API's port from the ingress gateway only (NetworkPolicy ${networkPolicyName(intent.name)}), so the API cannot be called around API Management`
      )
    : honoured("spec.implementation", `${routed}; not restricted to gateway traffic, as ${intent.apiType} endpoints are scraped inside the cluster`)
}

/** The fields that are not gateway policies, in the order the CRD lists them. */
const apiCapabilities = (spec: Readonly<Record<string, unknown>>, intent: ApiIntent, context: CapabilityContext) => [
  honoured("spec.name", `the API's display name in API Management and status.apiStatus.name`),
  ...(present(spec, "specification") ? [specificationCapability(spec, intent, context)] : []),
  apiTypeCapability(intent),
  implementationCapability(intent, context),
  honoured(
    "spec.path",
    publishedToApim(intent) ? `the API's path /${apimPath(intent)} on the gateway, and the Ingress's path prefix` : "the Ingress's path prefix"
  ),
  honoured("spec.port", `the Service port the Ingress routes to (${intent.implementation.port})`),
  ...(intent.developerUI === undefined
    ? []
    : [
        mapped(
          "spec.developerUI",
          "status.apiStatus.developerUI is the gateway URL followed by this path: API Management answers it only when the API's operations cover it (an OpenAPI document that declares it, or an MCP pass-through)"
        )
      ]),
  ...(intent.segment === undefined
    ? []
    : [mapped("spec.segment", `the API's APIM tag segment:${intent.segment}${present(spec, "segment") ? "" : " (coreFunction when absent)"}`)]),
  ...(intent.component === undefined
    ? []
    : [
        mapped(
          `metadata.labels["${COMPONENT_LABEL}"]`,
          `the API's APIM tag component:${intent.component}; with apiKeyVerification, the API joins the Component's product`
        )
      ]),
  ...(present(spec, "apiSDO") ? [ignored("spec.apiSDO", "kept as written: API Management has no field for the organisation that defines an API")] : []),
  ...(present(spec, "resources")
    ? [ignored("spec.resources", "kept as written: the whole API is published, its operations come from the OpenAPI document")]
    : []),
  ...(present(spec, "required")
    ? [ignored("spec.required", "kept as written: whether the Component needs the API does not change how it is published")]
    : [])
]

const gatewayPolicyCapabilities = (spec: Readonly<Record<string, unknown>>, intent: ApiIntent): ReadonlyArray<Capability> => {
  const reported = policyCapabilities(intent.policies).map((c) => ({ ...c, field: c.field === "jwtValidation" ? c.field : `spec.${c.field}` }))
  const disabled = POLICY_FIELDS.filter((field) => present(spec, field))
    .filter((field) => !reported.some((c) => c.field === `spec.${field}` || c.field.startsWith(`spec.${field}.`)))
    .map((field) => honoured(`spec.${field}`, "disabled in the spec: no policy"))
  const all = [...reported, ...disabled]
  return publishedToApim(intent)
    ? all
    : all.map((c) => ignored(c.field, `${intent.apiType} endpoints are not published to the gateway, so no gateway policy applies`))
}

/** One entry per field the ExposedAPI set (and for the operator's JWT validation), API fields first, then policies. */
export const capabilitiesOf = (
  spec: Readonly<Record<string, unknown>>,
  intent: ApiIntent,
  context: CapabilityContext
): ReadonlyArray<Capability> => [
  ...apiCapabilities(spec, intent, context),
  ...gatewayPolicyCapabilities(spec, intent),
  ...Object.keys(spec)
    .filter((field) => !CONTRACT_FIELDS.has(field) && present(spec, field))
    .sort()
    .map((field) => ignored(`spec.${field}`, "not part of the ExposedAPI contract: kept as written, not interpreted"))
]
