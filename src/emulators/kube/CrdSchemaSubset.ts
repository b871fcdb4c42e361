import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import {
  additionalPropertiesOf, childPath, defaultOf, EMBEDDED_RESOURCE, flag, keyPath, LIST_MAP_KEYS, LIST_TYPE, own,
  PRESERVE_UNKNOWN, propertyNames, propertyOf, schemasAt, schemaType, stringAt, stringsAt
} from "./SchemaNode.ts"
import type { FieldError } from "./Status.ts"

/**
 * The OpenAPI v3 subset a CRD schema may use (apiextensions-apiserver pkg/apis/apiextensions/validation
 * ValidateCustomResourceDefinitionOpenAPISchema, specStandardValidatorV3.validate, validateMapListKeysMapSet).
 * CEL rules in x-kubernetes-validations are only checked for shape, not compiled.
 */

const openApiV3Types = ["array", "boolean", "integer", "number", "object", "string"]
const META_FIELDS = new Set(["metadata", "kind", "apiVersion"])

interface Context {
  readonly allowDefaults: boolean
  readonly disallowDefaultsReason: string
  readonly insideResourceMeta: boolean
}

const required = (field: string, detail: string): FieldError => ({ type: "FieldValueRequired", field, detail })
const forbidden = (field: string, detail: string): FieldError => ({ type: "FieldValueForbidden", field, detail })
const invalid = (field: string, value: Json, detail: string): FieldError => ({ type: "FieldValueInvalid", field, value, detail })
const notSupported = (field: string, value: Json, supported: ReadonlyArray<string>): FieldError => ({
  type: "FieldValueNotSupported",
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`
})

const nonEmptyObject = (value: Json | undefined): boolean => isJsonObject(value) && Object.keys(value).length > 0

/** specStandardValidatorV3.validate: keywords outside the subset. */
const validateKeywords = (schema: JsonObject, path: string, ctx: Context): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const at = (key: string): string => childPath(path, key)
  const type = schemaType(schema)
  if (type !== "" && !openApiV3Types.includes(type)) errors.push(notSupported(at("type"), type, openApiV3Types))
  if (defaultOf(schema) !== undefined && !ctx.allowDefaults) {
    errors.push(forbidden(at("default"), ctx.disallowDefaultsReason === "" ? "must not be set" : `must not be set ${ctx.disallowDefaultsReason}`))
  }
  if ((stringAt(schema, "id") ?? "") !== "") errors.push(forbidden(at("id"), "id is not supported"))
  if (own(schema, "additionalItems") !== undefined) errors.push(forbidden(at("additionalItems"), "additionalItems is not supported"))
  if (nonEmptyObject(own(schema, "patternProperties"))) errors.push(forbidden(at("patternProperties"), "patternProperties is not supported"))
  if (nonEmptyObject(own(schema, "definitions"))) errors.push(forbidden(at("definitions"), "definitions is not supported"))
  if (own(schema, "dependencies") !== undefined) errors.push(forbidden(at("dependencies"), "dependencies is not supported"))
  if (own(schema, "$ref") !== undefined) errors.push(forbidden(at("$ref"), "$ref is not supported"))
  if (type === "null") errors.push(forbidden(at("type"), "type cannot be set to null, use nullable as an alternative"))
  const items = own(schema, "items")
  if (isJsonArray(items) && items.length > 0) errors.push(forbidden(at("items"), "items must be a schema object and not an array"))
  if (ctx.insideResourceMeta && flag(schema, EMBEDDED_RESOURCE)) {
    errors.push(forbidden(at(EMBEDDED_RESOURCE), "must not be used inside of resource meta"))
  }
  return errors
}

/** The x-kubernetes-list-type / map-type / list-map-keys combinations and validateMapListKeysMapSet. */
const validateListExtensions = (schema: JsonObject, path: string): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = []
  const at = (key: string): string => childPath(path, key)
  const type = schemaType(schema)
  const mapType = own(schema, "x-kubernetes-map-type")
  if (mapType !== undefined && mapType !== null && type !== "object") {
    const detail = "must be object if x-kubernetes-map-type is specified"
    errors.push(type === "" ? required(at("type"), detail) : invalid(at("type"), type, detail))
  }
  if (typeof mapType === "string" && mapType !== "atomic" && mapType !== "granular") errors.push(notSupported(at("x-kubernetes-map-type"), mapType, ["atomic", "granular"]))
  const listType = stringAt(schema, LIST_TYPE)
  const items = own(schema, "items")
  const itemSchema = isJsonObject(items) ? items : undefined
  if (listType !== undefined && type !== "array") {
    const detail = "must be array if x-kubernetes-list-type is specified"
    errors.push(type === "" ? required(at("type"), detail) : invalid(at("type"), type, detail))
  } else if (listType === "set" && itemSchema !== undefined) {
    const detail = "must be atomic as item of a list with x-kubernetes-list-type=set"
    const itemListType = stringAt(itemSchema, LIST_TYPE)
    const itemMapType = stringAt(itemSchema, "x-kubernetes-map-type")
    if (schemaType(itemSchema) === "array" && itemListType !== undefined && itemListType !== "atomic") {
      errors.push(invalid(childPath(at("items"), LIST_TYPE), itemListType, detail))
    } else if (schemaType(itemSchema) === "object" && itemMapType !== "atomic") {
      errors.push(invalid(childPath(at("items"), "x-kubernetes-map-type"), itemListType ?? null, detail))
    }
  }
  if (listType !== undefined && !["atomic", "set", "map"].includes(listType)) errors.push(notSupported(at(LIST_TYPE), listType, ["atomic", "set", "map"]))
  const keys = stringsAt(schema, LIST_MAP_KEYS)
  if (keys.length > 0) {
    const detail = "must be map if x-kubernetes-list-map-keys is non-empty"
    if (listType === undefined) errors.push(required(at(LIST_TYPE), detail))
    else if (listType !== "map") errors.push(invalid(at(LIST_TYPE), listType, detail))
  }
  if (listType === "map") {
    if (keys.length === 0) errors.push(required(at(LIST_MAP_KEYS), "must not be empty if x-kubernetes-list-type is map"))
    if (items === undefined) errors.push(required(at("items"), "must have a schema if x-kubernetes-list-type is map"))
    if (isJsonArray(items)) errors.push(invalid(at("items"), items, "must only have a single schema if x-kubernetes-list-type is map"))
    if (itemSchema !== undefined && schemaType(itemSchema) !== "object") {
      errors.push(invalid(childPath(at("items"), "type"), schemaType(itemSchema), "must be object if parent array's x-kubernetes-list-type is map"))
    }
    if (itemSchema !== undefined && schemaType(itemSchema) === "object") {
      const seen = new Set<string>()
      for (const key of keys) {
        const property = propertyOf(itemSchema, key)
        if (property === undefined) errors.push(invalid(at(LIST_MAP_KEYS), keys, "entries must all be names of item properties"))
        else if (schemaType(property) === "array" || schemaType(property) === "object") {
          errors.push(invalid(childPath(keyPath(childPath(at("items"), "properties"), key), "type"), "object", "must be a scalar type if parent array's x-kubernetes-list-type is map"))
        }
        if (seen.has(key)) errors.push(invalid(at(LIST_MAP_KEYS), keys, "must not contain duplicate entries"))
        seen.add(key)
      }
    }
  }
  if (itemSchema !== undefined && (listType === "set" || listType === "map")) {
    if (flag(itemSchema, "nullable")) errors.push(forbidden(childPath(at("items"), "nullable"), `cannot be nullable when x-kubernetes-list-type is ${listType}`))
    if (listType === "map") {
      const requiredKeys = new Set(stringsAt(itemSchema, "required"))
      for (const key of keys) {
        const property = propertyOf(itemSchema, key)
        if (property === undefined) continue
        const propertyPath = keyPath(childPath(at("items"), "properties"), key)
        if (!requiredKeys.has(key) && defaultOf(property) === undefined) {
          errors.push(required(childPath(propertyPath, "default"), "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"))
        }
        if (flag(property, "nullable")) errors.push(forbidden(childPath(propertyPath, "nullable"), "this property is in x-kubernetes-list-map-keys, so it cannot be nullable"))
      }
    }
  }
  return errors
}

/** x-kubernetes-validations, shape only. */
const validateRules = (schema: JsonObject, path: string): ReadonlyArray<FieldError> => {
  const rules = own(schema, "x-kubernetes-validations")
  if (!isJsonArray(rules)) return []
  const errors: Array<FieldError> = []
  rules.forEach((rule, i) => {
    if (!isJsonObject(rule)) return
    const at = (key: string): string => childPath(`${childPath(path, "x-kubernetes-validations")}[${i}]`, key)
    const text = (stringAt(rule, "rule") ?? "").trim()
    const message = stringAt(rule, "message") ?? ""
    if (text === "") errors.push(required(at("rule"), "rule is not specified"))
    else if (message.length > 0 && message.trim() === "") errors.push(invalid(at("message"), message, "message must be non-empty if specified"))
    else if (/[\n\r]/.test(message.trim())) errors.push(invalid(at("message"), message, "message must not contain line breaks"))
    else if (/[\n\r]/.test(text) && message.trim() === "") errors.push(required(at("message"), "message must be specified if rule contains line breaks"))
  })
  return errors
}

const walk = (schema: JsonObject, path: string, ctx: Context, isRoot: boolean): ReadonlyArray<FieldError> => {
  const errors: Array<FieldError> = [...validateKeywords(schema, path, ctx)]
  const at = (key: string): string => childPath(path, key)
  if (flag(schema, "uniqueItems")) errors.push(forbidden(at("uniqueItems"), "uniqueItems cannot be set to true since the runtime complexity becomes quadratic"))
  const additional = additionalPropertiesOf(schema)
  const names = propertyNames(schema)
  if (additional !== undefined) {
    if (names.length > 0 && (!additional.allows || additional.schema !== undefined)) {
      errors.push(forbidden(at("additionalProperties"), "additionalProperties and properties are mutual exclusive"))
    }
    const sub = ctx.insideResourceMeta ? { ...ctx, allowDefaults: false, disallowDefaultsReason: "inside additionalProperties applying to object metadata" } : ctx
    if (additional.schema !== undefined) errors.push(...walk(additional.schema, at("additionalProperties"), sub, false))
  }
  for (const name of names) {
    const property = propertyOf(schema, name)
    if (property === undefined) continue
    let sub = ctx
    if ((isRoot || flag(schema, EMBEDDED_RESOURCE)) && META_FIELDS.has(name)) {
      sub = { ...sub, insideResourceMeta: true }
      if (isRoot) sub = { ...sub, allowDefaults: false, disallowDefaultsReason: `in top-level ${name}` }
    }
    errors.push(...walk(property, keyPath(at("properties"), name), sub, false))
  }
  const not = own(schema, "not")
  if (isJsonObject(not)) errors.push(...walk(not, at("not"), ctx, false))
  for (const junctor of ["allOf", "oneOf", "anyOf"] as const) {
    schemasAt(schema, junctor).forEach((s, i) => errors.push(...walk(s, `${at(junctor)}[${i}]`, ctx, false)))
  }
  const definitions = own(schema, "definitions")
  if (isJsonObject(definitions)) {
    for (const [name, s] of Object.entries(definitions)) if (isJsonObject(s)) errors.push(...walk(s, keyPath(at("definitions"), name), ctx, false))
  }
  const items = own(schema, "items")
  if (isJsonObject(items)) errors.push(...walk(items, at("items"), ctx, false))
  if (isJsonArray(items)) items.forEach((s, i) => isJsonObject(s) && errors.push(...walk(s, `${at("items")}[${i}]`, ctx, false)))
  if (own(schema, PRESERVE_UNKNOWN) === false) errors.push(invalid(at(PRESERVE_UNKNOWN), false, "must be true or undefined"))
  errors.push(...validateListExtensions(schema, path), ...validateRules(schema, path))
  return errors
}

export const validateOpenApiSubset = (schema: JsonObject, path: string): ReadonlyArray<FieldError> =>
  walk(schema, path, { allowDefaults: true, disallowDefaultsReason: "", insideResourceMeta: false }, true)
