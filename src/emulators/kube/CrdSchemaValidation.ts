import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { validateOpenApiSubset } from "./CrdSchemaSubset.ts"
import { deepEqual } from "./ObjectMeta.ts"
import {
  additionalPropertiesOf, childPath, defaultOf, EMBEDDED_RESOURCE, flag, INT_OR_STRING, itemsOf, keyPath, LIST_MAP_KEYS,
  LIST_TYPE, own, PRESERVE_UNKNOWN, propertyNames, propertyOf, schemasAt, schemaType, stringAt, stringsAt
} from "./SchemaNode.ts"
import { pruneNode } from "./SchemaPruning.ts"
import { goRegExp, validateValue } from "./SchemaValidation.ts"
import { fieldErrorText, type FieldError } from "./Status.ts"

/**
 * The checks kube-apiserver makes on one `openAPIV3Schema` of a CRD (apiextensions-apiserver
 * pkg/apis/apiextensions/validation/validation.go validateCustomResourceDefinitionValidation): the root
 * restrictions, the structural-schema invariants (pkg/apiserver/schema/validation.go ValidateStructural, its
 * errors sorted by text, and complete.go), the defaults (pkg/apiserver/schema/defaulting/validation.go), then
 * the OpenAPI subset (ValidateCustomResourceDefinitionOpenAPISchema). `path` is where the schema sits, e.g.
 * `spec.versions[0].schema.openAPIV3Schema` or, when every version has the same schema, `spec.validation.openAPIV3Schema`.
 */

type Level = "root" | "item" | "field"

const required = (field: string, detail: string): FieldError => ({ type: "FieldValueRequired", field, detail })
const forbidden = (field: string, detail: string): FieldError => ({ type: "FieldValueForbidden", field, detail })
const invalid = (field: string, value: Json, detail: string): FieldError => ({ type: "FieldValueInvalid", field, value, detail })

const intOrStringAlternatives: Json = [{ type: "integer" }, { type: "string" }]
const isIntOrStringAnyOf = (node: JsonObject): boolean => deepEqual(own(node, "anyOf"), intOrStringAlternatives)

/** NestedValueValidation: what a schema under allOf/anyOf/oneOf/not may not say to stay structural. */
const validateNested = (node: JsonObject, skipAnyOf: boolean, level: Level, path: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = [...validateJunctors(node, skipAnyOf, false, level, path)]
  const items = itemsOf(node)
  if (items !== undefined) errors.push(...validateNested(items, false, level, childPath(path, "items")))
  for (const name of propertyNames(node)) {
    const property = propertyOf(node, name)
    if (property !== undefined) errors.push(...validateNested(property, false, "field", keyPath(childPath(path, "properties"), name)))
  }
  const at = (key: string): string => childPath(path, key)
  if (schemaType(node) !== "") errors.push(forbidden(at("type"), "must be empty to be structural"))
  if (own(node, "additionalProperties") !== undefined) errors.push(forbidden(at("additionalProperties"), "must be undefined to be structural"))
  if (defaultOf(node) !== undefined) errors.push(forbidden(at("default"), "must be undefined to be structural"))
  if ((stringAt(node, "title") ?? "") !== "") errors.push(forbidden(at("title"), "must be empty to be structural"))
  if ((stringAt(node, "description") ?? "") !== "") errors.push(forbidden(at("description"), "must be empty to be structural"))
  if (flag(node, "nullable")) errors.push(forbidden(at("nullable"), "must be false to be structural"))
  if (own(node, "externalDocs") !== undefined) errors.push(forbidden(at("externalDocs"), "must be undefined to be structural"))
  if (flag(node, PRESERVE_UNKNOWN)) errors.push(forbidden(at(PRESERVE_UNKNOWN), "must be false to be structural"))
  if (flag(node, EMBEDDED_RESOURCE)) errors.push(forbidden(at(EMBEDDED_RESOURCE), "must be false to be structural"))
  if (flag(node, INT_OR_STRING)) errors.push(forbidden(at(INT_OR_STRING), "must be false to be structural"))
  if (stringsAt(node, LIST_MAP_KEYS).length > 0) errors.push(forbidden(at(LIST_MAP_KEYS), "must be empty to be structural"))
  if (own(node, LIST_TYPE) !== undefined) errors.push(forbidden(at(LIST_TYPE), "must be undefined to be structural"))
  if (own(node, "x-kubernetes-map-type") !== undefined) errors.push(forbidden(at("x-kubernetes-map-type"), "must be undefined to be structural"))
  const rules = own(node, "x-kubernetes-validations")
  if (isJsonArray(rules) && rules.length > 0) errors.push(forbidden(at("x-kubernetes-validations"), "must be empty to be structural"))
  if (propertyOf(node, "metadata") !== undefined) {
    errors.push(forbidden(keyPath(at("properties"), "metadata"), "must not be specified in a nested context"))
  }
  return errors
}

/** validateValueValidation: the junctors (minus the int-or-string idioms) and the pattern's syntax. */
const validateJunctors = (node: JsonObject, skipAnyOf: boolean, skipFirstAllOfAnyOf: boolean, level: Level, path: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  if (!skipAnyOf) schemasAt(node, "anyOf").forEach((s, i) => errors.push(...validateNested(s, false, level, `${childPath(path, "anyOf")}[${i}]`)))
  schemasAt(node, "allOf").forEach((s, i) => errors.push(...validateNested(s, skipFirstAllOfAnyOf && i === 0, level, `${childPath(path, "allOf")}[${i}]`)))
  schemasAt(node, "oneOf").forEach((s, i) => errors.push(...validateNested(s, false, level, `${childPath(path, "oneOf")}[${i}]`)))
  const not = own(node, "not")
  if (isJsonObject(not)) errors.push(...validateNested(not, false, level, childPath(path, "not")))
  const pattern = stringAt(node, "pattern") ?? ""
  if (pattern !== "") {
    try {
      goRegExp(pattern)
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e)
      errors.push(invalid(childPath(path, "pattern"), pattern, `must be a valid regular expression, but isn't: error parsing regexp: ${why}`))
    }
  }
  return errors
}

/** Keys a root `metadata` schema may carry: only type object and name/generateName properties (validateStructuralMetadataInvariants). */
const restrictsMoreThanNames = (metadata: JsonObject): boolean => {
  for (const key of Object.keys(metadata)) {
    if (key === "type" || key === "default") continue
    if (key === "properties") {
      const names = propertyNames(metadata)
      if (names.some((n) => n !== "name" && n !== "generateName")) return true
      continue
    }
    const value = metadata[key]
    if (value === false || value === null || value === "" || (isJsonArray(value) && value.length === 0)) continue
    return true
  }
  return false
}

/** validateStructuralInvariants for one node and below. */
const validateInvariants = (node: JsonObject, level: Level, path: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const type = schemaType(node)
  const items = itemsOf(node)
  if (type === "array" && items === undefined) errors.push(required(childPath(path, "items"), "must be specified"))
  if (items !== undefined) errors.push(...validateInvariants(items, "item", childPath(path, "items")))
  for (const name of propertyNames(node)) {
    const property = propertyOf(node, name)
    if (property !== undefined) errors.push(...validateInvariants(property, "field", keyPath(childPath(path, "properties"), name)))
  }
  const additional = additionalPropertiesOf(node)
  if (additional !== undefined) {
    if (level === "root") errors.push(forbidden(childPath(path, "additionalProperties"), "must not be used at the root"))
    if (additional.schema !== undefined) errors.push(...validateInvariants(additional.schema, "field", childPath(path, "additionalProperties")))
  }
  const intOrString = flag(node, INT_OR_STRING)
  const embedded = flag(node, EMBEDDED_RESOURCE)
  if (intOrString && flag(node, PRESERVE_UNKNOWN)) errors.push(invalid(childPath(path, PRESERVE_UNKNOWN), true, "must be false if x-kubernetes-int-or-string is true"))
  if (intOrString && embedded) errors.push(invalid(childPath(path, EMBEDDED_RESOURCE), true, "must be false if x-kubernetes-int-or-string is true"))
  const allOf = schemasAt(node, "allOf")
  const skipFirstAllOfAnyOf = allOf[0] !== undefined && isIntOrStringAnyOf(allOf[0])
  errors.push(...validateJunctors(node, isIntOrStringAnyOf(node), skipFirstAllOfAnyOf, level, path))
  const typePath = childPath(path, "type")
  if (embedded && type !== "object") {
    errors.push(type === "" ? required(typePath, "must be object if x-kubernetes-embedded-resource is true") : invalid(typePath, type, "must be object if x-kubernetes-embedded-resource is true"))
  } else if (type === "" && !intOrString && !flag(node, PRESERVE_UNKNOWN)) {
    const where = { root: "at the root", item: "for specified array items", field: "for specified object fields" }[level]
    errors.push(required(typePath, `must not be empty ${where}`))
  }
  if (embedded && additional !== undefined) errors.push(forbidden(childPath(path, "additionalProperties"), "must not be used if x-kubernetes-embedded-resource is set"))
  if (level === "root" && type !== "" && type !== "object") errors.push(invalid(typePath, type, "must be object at the root"))
  const checkMetadata = level === "root" || embedded
  for (const meta of ["kind", "apiVersion"]) {
    const property = propertyOf(node, meta)
    if (checkMetadata && property !== undefined && schemaType(property) !== "string") {
      errors.push(invalid(childPath(keyPath(childPath(path, "properties"), meta), "type"), schemaType(property), "must be string"))
    }
  }
  const metadata = propertyOf(node, "metadata")
  if (metadata !== undefined) {
    const metadataPath = keyPath(childPath(path, "properties"), "metadata")
    if (checkMetadata && schemaType(metadata) !== "object") errors.push(invalid(childPath(metadataPath, "type"), schemaType(metadata), "must be object"))
    if (level === "root" && restrictsMoreThanNames(metadata)) {
      errors.push(forbidden(metadataPath, "must not specify anything other than name and generateName, but metadata is implicitly specified"))
    }
  }
  if (embedded && !flag(node, PRESERVE_UNKNOWN) && propertyNames(node).length === 0) {
    errors.push(required(childPath(path, "properties"), "must not be empty if x-kubernetes-embedded-resource is true without x-kubernetes-preserve-unknown-fields"))
  }
  return errors
}

/** complete.go: what value validations name (properties, items) must exist in the structural part. */
const validateCompleteness = (
  nested: JsonObject,
  structural: JsonObject | undefined,
  sPath: string,
  vPath: string
): ReadonlyArray<FieldError> => {
  if (structural === undefined) return [required(sPath, `because it is defined in ${vPath}`)]
  const errors: Array<FieldError> = [...completenessOfJunctors(nested, structural, sPath, vPath)]
  const items = itemsOf(nested)
  if (items !== undefined) errors.push(...validateCompleteness(items, itemsOf(structural), childPath(sPath, "items"), childPath(vPath, "items")))
  for (const name of propertyNames(nested)) {
    const property = propertyOf(nested, name)
    const sProperty = keyPath(childPath(sPath, "properties"), name)
    const vProperty = keyPath(childPath(vPath, "properties"), name)
    const target = propertyOf(structural, name)
    if (target === undefined) errors.push(required(sProperty, `because it is defined in ${vProperty}`))
    else if (property !== undefined) errors.push(...validateCompleteness(property, target, sProperty, vProperty))
  }
  return errors
}

const completenessOfJunctors = (node: JsonObject, structural: JsonObject, sPath: string, vPath: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const not = own(node, "not")
  if (isJsonObject(not)) errors.push(...validateCompleteness(not, structural, sPath, childPath(vPath, "not")))
  for (const junctor of ["allOf", "anyOf", "oneOf"] as const) {
    schemasAt(node, junctor).forEach((s, i) => errors.push(...validateCompleteness(s, structural, sPath, `${childPath(vPath, junctor)}[${i}]`)))
  }
  return errors
}

/**
 * defaulting/validation.go: every default must be pruned and valid against its node. Defaults inside an object's
 * TypeMeta/ObjectMeta are checked against the surrounding object by the apiserver; the emulator skips them (at the
 * root they are refused by the subset rules anyway).
 */
const validateDefaults = (node: JsonObject, path: string, insideMetaAbove: boolean, isResourceRoot: boolean): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const embedded = isResourceRoot || flag(node, EMBEDDED_RESOURCE)
  const insideMeta = embedded ? false : insideMetaAbove
  const value = defaultOf(node)
  if (value !== undefined && !insideMeta) {
    const defaultPath = childPath(path, "default")
    if (!deepEqual(pruneNode(node, value, embedded).value, value)) errors.push(invalid(defaultPath, value, "must not have unknown fields"))
    else errors.push(...validateValue(node, value, defaultPath))
  }
  const items = itemsOf(node)
  if (items !== undefined) errors.push(...validateDefaults(items, childPath(path, "items"), insideMeta, false))
  for (const name of propertyNames(node)) {
    const property = propertyOf(node, name)
    if (property === undefined) continue
    const meta = embedded && (name === "metadata" || name === "apiVersion" || name === "kind")
    errors.push(...validateDefaults(property, keyPath(childPath(path, "properties"), name), insideMeta || meta, false))
  }
  return errors
}

export const validateStructural = (schema: JsonObject, path: string): ReadonlyArray<FieldError> =>
  [...validateInvariants(schema, "root", path), ...completenessOfJunctors(schema, schema, path, path)]
    .map((error) => ({ error, text: fieldErrorText(error) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map(({ error }) => error)

/** Fields kube-apiserver admits at the root of a schema whose version has the status subresource (Go field names). */
const rootFieldsWithStatus: ReadonlyArray<readonly [string, string]> = [
  ["description", "Description"], ["type", "Type"], ["format", "Format"], ["title", "Title"], ["maximum", "Maximum"],
  ["exclusiveMaximum", "ExclusiveMaximum"], ["minimum", "Minimum"], ["exclusiveMinimum", "ExclusiveMinimum"],
  ["maxLength", "MaxLength"], ["minLength", "MinLength"], ["pattern", "Pattern"], ["maxItems", "MaxItems"],
  ["minItems", "MinItems"], ["uniqueItems", "UniqueItems"], ["multipleOf", "MultipleOf"], ["required", "Required"],
  ["items", "Items"], ["properties", "Properties"], ["externalDocs", "ExternalDocs"], ["example", "Example"],
  [PRESERVE_UNKNOWN, "XPreserveUnknownFields"], ["x-kubernetes-validations", "XValidations"]
]
const isZero = (value: Json | undefined): boolean =>
  value === undefined || value === null || value === false || value === 0 || value === "" ||
  (isJsonArray(value) && value.length === 0) || (isJsonObject(value) && Object.keys(value).length === 0)

const validateRootWithStatus = (schema: JsonObject, path: string): ReadonlyArray<FieldError> => {
  const allowed = new Set(rootFieldsWithStatus.map(([key]) => key))
  for (const [key, value] of Object.entries(schema)) {
    if (isZero(value)) continue
    if (key === "type") {
      if (value !== "object") return [invalid(`${path}.type`, value, `only "object" is allowed as the type at the root of the schema if the status subresource is enabled`)]
      continue
    }
    if (!allowed.has(key)) {
      const names = rootFieldsWithStatus.map(([, go]) => go).join(" ")
      return [invalid(path, schema, `only [${names}] fields are allowed at the root of the schema if the status subresource is enabled`)]
    }
  }
  return []
}

/** One version's (or the shared) `openAPIV3Schema`, at `path`. */
export const validateCrdSchema = (schema: JsonObject, path: string, statusEnabled: boolean): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = statusEnabled ? [...validateRootWithStatus(schema, path)] : []
  if (flag(schema, "nullable")) errors.push(forbidden(`${path}.nullable`, "nullable cannot be true at the root"))
  const structural = validateStructural(schema, path)
  errors.push(...(structural.length > 0 ? structural : validateDefaults(schema, path, false, true)))
  errors.push(...validateOpenApiSubset(schema, path))
  return errors
}
