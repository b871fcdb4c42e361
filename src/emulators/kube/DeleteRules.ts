import { isJsonObject, type JsonObject } from "../Json.ts"
import { finalizersOf, generationOf, resourceVersionOf, rfc3339, uidOf, withMetadata } from "./ObjectMeta.ts"
import { qualifiedResource, type ResourceType } from "./ResourceType.ts"
import { conflict } from "./Status.ts"
import type { DeleteOptions } from "./StoreTypes.ts"
import { pendingFinalizers } from "./UpdateRules.ts"

/** DeleteOptions.preconditions: uid and resourceVersion must match the stored object (409 otherwise). */
export const checkDeletePreconditions = (type: ResourceType, name: string, old: JsonObject, options: DeleteOptions): void => {
  const pre = options.preconditions
  if (pre?.uid !== undefined && pre.uid !== "" && pre.uid !== uidOf(old)) {
    throw conflict(qualifiedResource(type), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${uidOf(old)}`)
  }
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== "" && pre.resourceVersion !== resourceVersionOf(old)) {
    throw conflict(
      qualifiedResource(type),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${resourceVersionOf(old) ?? ""}`
    )
  }
}

/**
 * store.go's markAsDeleting: the propagation policy's finalizer (foregroundDeletion, orphan) is added, and an object
 * something still holds gets deletionTimestamp (and one more generation) instead of going at once. Undefined: nothing
 * holds it, delete it now.
 */
export const markedForDeletion = (type: ResourceType, old: JsonObject, options: DeleteOptions, now: Date): JsonObject | undefined => {
  const policy = options.propagationPolicy ?? (options.orphanDependents === true ? "Orphan" : "Background")
  const policyFinalizer = policy === "Foreground" ? "foregroundDeletion" : policy === "Orphan" ? "orphan" : undefined
  const finalizers = policyFinalizer === undefined || finalizersOf(old).includes(policyFinalizer)
    ? finalizersOf(old)
    : [...finalizersOf(old), policyFinalizer]
  const graceful = withMetadata(old, { finalizers: finalizers.length === 0 ? null : [...finalizers] })
  if (pendingFinalizers(type, graceful).length === 0) return undefined
  const generation = generationOf(old)
  const marked = withMetadata(graceful, {
    deletionTimestamp: rfc3339(now),
    deletionGracePeriodSeconds: 0,
    ...(generation > 0 ? { generation: generation + 1 } : {})
  })
  return type.group === "" && type.kind === "Namespace"
    ? { ...marked, status: { ...(isJsonObject(marked["status"]) ? marked["status"] : {}), phase: "Terminating" } }
    : marked
}
