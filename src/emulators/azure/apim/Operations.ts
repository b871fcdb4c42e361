import type { EmulatorRequest } from "../Http.ts"
import { isLocationPoll, parseArmRequest, type ApimRoute, type CollectionName } from "./ArmRoute.ts"

/**
 * Names each ARM request to API Management after the SDK operation group it belongs to ("api.put",
 * "policy.get", "productApi.head", "lro.poll", …), for per-operation latency and read/write throttling.
 * `write` follows ARM's throttling buckets: everything but GET and HEAD (POST actions included) is a write.
 */
export interface ArmOperation {
  readonly name: string
  readonly write: boolean
}

const singular: Readonly<Record<CollectionName, string>> = {
  openidConnectProviders: "openidConnectProvider",
  products: "product",
  subscriptions: "subscription",
  tags: "tag",
  namedValues: "namedValue",
  backends: "backend",
  apiVersionSets: "apiVersionSet",
  policyFragments: "policyFragment"
}

const verbOf = (method: string): string => {
  switch (method) {
    case "GET":
      return "get"
    case "HEAD":
      return "head"
    case "PUT":
      return "put"
    case "PATCH":
      return "update"
    case "DELETE":
      return "delete"
    default:
      return method.toLowerCase()
  }
}

/** An API PUT that carries `format` and `value` imports a definition rather than describing the API. */
const isImport = (request: EmulatorRequest): boolean => {
  try {
    const parsed: unknown = JSON.parse(request.bodyText)
    if (typeof parsed !== "object" || parsed === null || !("properties" in parsed)) return false
    const properties: unknown = parsed.properties
    return typeof properties === "object" && properties !== null && "format" in properties && "value" in properties
  } catch {
    return false
  }
}

const resourceOf = (route: ApimRoute, request: EmulatorRequest): string => {
  const verb = verbOf(request.method)
  const listOrVerb = (group: string): string => `${group}.${verb === "get" ? "list" : verb}`
  switch (route.kind) {
    case "service":
      return `service.${verb}`
    case "apis":
      return listOrVerb("api")
    case "apisByTags":
      return verb === "get" ? "api.listByTags" : `apisByTags.${verb}`
    case "api":
      return request.method === "PUT" && isImport(request) ? "api.import" : `api.${verb}`
    case "apiPolicies":
      return listOrVerb("policy")
    case "apiPolicy":
      return `policy.${verb}`
    case "apiOperations":
      return listOrVerb("operation")
    case "apiOperation":
      return `operation.${verb}`
    case "apiTags":
      return listOrVerb("apiTag")
    case "apiTag":
      return `apiTag.${verb}`
    case "collection":
      return listOrVerb(singular[route.collection])
    case "entity":
      return `${singular[route.collection]}.${verb}`
    case "entityAction":
      return `${singular[route.collection]}.${route.action}`
    case "productApis":
      return listOrVerb("productApi")
    case "productApi":
      return `productApi.${verb}`
    case "operationResult":
      return "lro.poll"
    case "unknown":
      return `unknown.${verb}`
  }
}

export const armOperationOf = (request: EmulatorRequest): ArmOperation => {
  const write = request.method !== "GET" && request.method !== "HEAD"
  const parsed = parseArmRequest(request)
  if (parsed === undefined) return { name: `unknown.${verbOf(request.method)}`, write }
  if (isLocationPoll(request) && parsed.route.kind !== "unknown") return { name: "lro.poll", write }
  return { name: resourceOf(parsed.route, request), write }
}
