import { Effect, Option } from "effect"
import {
  type ComponentApiReport,
  componentOwnerOf,
  componentStatusUpdate,
  COMPONENT_KIND,
  COMPONENT_PLURAL
} from "../domain/ComponentStatus.ts"
import { type ExposedApi, GROUP } from "../domain/ExposedApi.ts"
import type { ResourceRef } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"

/** A concurrent writer (the Component operator) is retried this many times before the next reconcile takes over. */
const CONFLICT_ATTEMPTS = 3

/**
 * Tells the ODA Component that owns an ExposedAPI what its entry for the API should say (url, developerUI, ready),
 * as the Canvas's own API operators do: the Component is read, only this API's entry is changed, and the lists
 * are written back conditioned on the resourceVersion read (a conflict re-reads). Nothing is written when the entry
 * already says it. A missing Component, a missing CRD, an entry the Component operator has not written yet, or
 * any failure is logged and never fails the ExposedAPI's reconcile: the next reconcile tries again.
 */
export const reportToParentComponent = (api: ExposedApi, report: ComponentApiReport): Effect.Effect<void, never, Kubernetes> => {
  const owner = componentOwnerOf(api.metadata.ownerReferences)
  if (owner === undefined) return Effect.void
  const ref: ResourceRef = { group: GROUP, version: owner.version, plural: COMPONENT_PLURAL, kind: COMPONENT_KIND }
  const { namespace, name, uid } = api.metadata
  const attempt = Effect.gen(function*() {
    const kube = yield* Kubernetes
    const found = yield* kube.get(ref, namespace, owner.name)
    if (Option.isNone(found) || found.value.metadata.uid !== owner.uid) {
      return yield* Effect.logDebug("parent Component not found; its status is not updated")
    }
    const component = found.value
    const update = componentStatusUpdate(component["status"], { name, uid }, report)
    if (update._tag === "NoEntry") return yield* Effect.logDebug("the parent Component lists no entry for this ExposedAPI (yet)")
    if (update._tag === "Unchanged") return
    const statusSubresource = yield* kube.hasStatusSubresource(ref)
    yield* kube.patch(
      ref,
      namespace,
      owner.name,
      { type: "merge", body: { metadata: { resourceVersion: component.metadata.resourceVersion }, status: update.lists } },
      statusSubresource ? { subresource: "status" } : {}
    )
    yield* Effect.logDebug("parent Component status updated").pipe(Effect.annotateLogs({ lists: Object.keys(update.lists) }))
  })
  return attempt.pipe(
    Effect.retry({ times: CONFLICT_ATTEMPTS - 1, while: (error) => error._tag === "KubeConflict" }),
    Effect.catchAll((error) => Effect.logWarning("could not update the parent Component's status", error.message)),
    Effect.annotateLogs({ component: `${namespace}/${owner.name}` })
  )
}
