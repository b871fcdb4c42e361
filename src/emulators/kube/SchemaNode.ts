import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"

/**
 * Read access to a CRD's `openAPIV3Schema` nodes (JSONSchemaProps as JSON). Only own keys count, so a schema
 * can never reach into Object.prototype through a property called `__proto__` or `constructor`.
 */
export type OpenApiV3Schema = JsonObject

export const PRESERVE_UNKNOWN = "x-kubernetes-preserve-unknown-fields"
export const EMBEDDED_RESOURCE = "x-kubernetes-embedded-resource"
export const INT_OR_STRING = "x-kubernetes-int-or-string"
export const LIST_TYPE = "x-kubernetes-list-type"
export const LIST_MAP_KEYS = "x-kubernetes-list-map-keys"

export const own = (object: JsonObject, key: string): Json | undefined =>
  Object.hasOwn(object, key) ? object[key] : undefined

export const objectAt = (object: JsonObject, key: string): JsonObject | undefined => {
  const value = own(object, key)
  return isJsonObject(value) ? value : undefined
}

export const stringAt = (object: JsonObject, key: string): string | undefined => {
  const value = own(object, key)
  return typeof value === "string" ? value : undefined
}

export const numberAt = (object: JsonObject, key: string): number | undefined => {
  const value = own(object, key)
  return typeof value === "number" ? value : undefined
}

export const flag = (object: JsonObject, key: string): boolean => own(object, key) === true

export const stringsAt = (object: JsonObject, key: string): ReadonlyArray<string> => {
  const value = own(object, key)
  return isJsonArray(value) ? value.filter((v): v is string => typeof v === "string") : []
}

export const schemasAt = (schema: JsonObject, key: "allOf" | "anyOf" | "oneOf"): ReadonlyArray<JsonObject> => {
  const value = own(schema, key)
  return isJsonArray(value) ? value.filter(isJsonObject) : []
}

export const schemaType = (schema: JsonObject): string => stringAt(schema, "type") ?? ""

export const propertyNames = (schema: JsonObject): ReadonlyArray<string> => Object.keys(objectAt(schema, "properties") ?? {})

export const propertyOf = (schema: JsonObject, name: string): JsonObject | undefined => {
  const properties = objectAt(schema, "properties")
  return properties === undefined ? undefined : objectAt(properties, name)
}

export const itemsOf = (schema: JsonObject): JsonObject | undefined => objectAt(schema, "items")

/** `additionalProperties`: absent, `true`/`false`, or a schema (which, like `true`, allows). */
export interface AdditionalProperties {
  readonly allows: boolean
  readonly schema: JsonObject | undefined
}

export const additionalPropertiesOf = (schema: JsonObject): AdditionalProperties | undefined => {
  const value = own(schema, "additionalProperties")
  if (typeof value === "boolean") return { allows: value, schema: undefined }
  return isJsonObject(value) ? { allows: true, schema: value } : undefined
}

/** The default a node declares; `default: null` declares none, as in Go where it decodes to a nil JSON. */
export const defaultOf = (schema: JsonObject): Json | undefined => {
  const value = own(schema, "default")
  return value === null ? undefined : value
}

/**
 * The structural schema of an object's field, as pruning, defaulting and list validation see it
 * (apiextensions-apiserver schema.Structural): a declared property, else additionalProperties
 * (`undefined` schema when it is a bare boolean), else not found.
 */
export const fieldSchema = (schema: JsonObject, key: string): { readonly found: boolean; readonly schema: JsonObject | undefined } => {
  const property = propertyOf(schema, key)
  if (property !== undefined) return { found: true, schema: property }
  const additional = additionalPropertiesOf(schema)
  return additional === undefined ? { found: false, schema: undefined } : { found: true, schema: additional.schema }
}

/** The JSON type a value has once the apiserver decoded it: integral numbers become int64, others float64. */
export type ValueKind = "null" | "boolean" | "string" | "integer" | "number" | "array" | "object"

export const kindOf = (value: Json): ValueKind => {
  if (value === null) return "null"
  if (typeof value === "boolean") return "boolean"
  if (typeof value === "string") return "string"
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number"
  return isJsonArray(value) ? "array" : "object"
}

/** Builds an object from entries without letting a `__proto__` key touch the prototype. */
export const objectFrom = (entries: Iterable<readonly [string, Json]>): JsonObject => Object.fromEntries(entries)

/** field.Path rendering: `a.b`, `a[0]`, `a[key]`; the empty path is the root. */
export const childPath = (path: string, name: string): string => (path === "" ? name : `${path}.${name}`)
export const indexPath = (path: string, index: number): string => `${path}[${index}]`
export const keyPath = (path: string, key: string): string => `${path}[${key}]`
