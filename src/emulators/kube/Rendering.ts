import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { apiVersionOf, type ResourceType, servedVersion, type ServedVersion } from "./ResourceType.ts"
import type { Scope } from "./StoreTypes.ts"
import { applySchemaDefaults } from "./StructuralSchema.ts"

/** Between the storage version and the version a client speaks ("None" conversion plus the kind's converters). */

export const toStorage = (type: ResourceType, version: ServedVersion, object: JsonObject): JsonObject => {
  const converted = version.toStorage?.(object) ?? object
  return { ...converted, apiVersion: apiVersionOf(type.group, type.storageVersion), kind: type.kind }
}

const defaultsCache = new WeakMap<JsonObject, boolean>()

const containsDefault = (node: Json): boolean => {
  if (isJsonArray(node)) return node.some(containsDefault)
  if (!isJsonObject(node)) return false
  return "default" in node || Object.values(node).some(containsDefault)
}

/** Whether a schema defaults anything: most do not, and then reads skip the defaulting pass. */
const hasDefaults = (schema: JsonObject): boolean => {
  let cached = defaultsCache.get(schema)
  if (cached === undefined) {
    cached = containsDefault(schema)
    defaultsCache.set(schema, cached)
  }
  return cached
}

/** A stored object in the version the client speaks, with that version's schema defaults applied on read. */
export const render = (scope: Scope, stored: JsonObject): JsonObject => {
  const version = servedVersion(scope.type, scope.version)
  const converted = version?.fromStorage?.(stored) ?? stored
  const { apiVersion: _a, kind: _k, ...rest } = converted
  const rendered: JsonObject = { apiVersion: apiVersionOf(scope.type.group, scope.version), kind: scope.type.kind, ...rest }
  const schema = version?.schema
  if (schema === undefined || !hasDefaults(schema)) return rendered
  const defaulted = applySchemaDefaults(schema, rendered)
  return isJsonObject(defaulted) ? defaulted : rendered
}
