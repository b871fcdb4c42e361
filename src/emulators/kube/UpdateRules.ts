import { isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { goTime } from "./GoFormat.ts"
import { deepEqual, deletionTimestampOf, finalizersOf, metadataOf, stringList } from "./ObjectMeta.ts"
import type { ResourceType } from "./ResourceType.ts"
import type { FieldError } from "./Status.ts"

/** kube-apiserver's update strategies: what each endpoint may change, and what counts as a spec change. */

const setOrRemove = (object: JsonObject, key: string, value: Json | undefined): JsonObject => {
  const out: Record<string, Json> = { ...object }
  if (value === undefined) delete out[key]
  else out[key] = value
  return out
}

/**
 * The object an update would store, before metadata immutables are re-imposed:
 * - `/status` of a custom resource takes only `.status` from the request (status_strategy deep-copies the old object);
 * - `/status` of a built-in keeps the old spec but takes the request's metadata;
 * - the main endpoint of a kind with a status subresource keeps the old status.
 */
export const composeUpdate = (
  type: ResourceType,
  subresource: "status" | undefined,
  candidate: JsonObject,
  old: JsonObject
): JsonObject => {
  if (subresource === "status") {
    return type.custom
      ? setOrRemove(old, "status", candidate["status"])
      : setOrRemove(candidate, "spec", old["spec"])
  }
  return type.statusSubresource ? setOrRemove(candidate, "status", old["status"]) : candidate
}

/** metadata.generation moves when anything outside metadata (and outside status, with the subresource) changed. */
export const nonMetadataChanged = (type: ResourceType, old: JsonObject, next: JsonObject): boolean => {
  const ignored = new Set(["metadata", "apiVersion", "kind", ...(type.statusSubresource ? ["status"] : [])])
  const keys = new Set([...Object.keys(old), ...Object.keys(next)].filter((k) => !ignored.has(k)))
  for (const key of keys) if (!deepEqual(old[key], next[key])) return true
  return false
}

/** What still holds an object being deleted: its finalizers, and a Namespace's spec.finalizers. */
export const pendingFinalizers = (type: ResourceType, object: JsonObject): ReadonlyArray<string> => {
  const finalizers = finalizersOf(object)
  if (type.group !== "" || type.kind !== "Namespace") return finalizers
  const spec = object["spec"]
  const specFinalizers = isJsonObject(spec) ? stringList(spec["finalizers"]) : []
  return [...finalizers, ...specFinalizers]
}

/**
 * ValidateObjectMetaUpdate: deletionTimestamp and deletionGracePeriodSeconds are immutable. Only DELETE sets them;
 * once set, BeforeUpdate silently restores them, so this bites only an update of a live object that tries to set them.
 */
export const deletionFieldsSetOnLiveObject = (next: JsonObject, old: JsonObject): ReadonlyArray<FieldError> => {
  if (deletionTimestampOf(old) !== undefined) return []
  const errors: Array<FieldError> = []
  const timestamp = deletionTimestampOf(next)
  if (timestamp !== undefined) {
    errors.push({ type: "FieldValueInvalid", field: "metadata.deletionTimestamp", goValue: goTime(timestamp), detail: "field is immutable" })
  }
  const grace = metadataOf(next)["deletionGracePeriodSeconds"]
  if (grace !== undefined && grace !== null) {
    errors.push({ type: "FieldValueInvalid", field: "metadata.deletionGracePeriodSeconds", value: grace, detail: "field is immutable" })
  }
  return errors
}
