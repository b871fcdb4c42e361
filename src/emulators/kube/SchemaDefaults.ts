import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { additionalPropertiesOf, defaultOf, flag, itemsOf, objectFrom, propertyNames, propertyOf } from "./SchemaNode.ts"

/**
 * Structural defaulting as apiextensions-apiserver pkg/apiserver/schema/defaulting/algorithm.go Default applies it
 * on create, update and read: a property with a `default` is filled in when absent, or when null and the property
 * is not nullable; defaults land before recursion, so defaults nested in a default apply too. A nullable null is
 * left alone and nothing is defaulted inside it. Array items and additionalProperties values that are non-nullable
 * nulls take their schema's default.
 */

const isNonNullableNull = (value: Json | undefined, schema: JsonObject | undefined): boolean =>
  value === null && schema !== undefined && !flag(schema, "nullable")

/** Defaults are copied so stored objects never share structure with the CRD's schema. */
const copyOf = (value: Json): Json => structuredClone(value)

const defaultValue = (value: Json, schema: JsonObject | undefined): Json => {
  if (schema === undefined) return value
  if (isJsonArray(value)) {
    const items = itemsOf(schema)
    if (items === undefined) return value
    return value.map((item) => {
      const fallback = defaultOf(items)
      const filled = isNonNullableNull(item, items) && fallback !== undefined ? copyOf(fallback) : item
      return defaultValue(filled, items)
    })
  }
  if (!isJsonObject(value)) return value
  const filled: Record<string, Json> = Object.create(null)
  for (const [key, child] of Object.entries(value)) filled[key] = child
  for (const name of propertyNames(schema)) {
    const property = propertyOf(schema, name)
    const fallback = property === undefined ? undefined : defaultOf(property)
    if (fallback === undefined) continue
    if (!Object.hasOwn(filled, name) || isNonNullableNull(filled[name], property)) filled[name] = copyOf(fallback)
  }
  const additional = additionalPropertiesOf(schema)?.schema
  return objectFrom(
    Object.entries(filled).map(([key, child]) => {
      const property = propertyOf(schema, key)
      if (property !== undefined) return [key, defaultValue(child, property)] as const
      if (additional === undefined) return [key, child] as const
      const fallback = defaultOf(additional)
      const base = isNonNullableNull(child, additional) && fallback !== undefined ? copyOf(fallback) : child
      return [key, defaultValue(base, additional)] as const
    })
  )
}

/** Applies a schema's defaults to a custom object; never mutates `object`. */
export const applySchemaDefaults = (schema: JsonObject, object: Json): Json => defaultValue(object, schema)
