import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import { deepEqual } from "./ObjectMeta.ts"
import { conformsToFormat, effectiveFormat, isStringFormat } from "./SchemaFormats.ts"
import {
  additionalPropertiesOf, flag, INT_OR_STRING, kindOf, numberAt, own, propertyNames, propertyOf, itemsOf, schemasAt,
  schemaType, stringAt, stringsAt, type ValueKind
} from "./SchemaNode.ts"
import type { FieldError } from "./Status.ts"

/**
 * The value validation kube-apiserver runs on custom resources: kube-openapi pkg/validation/validate
 * (SchemaValidator with its type, schemaProps, string, format, number, slice, common and object validators, in
 * that order), with its errors turned into field errors by apiextensions-apiserver pkg/apiserver/validation
 * kubeOpenAPIResultToFieldErrors. Paths and messages follow kube-openapi: children are `a.b` and `a[0]`, and
 * every message reads `<path> in body ...` (kube-openapi pkg/validation/errors/schema.go).
 */

type IssueKind = "required" | "enum" | "tooLong" | "tooMany" | "type" | "invalid" | "composite"

interface Issue {
  readonly kind: IssueKind
  /** kube-openapi's path: "" at the root, `spec.size`, `.spec` for a required child of the root. */
  readonly name: string
  readonly message: string
  readonly value?: Json
  readonly values?: ReadonlyArray<Json>
  readonly limit?: number
}

/** validate.Result: the issues, and how many checks matched (anyOf/oneOf report the best-matching failure). */
interface Result {
  readonly issues: Array<Issue>
  matches: number
}

const empty = (): Result => ({ issues: [], matches: 0 })
const failed = (issue: Issue): Result => ({ issues: [issue], matches: 0 })
const merge = (into: Result, from: Result): void => {
  into.issues.push(...from.issues)
  into.matches += from.matches
}

/** Go's %v of a float64: shortest form, exponent below 1e-4 and from 1e21, two-digit exponent. */
export const goNumber = (n: number): string => {
  if (n !== 0 && Math.abs(n) < 1e-4) {
    const [mantissa, exponent = "+0"] = n.toExponential().split("e")
    const sign = exponent.startsWith("-") ? "-" : "+"
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`
  }
  return String(n).replace(/e([+-])(\d)$/, "e$10$2")
}

const quote = (s: string): string => JSON.stringify(s)

/** Go's %v of the JSON type name kube-openapi infers; for formats, the Go type's format. */
const formatOfKind: Record<ValueKind, string> = {
  null: "", boolean: "", string: "", integer: "int64", number: "float64", array: "", object: ""
}

const invalidType = (name: string, typeName: string, value: string): Issue => ({
  kind: "type",
  name,
  value,
  message: `${name} in body must be of type ${typeName}: ${quote(value)}`
})

/** The node's declared types; x-kubernetes-int-or-string becomes ["integer","string"] (validation.go). */
const typesOf = (schema: JsonObject): ReadonlyArray<string> => {
  if (flag(schema, INT_OR_STRING)) return ["integer", "string"]
  const type = schemaType(schema)
  return type === "" ? [] : [type]
}

/** kube-openapi typeValidator. */
const checkType = (types: ReadonlyArray<string>, format: string, nullable: boolean, data: Json, name: string): Result => {
  if (data === null) {
    return types.length > 0 && !types.includes("null") && !nullable ? failed(invalidType(name, types.join(","), "null")) : empty()
  }
  const kind = kindOf(data)
  const isIntFloat = kind === "integer" && types.includes("number")
  if (kind !== "string" && kind !== "array" && format !== "" && !(types.includes(kind) || formatOfKind[kind] === format || isIntFloat)) {
    return failed(invalidType(name, format, formatOfKind[kind]))
  }
  if (!types.includes("number") && !types.includes("integer") && format !== "" && (kind === "string" || kind === "array")) {
    return { issues: [], matches: 1 }
  }
  if (!(types.includes(kind) || isIntFloat)) return failed(invalidType(name, types.join(","), kind))
  return { issues: [], matches: 1 }
}

const composite = (name: string, message: string): Issue => ({ kind: "composite", name, message })

/** kube-openapi schemaPropsValidator: anyOf, oneOf, allOf, not (schema_props.go, schema_messages.go). */
const checkJunctors = (schema: JsonObject, data: Json, name: string): Result => {
  const result = empty()
  const anyOf = schemasAt(schema, "anyOf")
  if (anyOf.length > 0) {
    let best: Result | undefined
    let succeeded = false
    for (const sub of anyOf) {
      const r = validateNode(sub, data, name)
      if (r.issues.length === 0) {
        succeeded = true
        best = undefined
        merge(result, r)
        break
      }
      if (best === undefined || r.matches > best.matches) best = r
    }
    if (!succeeded) result.issues.push(composite(name, `${quote(name)} must validate at least one schema (anyOf)`))
    if (best !== undefined) merge(result, best)
  }
  const oneOf = schemasAt(schema, "oneOf")
  if (oneOf.length > 0) {
    let best: Result | undefined
    let firstSuccess: Result | undefined
    let validated = 0
    for (const sub of oneOf) {
      const r = validateNode(sub, data, name)
      if (r.issues.length === 0) {
        validated++
        best = undefined
        firstSuccess ??= r
        continue
      }
      if (validated === 0 && (best === undefined || r.matches > best.matches)) best = r
    }
    if (validated !== 1) {
      const found = validated === 0 ? "Found none valid" : `Found ${validated} valid alternatives`
      result.issues.push(composite(name, `${quote(name)} must validate one and only one schema (oneOf). ${found}`))
      if (best !== undefined) merge(result, best)
    } else if (firstSuccess !== undefined) merge(result, firstSuccess)
  }
  const allOf = schemasAt(schema, "allOf")
  if (allOf.length > 0) {
    let validated = 0
    for (const sub of allOf) {
      const r = validateNode(sub, data, name)
      if (r.issues.length === 0) validated++
      merge(result, r)
    }
    if (validated !== allOf.length) {
      const none = validated === 0 ? ". None validated" : ""
      result.issues.push(composite(name, `${quote(name)} must validate all the schemas (allOf)${none}`))
    }
  }
  const not = own(schema, "not")
  if (isJsonObject(not) && validateNode(not, data, name).issues.length === 0) {
    result.issues.push(composite(name, `${quote(name)} must not validate the schema (not)`))
  }
  result.matches++
  return result
}

const invalid = (name: string, value: Json, message: string): Issue => ({ kind: "invalid", name, value, message })

/**
 * A Go RE2 pattern as a JavaScript RegExp: Unicode mode when the pattern allows it (RE2 matches code points),
 * and a leading `(?i)` turned into the `i` flag. Lookarounds, which RE2 rejects, are not refused here.
 */
export const goRegExp = (pattern: string): RegExp => {
  const caseless = pattern.startsWith("(?i)")
  const source = caseless ? pattern.slice(4) : pattern
  const flags = caseless ? "i" : ""
  try {
    return new RegExp(source, `${flags}u`)
  } catch {
    return new RegExp(source, flags)
  }
}

/** kube-openapi stringValidator: the first failing of maxLength, minLength, pattern. */
const checkString = (schema: JsonObject, data: string, name: string): Result => {
  const length = [...data].length
  const maxLength = numberAt(schema, "maxLength")
  if (maxLength !== undefined && length > maxLength) {
    return failed({ kind: "tooLong", name, limit: maxLength, message: `${name} in body should be at most ${maxLength} chars long` })
  }
  const minLength = numberAt(schema, "minLength")
  if (minLength !== undefined && length < minLength) {
    return failed(invalid(name, data, `${name} in body should be at least ${minLength} chars long`))
  }
  const pattern = stringAt(schema, "pattern")
  if (pattern !== undefined && pattern !== "") {
    let regex: RegExp | undefined
    try {
      regex = goRegExp(pattern)
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e)
      return failed(invalid(name, data, `${name} in body should match '${pattern}, but pattern is invalid: ${why}'`))
    }
    if (!regex.test(data)) return failed(invalid(name, data, `${name} in body should match '${pattern}'`))
  }
  return empty()
}

/** swag.IsFloat64AJSONInteger: integral up to a relative error of 1e-9, truncating toward zero. */
const isJsonInteger = (f: number): boolean => {
  if (!Number.isFinite(f)) return false
  const g = Math.trunc(f)
  if (f === g) return true
  if (g === 0) return false
  return Math.abs(f - g) / (Math.abs(f) + Math.abs(g)) < 1e-9
}

/** kube-openapi numberValidator: multipleOf, minimum, maximum; integers compare against int64(bound). */
const checkNumber = (schema: JsonObject, data: number, name: string): Result => {
  const result = empty()
  const isInt = Number.isInteger(data)
  const bound = (b: number): number => (isInt ? Math.trunc(b) : b)
  const multipleOf = numberAt(schema, "multipleOf")
  if (multipleOf !== undefined) {
    const intFactor = Math.trunc(multipleOf)
    if (multipleOf < 0) {
      result.issues.push(invalid(name, multipleOf, `factor MultipleOf declared for ${name} must be positive: ${goNumber(multipleOf)}`))
    } else if (isInt && intFactor !== 0 ? data % intFactor !== 0 : !isJsonInteger(multipleOf < 1 ? (1 / multipleOf) * data : data / multipleOf)) {
      const factor = isInt && intFactor !== 0 ? intFactor : multipleOf
      result.issues.push(invalid(name, data, `${name} in body should be a multiple of ${goNumber(factor)}`))
    }
  }
  const minimum = numberAt(schema, "minimum")
  if (minimum !== undefined) {
    const exclusive = flag(schema, "exclusiveMinimum")
    const min = bound(minimum)
    if (exclusive ? data <= min : data < min) {
      const text = exclusive ? "greater than" : "greater than or equal to"
      result.issues.push(invalid(name, data, `${name} in body should be ${text} ${goNumber(min)}`))
    }
  }
  const maximum = numberAt(schema, "maximum")
  if (maximum !== undefined) {
    const exclusive = flag(schema, "exclusiveMaximum")
    const max = bound(maximum)
    if (exclusive ? data >= max : data > max) {
      const text = exclusive ? "less than" : "less than or equal to"
      result.issues.push(invalid(name, data, `${name} in body should be ${text} ${goNumber(max)}`))
    }
  }
  result.matches++
  return result
}

/** kube-openapi schemaSliceValidator: items, then minItems, maxItems, uniqueItems. */
const checkArray = (schema: JsonObject, data: ReadonlyArray<Json>, name: string): Result => {
  const result = empty()
  const items = itemsOf(schema)
  if (items !== undefined) data.forEach((item, i) => merge(result, validateNode(items, item, `${name}[${i}]`)))
  const minItems = numberAt(schema, "minItems")
  if (minItems !== undefined && data.length < minItems) {
    result.issues.push(invalid(name, data.length, `${name} in body should have at least ${minItems} items`))
  }
  const maxItems = numberAt(schema, "maxItems")
  if (maxItems !== undefined && data.length > maxItems) {
    result.issues.push({ kind: "tooMany", name, value: data.length, limit: maxItems, message: `${name} in body should have at most ${maxItems} items` })
  }
  if (flag(schema, "uniqueItems") && data.some((v, i) => data.slice(0, i).some((u) => deepEqual(u, v)))) {
    result.issues.push(invalid(name, "", `${name} in body shouldn't contain duplicates`))
  }
  result.matches++
  return result
}

/** kube-openapi basicCommonValidator: enum. A null never matches, even when nullable. */
const checkEnum = (schema: JsonObject, data: Json, name: string): Result => {
  const values = own(schema, "enum")
  if (!isJsonArray(values) || values.length === 0) return empty()
  if (data !== null && values.some((v) => deepEqual(v, data))) return empty()
  return failed({ kind: "enum", name, value: data, values, message: `${name} in body should be one of ${JSON.stringify(values)}` })
}

/** kube-openapi objectValidator: min/maxProperties (which stop here), additionalProperties, properties, required. */
const checkObject = (schema: JsonObject, data: JsonObject, name: string): Result => {
  const keys = Object.keys(data)
  const minProperties = numberAt(schema, "minProperties")
  if (minProperties !== undefined && keys.length < minProperties) {
    return failed(invalid(name, keys.length, `${name} in body should have at least ${minProperties} properties`))
  }
  const maxProperties = numberAt(schema, "maxProperties")
  if (maxProperties !== undefined && keys.length > maxProperties) {
    return failed({ kind: "tooMany", name, value: keys.length, limit: maxProperties, message: `${name} in body should have at most ${maxProperties} properties` })
  }
  const result = empty()
  const additional = additionalPropertiesOf(schema)
  for (const key of keys) {
    if (propertyOf(schema, key) !== undefined || additional === undefined) continue
    if (!additional.allows) result.issues.push(invalid(name, key, `${name}.${key} in body is a forbidden property`))
    else if (additional.schema !== undefined) merge(result, validateNode(additional.schema, data[key] ?? null, `${name}.${key}`))
  }
  for (const property of propertyNames(schema)) {
    const sub = propertyOf(schema, property)
    if (sub !== undefined && Object.hasOwn(data, property)) {
      merge(result, validateNode(sub, data[property] ?? null, name === "" ? property : `${name}.${property}`))
    }
  }
  for (const required of stringsAt(schema, "required")) {
    if (!Object.hasOwn(data, required)) {
      result.issues.push({ kind: "required", name: `${name}.${required}`, message: `${name}.${required} in body is required` })
    }
  }
  return result
}

/** kube-openapi SchemaValidator.Validate for one node. */
const validateNode = (schema: JsonObject, data: Json, name: string): Result => {
  const result = empty()
  const types = typesOf(schema)
  const format = effectiveFormat(types, stringAt(schema, "format") ?? "")
  if (data === null) {
    merge(result, checkType(types, format, flag(schema, "nullable"), data, name))
    merge(result, checkEnum(schema, data, name))
    return result
  }
  const run = (r: Result): void => {
    merge(result, r)
    result.matches++
  }
  if (types.length > 0 || format !== "") run(checkType(types, format, flag(schema, "nullable"), data, name))
  run(checkJunctors(schema, data, name))
  if (typeof data === "string") {
    run(checkString(schema, data, name))
    if (format !== "" && isStringFormat(format)) {
      run(conformsToFormat(format, data) ? empty() : failed(invalidType(name, format, data)))
    }
  }
  if (typeof data === "number") run(checkNumber(schema, data, name))
  if (isJsonArray(data)) run(checkArray(schema, data, name))
  run(checkEnum(schema, data, name))
  if (isJsonObject(data)) run(checkObject(schema, data, name))
  result.matches++
  return result
}

/** apiextensions-apiserver's enum detail: strings as they are, anything else as JSON, each Go-quoted. */
const supportedValues = (values: ReadonlyArray<Json>): string =>
  `supported values: ${values.map((v) => quote(typeof v === "string" ? v : JSON.stringify(v))).join(", ")}`

/**
 * kubeOpenAPIResultToFieldErrors: the field is `prefix` joined with the issue's path (leading dot dropped);
 * with neither, Go prints the nil path as `<nil>`. Junctor failures are not per-field errors and land there.
 */
const toFieldError = (prefix: string, issue: Issue): FieldError => {
  const child = issue.kind === "composite" || issue.name === "." ? "" : issue.name.replace(/^\./, "")
  const joined = prefix === "" ? child : child === "" ? prefix : `${prefix}.${child}`
  const field = joined === "" ? "<nil>" : joined
  const limit = issue.limit ?? -1
  switch (issue.kind) {
    case "required":
      return { type: "FieldValueRequired", field, detail: "" }
    case "enum":
      return { type: "FieldValueNotSupported", field, value: issue.value ?? null, detail: supportedValues(issue.values ?? []) }
    case "tooLong":
      return { type: "FieldValueTooLong", field, detail: `may not be more than ${limit} ${limit === 1 ? "byte" : "bytes"}` }
    case "tooMany":
      return { type: "FieldValueTooMany", field, value: issue.value ?? -1, detail: `must have at most ${limit} ${limit === 1 ? "item" : "items"}` }
    case "type":
      return { type: "FieldValueTypeInvalid", field, value: issue.value ?? "", detail: issue.message }
    case "invalid":
    case "composite":
      return { type: "FieldValueInvalid", field, value: issue.value ?? "", detail: issue.message }
  }
}

/**
 * Validates `value` against a schema node as apiservervalidation.ValidateCustomResource(prefix, value, validator)
 * does: `prefix` is "" for a whole object, or the CRD path of a `default` being checked.
 */
export const validateValue = (schema: JsonObject, value: Json, prefix = ""): ReadonlyArray<FieldError> =>
  validateNode(schema, value, "").issues.map((issue) => toFieldError(prefix, issue))
