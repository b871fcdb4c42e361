import type { EmulatorRequest } from "../Http.ts"

/**
 * Where an ARM request for API Management points, decoded from the path segments. ARM matches fixed
 * segments case-insensitively; ids keep the caller's spelling (the store compares them case-insensitively).
 */
export type CollectionName =
  | "openidConnectProviders"
  | "products"
  | "subscriptions"
  | "tags"
  | "namedValues"
  | "backends"
  | "apiVersionSets"
  | "policyFragments"

export const collectionNames: ReadonlyArray<CollectionName> = [
  "openidConnectProviders",
  "products",
  "subscriptions",
  "tags",
  "namedValues",
  "backends",
  "apiVersionSets",
  "policyFragments"
]

export type ApimRoute =
  | { readonly kind: "service" }
  | { readonly kind: "apis" }
  | { readonly kind: "apisByTags" }
  | { readonly kind: "api"; readonly apiId: string }
  | { readonly kind: "apiPolicies"; readonly apiId: string }
  | { readonly kind: "apiPolicy"; readonly apiId: string; readonly policyId: string }
  | { readonly kind: "apiOperations"; readonly apiId: string }
  | { readonly kind: "apiOperation"; readonly apiId: string; readonly operationId: string }
  | { readonly kind: "apiTags"; readonly apiId: string }
  | { readonly kind: "apiTag"; readonly apiId: string; readonly tagId: string }
  | { readonly kind: "collection"; readonly collection: CollectionName }
  | { readonly kind: "entity"; readonly collection: CollectionName; readonly id: string }
  | { readonly kind: "entityAction"; readonly collection: CollectionName; readonly id: string; readonly action: string }
  | { readonly kind: "productApis"; readonly productId: string }
  | { readonly kind: "productApi"; readonly productId: string; readonly apiId: string }
  | { readonly kind: "operationResult"; readonly operationId: string }
  | { readonly kind: "unknown" }

export interface ServiceAddress {
  readonly subscriptionId: string
  readonly resourceGroup: string
  readonly serviceName: string
}

export interface ParsedArmPath {
  readonly service: ServiceAddress
  readonly route: ApimRoute
}

const same = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase()

const prefix = ["subscriptions", undefined, "resourceGroups", undefined, "providers", "Microsoft.ApiManagement", "service"]

const collectionOf = (segment: string): CollectionName | undefined =>
  collectionNames.find((name) => name.toLowerCase() === segment.toLowerCase())

const apiRoute = (apiId: string, rest: ReadonlyArray<string>): ApimRoute => {
  const [child, childId, ...more] = rest
  if (child === undefined) return { kind: "api", apiId }
  if (more.length > 0) return { kind: "unknown" }
  if (same(child, "policies")) return childId === undefined ? { kind: "apiPolicies", apiId } : { kind: "apiPolicy", apiId, policyId: childId }
  if (same(child, "operations"))
    return childId === undefined ? { kind: "apiOperations", apiId } : { kind: "apiOperation", apiId, operationId: childId }
  if (same(child, "tags")) return childId === undefined ? { kind: "apiTags", apiId } : { kind: "apiTag", apiId, tagId: childId }
  return { kind: "unknown" }
}

const routeOf = (rest: ReadonlyArray<string>): ApimRoute => {
  const [head, id, ...tail] = rest
  if (head === undefined) return { kind: "service" }
  if (same(head, "apis")) return id === undefined ? { kind: "apis" } : apiRoute(id, tail)
  if (same(head, "apisByTags")) return id === undefined ? { kind: "apisByTags" } : { kind: "unknown" }
  if (same(head, "tenant") && same(id, "operationResults") && tail.length === 1 && tail[0] !== undefined)
    return { kind: "operationResult", operationId: tail[0] }
  const collection = collectionOf(head)
  if (collection === undefined) return { kind: "unknown" }
  if (id === undefined) return { kind: "collection", collection }
  const [child, childId, ...more] = tail
  if (child === undefined) return { kind: "entity", collection, id }
  if (collection === "products" && same(child, "apis") && more.length === 0)
    return childId === undefined ? { kind: "productApis", productId: id } : { kind: "productApi", productId: id, apiId: childId }
  if (childId === undefined) return { kind: "entityAction", collection, id, action: child }
  return { kind: "unknown" }
}

/** undefined when the path is not under `…/providers/Microsoft.ApiManagement/service/{name}`. */
export const parseArmPath = (segments: ReadonlyArray<string>): ParsedArmPath | undefined => {
  for (const [index, fixed] of prefix.entries()) {
    if (fixed !== undefined && !same(segments[index], fixed)) return undefined
  }
  const [, subscriptionId, , resourceGroup, , , , serviceName] = segments
  if (subscriptionId === undefined || resourceGroup === undefined || serviceName === undefined) return undefined
  return { service: { subscriptionId, resourceGroup, serviceName }, route: routeOf(segments.slice(8)) }
}

export const parseArmRequest = (request: EmulatorRequest): ParsedArmPath | undefined => parseArmPath(request.segments)

/** A poll of a `location`-mode long-running operation: the resource URL plus `asyncId`. */
export const isLocationPoll = (request: EmulatorRequest): boolean => request.method === "GET" && request.query.has("asyncId")
