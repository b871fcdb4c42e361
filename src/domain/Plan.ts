import { Data, Either, Option } from "effect"
import { apiDrift, type ApiDefinition, type ApiState, type ImportDocument } from "./ApiDefinition.ts"
import { contentHash } from "./ContentHash.ts"
import type { WriteReason } from "./DriftMode.ts"
import { type IngressManifest, SPEC_HASH_ANNOTATION } from "./Ingress.ts"
import { canonicalPolicy } from "./Policy.ts"

/**
 * plan(desired, observed) -> action, for each piece the operator owns. Everything a reconcile decides is decided
 * here, without I/O; the reconcile program only reads, calls these, and executes what they return.
 */

/** The part of an owned object (Ingress, NetworkPolicy) the planner looks at. */
export interface ObservedOwned {
  readonly metadata: {
    readonly resourceVersion: string
    readonly annotations: Readonly<Record<string, string>>
    readonly ownerReferences: ReadonlyArray<{ readonly uid: string; readonly controller?: boolean | undefined }>
  }
}

/**
 * What to do about an object the operator creates and owns (Ingress, NetworkPolicy): the desired manifest carries
 * the content hash of everything the operator sets, so an unchanged object costs a read and no write.
 */
export type OwnedAction<M> =
  | { readonly _tag: "Create"; readonly manifest: M }
  | { readonly _tag: "Replace"; readonly manifest: M; readonly resourceVersion: string }
  | { readonly _tag: "Keep" }
  /** An object of that name exists and another owner controls it: never overwrite someone else's object. */
  | { readonly _tag: "Conflict"; readonly message: string }

export interface OwnedManifest {
  readonly kind: string
  readonly metadata: { readonly name: string; readonly namespace: string; readonly annotations: Readonly<Record<string, string>> }
}

export const planOwned = <M extends OwnedManifest>(desired: M, observed: Option.Option<ObservedOwned>, ownerUid: string): OwnedAction<M> => {
  if (Option.isNone(observed)) return { _tag: "Create", manifest: desired }
  const controller = observed.value.metadata.ownerReferences.find((r) => r.controller === true)
  if (controller === undefined || controller.uid !== ownerUid) {
    return {
      _tag: "Conflict",
      message: `a ${desired.kind} named ${desired.metadata.namespace}/${desired.metadata.name} already exists and is not controlled by this ExposedAPI; rename or remove it`
    }
  }
  const desiredHash = desired.metadata.annotations[SPEC_HASH_ANNOTATION]
  const observedHash = observed.value.metadata.annotations[SPEC_HASH_ANNOTATION]
  return desiredHash !== undefined && desiredHash === observedHash
    ? { _tag: "Keep" }
    : { _tag: "Replace", manifest: desired, resourceVersion: observed.value.metadata.resourceVersion }
}

export type IngressAction = OwnedAction<IngressManifest>

export const planIngress = (desired: IngressManifest, observed: Option.Option<ObservedOwned>, ownerUid: string): IngressAction =>
  planOwned(desired, observed, ownerUid)

/** What was last applied to APIM for an API, as its status records it. */
export interface AppliedHashes {
  readonly documentHash: string | undefined
  readonly definitionHash: string | undefined
  readonly policyHash: string | undefined
}

export const NOTHING_APPLIED: AppliedHashes = { documentHash: undefined, definitionHash: undefined, policyHash: undefined }

export type ApiAction = Data.TaggedEnum<{
  /** Create or update; the definition carries the document to import when there is one to (re-)import. */
  Put: {
    readonly definition: ApiDefinition
    readonly ifMatch: string | undefined
    /** `changed` with `documentChanged`: the document moved behind its URL (or the spec points elsewhere). */
    readonly reason: WriteReason
    readonly documentChanged: boolean
    /** The managed fields that differ from what APIM holds, for events, conditions and metrics. */
    readonly drifted: ReadonlyArray<string>
  }
  Keep: {}
}>
export const ApiAction = Data.taggedEnum<ApiAction>()

/** The hash of an API's managed fields (what `apiDrift` compares), recorded so drift can be told from a spec change. */
export const definitionHash = (definition: ApiDefinition): string => {
  const { document: _document, ...managed } = definition
  return contentHash(managed)
}

/**
 * The document is compared by hash with the one recorded as imported (APIM cannot cheaply give it back); the
 * definition is compared field by field with what APIM holds, so a change made in the portal is noticed. Whether a
 * difference is drift depends on the desired state: unchanged since it was last applied means someone else changed
 * APIM; changed means the spec (or the operator's settings, or the Ingress address) did.
 */
export const planApi = (
  desired: ApiDefinition,
  document: ImportDocument | undefined,
  observed: Option.Option<ApiState>,
  applied: AppliedHashes
): ApiAction => {
  const withDocument = document === undefined ? desired : { ...desired, document }
  const unchangedSinceApplied = definitionHash(desired) === applied.definitionHash
  if (Option.isNone(observed)) {
    const documentChanged = document !== undefined && documentHash(document) !== applied.documentHash
    const reason = unchangedSinceApplied && !documentChanged ? "missing" : "absent"
    return ApiAction.Put({ definition: withDocument, ifMatch: undefined, reason, documentChanged, drifted: [] })
  }
  const drifted = apiDrift(desired, observed.value)
  if (document !== undefined && documentHash(document) !== applied.documentHash) {
    return ApiAction.Put({ definition: withDocument, ifMatch: observed.value.etag, reason: "changed", documentChanged: true, drifted })
  }
  if (drifted.length === 0) return ApiAction.Keep()
  return ApiAction.Put({
    definition: desired,
    ifMatch: observed.value.etag,
    reason: unchangedSinceApplied ? "drift" : "changed",
    documentChanged: false,
    drifted
  })
}

export const documentHash = (document: ImportDocument): string => contentHash({ format: document.format, value: document.value })

/** A policy to apply, its canonical form (none when malformed) and its hash by meaning worked out once. */
export interface DesiredPolicy {
  readonly xml: string
  readonly canonical: Option.Option<string>
  /** By meaning (the canonical form), so APIM's reformatting never reads as a change. */
  readonly hash: string
}

export const desiredPolicy = (xml: string): DesiredPolicy => {
  const canonical = Either.getRight(canonicalPolicy(xml))
  return { xml, canonical, hash: contentHash(Option.getOrElse(canonical, () => xml)) }
}

/** A policy's hash by meaning (canonical form), so APIM's reformatting never reads as a change. */
export const policyHash = (xml: string): string => desiredPolicy(xml).hash

export type PolicyAction = Data.TaggedEnum<{
  Put: { readonly xml: string; readonly ifMatch: string | undefined; readonly reason: WriteReason }
  Keep: {}
}>
export const PolicyAction = Data.taggedEnum<PolicyAction>()

/** Policies are compared by meaning: APIM reformats what it stores. A malformed side is never equivalent. */
export const planPolicy = (
  desired: DesiredPolicy,
  observed: Option.Option<{ readonly xml: string; readonly etag: string }>,
  appliedPolicyHash: string | undefined
): PolicyAction => {
  const unchangedSinceApplied = desired.hash === appliedPolicyHash
  if (Option.isNone(observed)) return PolicyAction.Put({ xml: desired.xml, ifMatch: undefined, reason: unchangedSinceApplied ? "missing" : "absent" })
  const observedCanonical = Either.getRight(canonicalPolicy(observed.value.xml))
  return Option.isSome(desired.canonical) && Option.contains(observedCanonical, desired.canonical.value)
    ? PolicyAction.Keep()
    : PolicyAction.Put({ xml: desired.xml, ifMatch: observed.value.etag, reason: unchangedSinceApplied ? "drift" : "changed" })
}

/** The status fields the operator owns; a write happens only when one of them differs. */
export const OWNED_STATUS_FIELDS = ["apiStatus", "implementation", "conditions", "publication", "capabilities", "observedGeneration"] as const

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
