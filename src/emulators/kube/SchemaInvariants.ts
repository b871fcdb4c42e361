import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { validateName } from "./ObjectMeta.ts"
import {
  childPath, EMBEDDED_RESOURCE, fieldSchema, flag, indexPath, itemsOf, keyPath, LIST_MAP_KEYS, LIST_TYPE, objectFrom,
  propertyOf, stringAt, stringsAt
} from "./SchemaNode.ts"
import type { FieldError } from "./Status.ts"

/**
 * The checks the custom resource strategy runs after schema validation (apiextensions-apiserver
 * pkg/registry/customresource/strategy.go Validate): embedded resources' TypeMeta and ObjectMeta
 * (pkg/apiserver/schema/objectmeta/validation.go) and the uniqueness of x-kubernetes-list-type set/map
 * lists (pkg/apiserver/schema/listtype/validation.go). Paths are field.Path: `a.b`, `a[0]`, `a[key]`.
 */

/** Go's json.Unmarshal wording for a value of the wrong JSON type. */
const goJsonType = (value: Json): string =>
  value === null ? "null" : typeof value === "boolean" ? "bool" : isJsonArray(value) ? "array" : typeof value === "object" ? "object" : typeof value

/** apimachinery path.IsValidPathSegmentName (ValidatePathSegmentName for embedded metadata). */
const pathSegmentErrors = (name: string, prefix: boolean): ReadonlyArray<string> => {
  if (!prefix && (name === "." || name === "..")) return [`may not be '${name}'`]
  return ["/", "%"].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`)
}

const validateEmbeddedMetadata = (path: string, metadata: Json): ReadonlyArray<FieldError> => {
  const field = childPath(path, "metadata")
  if (!isJsonObject(metadata)) {
    return [{ type: "FieldValueInvalid", field, value: metadata, detail: `json: cannot unmarshal ${goJsonType(metadata)} into Go value of type v1.ObjectMeta` }]
  }
  for (const key of ["name", "generateName", "namespace"]) {
    const value = metadata[key]
    if (Object.hasOwn(metadata, key) && value !== null && typeof value !== "string") {
      const detail = `json: cannot unmarshal ${goJsonType(value ?? null)} into Go struct field ObjectMeta.${key} of type string`
      return [{ type: "FieldValueInvalid", field, value: metadata, detail }]
    }
  }
  const errors: Array<FieldError> = []
  const generateName = stringAt(metadata, "generateName") ?? ""
  for (const msg of generateName === "" ? [] : pathSegmentErrors(generateName, true)) {
    errors.push({ type: "FieldValueInvalid", field: childPath(field, "generateName"), value: generateName, detail: msg })
  }
  // the apiserver validates a nameless embedded object as if it were called "fakename"
  const name = stringAt(metadata, "name") ?? ""
  for (const msg of name === "" ? [] : pathSegmentErrors(name, false)) {
    errors.push({ type: "FieldValueInvalid", field: childPath(field, "name"), value: name, detail: msg })
  }
  const namespace = stringAt(metadata, "namespace") ?? ""
  if (namespace !== "") errors.push(...validateName(namespace, "label", childPath(field, "namespace")))
  return errors
}

/** objectmeta.validateEmbeddedResource: apiVersion and kind required, kind a mixed-case DNS-1035 label. */
const validateEmbeddedResource = (path: string, object: JsonObject): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  for (const key of ["apiVersion", "kind"]) {
    if (!Object.hasOwn(object, key)) errors.push({ type: "FieldValueRequired", field: childPath(path, key), detail: "" })
  }
  for (const [key, value] of Object.entries(object)) {
    const field = childPath(path, key)
    if (key === "apiVersion" || key === "kind") {
      if (typeof value !== "string") errors.push({ type: "FieldValueInvalid", field, value, detail: "must be a string" })
      else if (value === "") errors.push({ type: "FieldValueRequired", field, detail: "" })
      else if (key === "apiVersion" && value.split("/").length > 2) {
        errors.push({ type: "FieldValueInvalid", field, value, detail: `unexpected GroupVersion string: ${value}` })
      } else if (key === "kind") {
        const problems = validateName(value.toLowerCase(), "dns1035", field)
        if (problems.length > 0) {
          const detail = `may have mixed case, but should otherwise match: ${problems.map((p) => p.detail ?? "").join(",")}`
          errors.push({ type: "FieldValueInvalid", field, value, detail })
        }
      }
    } else if (key === "metadata") errors.push(...validateEmbeddedMetadata(path, value))
  }
  return errors
}

const walkEmbedded = (path: string, value: Json, schema: JsonObject | undefined): ReadonlyArray<FieldError> => {
  if (schema === undefined) return []
  if (isJsonArray(value)) return value.flatMap((item, i) => walkEmbedded(indexPath(path, i), item, itemsOf(schema)))
  if (!isJsonObject(value)) return []
  const errors: Array<FieldError> = flag(schema, EMBEDDED_RESOURCE) ? [...validateEmbeddedResource(path, value)] : []
  for (const [key, child] of Object.entries(value)) {
    const isProperty = propertyOf(schema, key) !== undefined
    const { found, schema: sub } = fieldSchema(schema, key)
    if (found) errors.push(...walkEmbedded(isProperty ? childPath(path, key) : keyPath(path, key), child, sub))
  }
  return errors
}

/** Embedded resources anywhere below the root; the root's own metadata is the store's business. */
export const validateEmbeddedResources = (schema: JsonObject, object: Json): ReadonlyArray<FieldError> => walkEmbedded("", object, schema)

/** Go's json.Marshal of a set element: map keys sorted, so `{"b":1,"a":2}` equals `{"a":2,"b":1}`. */
const canonical = (value: Json): string => {
  if (isJsonArray(value)) return `[${value.map(canonical).join(",")}]`
  if (isJsonObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? null)}`).join(",")}}`
  }
  return JSON.stringify(value)
}

/** validateListSet: the second occurrence of each repeated element, once per element. */
const repeatedIndices = (keys: ReadonlyArray<string>): ReadonlyArray<number> => {
  const seen = new Map<string, number>()
  const repeated: Array<number> = []
  keys.forEach((key, i) => {
    const times = seen.get(key) ?? 0
    if (times === 1) repeated.push(i)
    seen.set(key, times + 1)
  })
  return repeated
}

const UNSPECIFIED = "\u0000unspecified"

const validateListMap = (path: string, schema: JsonObject, list: ReadonlyArray<Json>): ReadonlyArray<FieldError> => {
  const notObject = list.findIndex((x) => x !== null && !isJsonObject(x))
  if (notObject >= 0) {
    return [{ type: "FieldValueInvalid", field: indexPath(path, notObject), value: list[notObject] ?? null, detail: "must be an object for an array of list-type map" }]
  }
  if (list.length <= 1) return []
  const keyFields = stringsAt(schema, LIST_MAP_KEYS)
  const keyOf = (item: Json): JsonObject =>
    objectFrom(isJsonObject(item) ? keyFields.filter((k) => Object.hasOwn(item, k)).map((k) => [k, item[k] ?? null] as const) : [])
  const keys = list.map(keyOf)
  const identities = keys.map((key, i) => {
    // a single key field compares the bare key value, with a missing key unequal to any value (even null)
    if (keyFields.length !== 1) return canonical(key)
    const item = list[i]
    const field = keyFields[0] ?? ""
    return isJsonObject(item) && Object.hasOwn(item, field) ? canonical(item[field] ?? null) : UNSPECIFIED
  })
  return repeatedIndices(identities).map((i) => ({ type: "FieldValueDuplicate", field: indexPath(path, i), value: keys[i] ?? {} }))
}

const walkLists = (path: string, value: Json, schema: JsonObject | undefined): ReadonlyArray<FieldError> => {
  if (schema === undefined) return []
  if (isJsonObject(value)) {
    return Object.entries(value).flatMap(([key, child]) => {
      const property = propertyOf(schema, key)
      if (property !== undefined) return walkLists(childPath(path, key), child, property)
      const { found, schema: sub } = fieldSchema(schema, key)
      return found ? walkLists(keyPath(path, key), child, sub) : []
    })
  }
  if (!isJsonArray(value)) return []
  const errors: Array<FieldError> = []
  const listType = stringAt(schema, LIST_TYPE)
  if (listType === "set") {
    for (const i of repeatedIndices(value.map(canonical))) {
      errors.push({ type: "FieldValueDuplicate", field: indexPath(path, i), value: value[i] ?? null })
    }
  } else if (listType === "map") errors.push(...validateListMap(path, schema, value))
  const items = itemsOf(schema)
  value.forEach((item, i) => errors.push(...walkLists(indexPath(path, i), item, items)))
  return errors
}

/** Duplicate elements of list-type set lists and duplicate keys of list-type map lists. */
export const validateListSetsAndMaps = (schema: JsonObject, object: Json): ReadonlyArray<FieldError> => walkLists("", object, schema)
