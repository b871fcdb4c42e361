import { Data, Option } from "effect"
import { apiDrift, type ApiDefinition, type ApiState, type ImportDocument } from "./ApiDefinition.ts"
import { contentHash } from "./ContentHash.ts"
import { type IngressManifest, ingressSpecHash, SPEC_HASH_ANNOTATION } from "./Ingress.ts"
import { policiesEquivalent } from "./Policy.ts"

/**
 * plan(desired, observed) -> action, for each piece the operator owns. Everything a reconcile decides is decided
 * here, without I/O; the reconcile program only reads, calls these, and executes what they return.
 */

/** The part of an Ingress the planner looks at. */
export interface ObservedIngress {
  readonly metadata: {
    readonly resourceVersion: string
    readonly annotations: Readonly<Record<string, string>>
    readonly ownerReferences: ReadonlyArray<{ readonly uid: string; readonly controller?: boolean | undefined }>
  }
}

export type IngressAction = Data.TaggedEnum<{
  Create: { readonly manifest: IngressManifest }
  Replace: { readonly manifest: IngressManifest; readonly resourceVersion: string }
  Keep: {}
  /** An Ingress of that name exists and another owner controls it: never overwrite someone else's routing. */
  Conflict: { readonly message: string }
}>
export const IngressAction = Data.taggedEnum<IngressAction>()

export const planIngress = (desired: IngressManifest, observed: Option.Option<ObservedIngress>, ownerUid: string): IngressAction => {
  if (Option.isNone(observed)) return IngressAction.Create({ manifest: desired })
  const controller = observed.value.metadata.ownerReferences.find((r) => r.controller === true)
  if (controller === undefined || controller.uid !== ownerUid) {
    return IngressAction.Conflict({
      message: `an Ingress named ${desired.metadata.namespace}/${desired.metadata.name} already exists and is not controlled by this ExposedAPI; rename or remove it`
    })
  }
  const desiredHash = desired.metadata.annotations[SPEC_HASH_ANNOTATION]
  const observedHash = Option.getOrUndefined(ingressSpecHash(observed.value))
  return desiredHash !== undefined && desiredHash === observedHash
    ? IngressAction.Keep()
    : IngressAction.Replace({ manifest: desired, resourceVersion: observed.value.metadata.resourceVersion })
}

export type ApiAction = Data.TaggedEnum<{
  /** Create or update; `document` is imported when present (new API, or a document that changed). */
  Put: {
    readonly definition: ApiDefinition
    readonly ifMatch: string | undefined
    readonly reason: "absent" | "document-changed" | "drift"
    /** The managed fields that differed (drift), for events and metrics. */
    readonly drifted: ReadonlyArray<string>
  }
  Keep: {}
}>
export const ApiAction = Data.taggedEnum<ApiAction>()

/**
 * The document is compared by hash with the one recorded as imported (APIM cannot cheaply give it back); the
 * definition is compared field by field with what APIM holds, so a change made in the portal is noticed.
 */
export const planApi = (
  desired: ApiDefinition,
  document: ImportDocument | undefined,
  observed: Option.Option<ApiState>,
  importedDocumentHash: string | undefined
): ApiAction => {
  const withDocument = document === undefined ? desired : { ...desired, document }
  if (Option.isNone(observed)) return ApiAction.Put({ definition: withDocument, ifMatch: undefined, reason: "absent", drifted: [] })
  const drifted = apiDrift(desired, observed.value)
  if (document !== undefined && documentHash(document) !== importedDocumentHash) {
    return ApiAction.Put({ definition: withDocument, ifMatch: observed.value.etag, reason: "document-changed", drifted })
  }
  return drifted.length === 0
    ? ApiAction.Keep()
    : ApiAction.Put({ definition: desired, ifMatch: observed.value.etag, reason: "drift", drifted })
}

export const documentHash = (document: ImportDocument): string => contentHash({ format: document.format, value: document.value })

export type PolicyAction = Data.TaggedEnum<{
  Put: { readonly xml: string; readonly ifMatch: string | undefined; readonly reason: "absent" | "different" }
  Keep: {}
}>
export const PolicyAction = Data.taggedEnum<PolicyAction>()

/** Policies are compared by meaning: APIM reformats what it stores. */
export const planPolicy = (desiredXml: string, observed: Option.Option<{ readonly xml: string; readonly etag: string }>): PolicyAction => {
  if (Option.isNone(observed)) return PolicyAction.Put({ xml: desiredXml, ifMatch: undefined, reason: "absent" })
  return policiesEquivalent(desiredXml, observed.value.xml)
    ? PolicyAction.Keep()
    : PolicyAction.Put({ xml: desiredXml, ifMatch: observed.value.etag, reason: "different" })
}

/** The status fields the operator owns; a write happens only when one of them differs. */
export const OWNED_STATUS_FIELDS = ["apiStatus", "implementation", "conditions", "publication", "observedGeneration"] as const

export const statusChanges = (
  current: Readonly<Record<string, unknown>> | undefined,
  desired: Readonly<Record<(typeof OWNED_STATUS_FIELDS)[number], unknown>>
): Readonly<Record<string, unknown>> | undefined => {
  const changes: Record<string, unknown> = {}
  for (const field of OWNED_STATUS_FIELDS) {
    if (contentHash(current?.[field] ?? null) !== contentHash(desired[field] ?? null)) changes[field] = desired[field] ?? null
  }
  return Object.keys(changes).length === 0 ? undefined : changes
}
