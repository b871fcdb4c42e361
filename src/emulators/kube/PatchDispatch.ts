import { isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { stringField } from "./ObjectMeta.ts"
import { applyJsonPatch, decodeObjectPatch, mergePatch, strategicMergePatch, strategicSchemas } from "./Patch.ts"
import type { ResourceType } from "./ResourceType.ts"
import { badRequest } from "./Status.ts"
import type { PatchType } from "./StoreTypes.ts"

/** An apply configuration must name its apiVersion and kind (the field manager cannot type it otherwise). */
export const applyConfiguration = (patch: Json): JsonObject => {
  if (!isJsonObject(patch) || stringField(patch, "apiVersion") === undefined || stringField(patch, "kind") === undefined) {
    throw badRequest("error decoding YAML: Object 'Kind' is missing in apply configuration (apiVersion and kind are required)")
  }
  return patch
}

/** The object a patch of the given type makes of the current one (in the request's version). */
export const applyPatch = (type: ResourceType, patchType: PatchType, current: JsonObject, patch: Json): Json => {
  switch (patchType) {
    case "json":
      return applyJsonPatch(current, patch)
    case "merge":
      return mergePatch(current, decodeObjectPatch("merge", patch))
    case "apply":
      // Server-side apply, approximated as a merge of the applied configuration: fields a manager stops
      // sending are not removed, there are no field-manager conflicts, and list-maps are replaced whole.
      return mergePatch(current, applyConfiguration(patch))
    case "strategic": {
      const body = decodeObjectPatch("strategic", patch)
      const schema = type.strategicKey === undefined ? undefined : strategicSchemas[type.strategicKey]
      return schema === undefined ? mergePatch(current, body) : strategicMergePatch(current, body, schema)
    }
  }
}
