import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { jsonKindName } from "./GoFormat.ts"
import { badRequest } from "./Status.ts"

/**
 * The four PATCH content types of kube-apiserver (handlers/patch.go). JSON patch lives in JsonPatch.ts,
 * strategic merge in StrategicMerge.ts with the per-kind strategies in StrategicSchemas.ts.
 */
export { applyJsonPatch } from "./JsonPatch.ts"
export { strategicMergePatch, type FieldStrategy, type StrategicSchema } from "./StrategicMerge.ts"
export { strategicSchemas } from "./StrategicSchemas.ts"

export type PatchType = "json" | "merge" | "strategic" | "apply"

const patchTypes: ReadonlyMap<string, PatchType> = new Map<string, PatchType>([
  ["application/json-patch+json", "json"],
  ["application/merge-patch+json", "merge"],
  ["application/strategic-merge-patch+json", "strategic"],
  ["application/apply-patch+yaml", "apply"]
])

/**
 * The patch type of a Content-Type header, undefined for anything else (415). Like PatchResource, only what
 * precedes the first `;` counts, compared exactly (no trimming, case-sensitive).
 */
export const patchTypeOf = (contentType: string | undefined): PatchType | undefined => {
  if (contentType === undefined) return undefined
  const semicolon = contentType.indexOf(";")
  return patchTypes.get(semicolon > 0 ? contentType.slice(0, semicolon) : contentType)
}

const put = (target: Record<string, Json>, key: string, value: Json): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** evanphx/json-patch pruneNulls: null members go from objects, also inside lists; null list elements stay. */
const pruneNulls = (value: Json): Json => {
  if (isJsonArray(value)) return value.map((element) => (element === null ? null : pruneNulls(element)))
  if (!isJsonObject(value)) return value
  const out: Record<string, Json> = {}
  for (const [key, child] of Object.entries(value)) if (child !== null) put(out, key, pruneNulls(child))
  return out
}

const mergeObjects = (target: JsonObject, patch: JsonObject): JsonObject => {
  const out: Record<string, Json> = { ...target }
  for (const [key, value] of Object.entries(patch)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined
    if (value === null) delete out[key]
    else if (isJsonObject(current)) put(out, key, isJsonObject(value) ? mergeObjects(current, value) : value)
    else put(out, key, pruneNulls(value))
  }
  return out
}

/**
 * RFC 7386 JSON merge patch: null deletes, objects merge, everything else (lists included) replaces. Values that
 * land where the target had no object lose their null members, as evanphx/json-patch (the apiserver's library)
 * does, including objects inside lists.
 */
export const mergePatch = (target: Json, patch: Json): Json =>
  isJsonObject(patch) ? mergeObjects(isJsonObject(target) ? target : {}, patch) : patch

/**
 * The request-body check that precedes merge and strategic patches under the default fieldValidation (Warn):
 * the body must decode into a map. A null merge patch is evanphx's ErrBadJSONPatch; a null strategic patch is empty.
 */
export const decodeObjectPatch = (patchType: "merge" | "strategic", body: Json): JsonObject => {
  if (isJsonObject(body)) return body
  if (body === null) {
    if (patchType === "strategic") return {}
    throw badRequest("Invalid JSON Patch")
  }
  const detail = `json: cannot unmarshal ${jsonKindName(body)} into Go value of type map[string]interface {}`
  throw badRequest(patchType === "merge" ? `error decoding patch: ${detail}` : detail)
}
