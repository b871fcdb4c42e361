import { Schema } from "effect"
import { OwnerReference } from "../domain/ExposedApi.ts"

/** What the Kubernetes service addresses and answers with: resource references, object schemas, errors. */

export interface ResourceRef {
  readonly group: string
  readonly version: string
  readonly plural: string
  readonly kind: string
}

export const ExposedApis: ResourceRef = { group: "oda.tmforum.org", version: "v1", plural: "exposedapis", kind: "ExposedAPI" }
export const Ingresses: ResourceRef = { group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress" }
export const EndpointSlices: ResourceRef = { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice" }
export const Events: ResourceRef = { group: "events.k8s.io", version: "v1", plural: "events", kind: "Event" }
export const Leases: ResourceRef = { group: "coordination.k8s.io", version: "v1", plural: "leases", kind: "Lease" }
export const NetworkPolicies: ResourceRef = { group: "networking.k8s.io", version: "v1", plural: "networkpolicies", kind: "NetworkPolicy" }
export const Secrets: ResourceRef = { group: "", version: "v1", plural: "secrets", kind: "Secret" }
export const Services: ResourceRef = { group: "", version: "v1", plural: "services", kind: "Service" }

export const apiVersionOf = (ref: ResourceRef): string => (ref.group === "" ? ref.version : `${ref.group}/${ref.version}`)
export const describe = (ref: ResourceRef, namespace: string | undefined, name?: string): string =>
  `${ref.plural}${ref.group === "" ? "" : `.${ref.group}`} ${namespace ?? "*"}${name === undefined ? "" : `/${name}`}`

export const ObjectMeta = Schema.Struct({
  name: Schema.String,
  namespace: Schema.optional(Schema.String),
  uid: Schema.optionalWith(Schema.String, { default: () => "" }),
  resourceVersion: Schema.optionalWith(Schema.String, { default: () => "" }),
  generation: Schema.optionalWith(Schema.Number, { default: () => 0 }),
  creationTimestamp: Schema.optional(Schema.String),
  deletionTimestamp: Schema.optional(Schema.String),
  labels: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), { default: () => ({}) }),
  annotations: Schema.optionalWith(Schema.Record({ key: Schema.String, value: Schema.String }), { default: () => ({}) }),
  finalizers: Schema.optionalWith(Schema.Array(Schema.String), { default: () => [] }),
  ownerReferences: Schema.optionalWith(Schema.Array(OwnerReference), { default: () => [] })
})
export type ObjectMeta = typeof ObjectMeta.Type

/** Any object: metadata decoded, every other field kept as JSON. */
export const KubeObject = Schema.Struct(
  { apiVersion: Schema.optional(Schema.String), kind: Schema.optional(Schema.String), metadata: ObjectMeta },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)
export type KubeObject = typeof KubeObject.Type

// ---- errors: one tag per thing the caller does about it ----

const errorFields = { operation: Schema.String, resource: Schema.String, status: Schema.optional(Schema.Number), message: Schema.String }

/** The object (or its namespace) does not exist. */
export class KubeNotFound extends Schema.TaggedError<KubeNotFound>()("KubeNotFound", errorFields) {
  get retryable(): boolean {
    return false
  }
}
/** A precondition failed (stale resourceVersion) or the object already exists: re-read and retry at once. */
export class KubeConflict extends Schema.TaggedError<KubeConflict>()("KubeConflict", errorFields) {
  get retryable(): boolean {
    return true
  }
}
/** The API server refused the request (400, 401, 403, 405, 415, 422): retrying the same request will not help. */
export class KubeRejected extends Schema.TaggedError<KubeRejected>()("KubeRejected", errorFields) {
  get retryable(): boolean {
    return false
  }
}
/** The API server could not answer (network, 429, 5xx, undecodable answer): retry with backoff. */
export class KubeUnavailable extends Schema.TaggedError<KubeUnavailable>()("KubeUnavailable", errorFields) {
  get retryable(): boolean {
    return true
  }
}
/** A watch's resume point is older than the server's history (410 Expired): list again. */
export class KubeWatchExpired extends Schema.TaggedError<KubeWatchExpired>()("KubeWatchExpired", { resource: Schema.String }) {}

export type KubeError = KubeNotFound | KubeConflict | KubeRejected | KubeUnavailable

export type WatchEvent =
  | { readonly type: "ADDED" | "MODIFIED" | "DELETED"; readonly object: KubeObject }
  | { readonly type: "BOOKMARK"; readonly resourceVersion: string }

export interface ListResult {
  readonly items: ReadonlyArray<KubeObject>
  readonly resourceVersion: string
}

export interface ListOptions {
  readonly namespace?: string | undefined
  readonly labelSelector?: string | undefined
  readonly fieldSelector?: string | undefined
}

export type PatchBody =
  | { readonly type: "merge"; readonly body: Record<string, unknown> }
  | { readonly type: "json"; readonly body: ReadonlyArray<Record<string, unknown>> }

export const collectionPath = (ref: ResourceRef, namespace: string | undefined): string => {
  const base = ref.group === "" ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`
  return namespace === undefined ? `${base}/${ref.plural}` : `${base}/namespaces/${encodeURIComponent(namespace)}/${ref.plural}`
}

export const objectPath = (ref: ResourceRef, namespace: string, name: string): string =>
  `${collectionPath(ref, namespace)}/${encodeURIComponent(name)}`

