import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { defaultOf, EMBEDDED_RESOURCE, fieldSchema, flag, itemsOf, objectFrom, PRESERVE_UNKNOWN } from "./SchemaNode.ts"

/**
 * Pruning as apiextensions-apiserver pkg/apiserver/schema/pruning/algorithm.go PruneWithOptions does it: fields
 * the structural schema does not specify are dropped unless a node sets x-kubernetes-preserve-unknown-fields;
 * apiVersion, kind and metadata are kept at the root and in embedded resources (their metadata is coerced, not
 * pruned). Pruned paths are recorded like UnknownFieldPathOptions: `spec.foo`, `spec.items[0].bar`, sorted.
 */

const META_FIELDS: ReadonlySet<string> = new Set(["apiVersion", "kind", "metadata"])

const appendKey = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`)

/** `schema` undefined is Go's nil structural: every field of an object below it is unknown. */
const prune = (value: Json, schema: JsonObject | undefined, embedded: boolean, path: string, pruned: Array<string>): Json => {
  if (schema !== undefined && flag(schema, PRESERVE_UNKNOWN)) return skipPrune(value, schema, embedded, path, pruned)
  if (isJsonArray(value)) {
    const items = schema === undefined ? undefined : itemsOf(schema)
    return value.map((item, i) => prune(item, items, false, `${path}[${i}]`, pruned))
  }
  if (!isJsonObject(value)) return value
  if (schema === undefined) {
    for (const key of Object.keys(value)) pruned.push(appendKey(path, key))
    return {}
  }
  const isEmbedded = embedded || flag(schema, EMBEDDED_RESOURCE)
  const kept: Array<readonly [string, Json]> = []
  for (const [key, child] of Object.entries(value)) {
    if (isEmbedded && META_FIELDS.has(key)) {
      kept.push([key, child])
      continue
    }
    const { found, schema: sub } = fieldSchema(schema, key)
    if (found) kept.push([key, prune(child, sub, false, appendKey(path, key), pruned)])
    else if (!META_FIELDS.has(key) || path !== "") pruned.push(appendKey(path, key))
  }
  return objectFrom(kept)
}

/** Below x-kubernetes-preserve-unknown-fields: unknown fields stay, specified ones are still pruned inside. */
const skipPrune = (value: Json, schema: JsonObject, embedded: boolean, path: string, pruned: Array<string>): Json => {
  if (isJsonArray(value)) {
    const items = itemsOf(schema)
    return items === undefined ? value : value.map((item, i) => skipPrune(item, items, false, `${path}[${i}]`, pruned))
  }
  if (!isJsonObject(value)) return value
  const isEmbedded = embedded || flag(schema, EMBEDDED_RESOURCE)
  return objectFrom(
    Object.entries(value).map(([key, child]) => {
      if (isEmbedded && META_FIELDS.has(key)) return [key, child] as const
      const { found, schema: sub } = fieldSchema(schema, key)
      return [key, found ? prune(child, sub, false, appendKey(path, key), pruned) : child] as const
    })
  )
}

export interface Pruned {
  readonly value: Json
  readonly pruned: ReadonlyArray<string>
}

/** Prunes any value against a schema node; `isResourceRoot` keeps apiVersion/kind/metadata as at an object's root. */
export const pruneNode = (schema: JsonObject, value: Json, isResourceRoot: boolean): Pruned => {
  const pruned: Array<string> = []
  const kept = prune(value, schema, isResourceRoot, "", pruned)
  return { value: kept, pruned: pruned.sort() }
}

/** Drops the fields of a whole custom object that its schema does not specify; never mutates `object`. */
export const pruneUnknownFields = (schema: JsonObject, object: Json): Pruned => pruneNode(schema, object, true)

/**
 * defaulting/prunenulls.go PruneNonNullableNullsWithoutDefaults, run by the decoder right after pruning: a null
 * in a specified, non-nullable field without a default is dropped (so `required` then reports it missing).
 */
export const dropNonNullableNulls = (schema: JsonObject | undefined, value: Json): Json => {
  if (isJsonArray(value)) {
    const items = schema === undefined ? undefined : itemsOf(schema)
    return value.map((item) => dropNonNullableNulls(items, item))
  }
  if (!isJsonObject(value)) return value
  const kept: Array<readonly [string, Json]> = []
  for (const [key, child] of Object.entries(value)) {
    const sub = schema === undefined ? undefined : fieldSchema(schema, key).schema
    if (child === null && sub !== undefined && !flag(sub, "nullable") && defaultOf(sub) === undefined) continue
    kept.push([key, dropNonNullableNulls(sub, child)])
  }
  return objectFrom(kept)
}
