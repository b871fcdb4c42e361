import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../Json.ts"
import {
  boolField,
  doubleField,
  int64Field,
  message,
  messageField,
  oneofBool,
  repeatedMessage,
  repeatedString,
  stringField,
  type ProtoField
} from "./Protobuf.ts"

/**
 * A Swagger 2.0 document (JSON) as the protobuf message `openapi.v2.Document` of google/gnostic
 * (openapiv2/OpenAPIv2.proto), which kubectl asks for with
 * `Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf` and has no JSON fallback for.
 * Covers what OpenApiV2.ts emits: swagger, info, paths (operations with query, path and body parameters) and
 * definitions with the Schema keywords kubectl reads; the field numbers below are the .proto's.
 */

const str = (object: JsonObject, key: string): string | undefined => {
  const value = object[key]
  return typeof value === "string" ? value : undefined
}

const num = (object: JsonObject, key: string): number | undefined => {
  const value = object[key]
  return typeof value === "number" ? value : undefined
}

const bool = (object: JsonObject, key: string): boolean | undefined => {
  const value = object[key]
  return typeof value === "boolean" ? value : undefined
}

const strings = (value: Json | undefined): ReadonlyArray<string> =>
  isJsonArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? [value] : []

/** `Any { string yaml = 2; }`: JSON is YAML, and kubectl reads these values with a YAML decoder. */
const any = (value: Json): Uint8Array => message(stringField(2, JSON.stringify(value)))

/** `NamedAny { name = 1; Any value = 2; }` for every `x-` key (the vendor extensions). */
const vendorExtensions = (field: number, object: JsonObject): ReadonlyArray<ProtoField> =>
  repeatedMessage(
    field,
    Object.entries(object)
      .filter(([k]) => k.startsWith("x-"))
      .map(([name, value]) => message(stringField(1, name), messageField(2, any(value))))
  )

/** `NamedSchema { name = 1; Schema value = 2; }` pairs, as Properties and Definitions hold them. */
const namedSchemas = (object: Json | undefined): ReadonlyArray<Uint8Array> =>
  isJsonObject(object)
    ? Object.entries(object).filter((e): e is [string, JsonObject] => isJsonObject(e[1])).map(([name, s]) => message(stringField(1, name), messageField(2, schema(s))))
    : []

const additionalProperties = (value: Json | undefined): Uint8Array | undefined => {
  if (typeof value === "boolean") return message(oneofBool(2, value))
  if (isJsonObject(value)) return message(messageField(1, schema(value)))
  return undefined
}

const items = (value: Json | undefined): Uint8Array | undefined => {
  if (isJsonObject(value)) return message(repeatedMessage(1, [schema(value)]))
  if (isJsonArray(value)) return message(repeatedMessage(1, value.filter(isJsonObject).map(schema)))
  return undefined
}

/** `openapi.v2.Schema`. */
export const schema = (s: JsonObject): Uint8Array => {
  const type = strings(s["type"])
  const defaultValue = s["default"]
  const example = s["example"]
  const enumValues = s["enum"]
  const allOf = s["allOf"]
  return message(
    stringField(1, str(s, "$ref")),
    stringField(2, str(s, "format")),
    stringField(3, str(s, "title")),
    stringField(4, str(s, "description")),
    messageField(5, defaultValue === undefined ? undefined : any(defaultValue)),
    doubleField(6, num(s, "multipleOf")),
    doubleField(7, num(s, "maximum")),
    boolField(8, bool(s, "exclusiveMaximum")),
    doubleField(9, num(s, "minimum")),
    boolField(10, bool(s, "exclusiveMinimum")),
    int64Field(11, num(s, "maxLength")),
    int64Field(12, num(s, "minLength")),
    stringField(13, str(s, "pattern")),
    int64Field(14, num(s, "maxItems")),
    int64Field(15, num(s, "minItems")),
    boolField(16, bool(s, "uniqueItems")),
    int64Field(17, num(s, "maxProperties")),
    int64Field(18, num(s, "minProperties")),
    repeatedString(19, strings(s["required"])),
    repeatedMessage(20, isJsonArray(enumValues) ? enumValues.map(any) : []),
    messageField(21, additionalProperties(s["additionalProperties"])),
    messageField(22, type.length === 0 ? undefined : message(repeatedString(1, type))),
    messageField(23, items(s["items"])),
    repeatedMessage(24, isJsonArray(allOf) ? allOf.filter(isJsonObject).map(schema) : []),
    messageField(25, s["properties"] === undefined ? undefined : message(repeatedMessage(1, namedSchemas(s["properties"])))),
    stringField(26, str(s, "discriminator")),
    boolField(27, bool(s, "readOnly")),
    messageField(30, example === undefined ? undefined : any(example)),
    vendorExtensions(31, s)
  )
}

/**
 * `ParametersItem { Parameter parameter = 1; JsonReference json_reference = 2; }`; a Parameter is a body one (1) or
 * a non-body one (2), itself a header (1), query (3) or path (4) sub-schema with their own numbering.
 */
const parameter = (p: JsonObject): Uint8Array => {
  const ref = str(p, "$ref")
  if (ref !== undefined) return message(messageField(2, message(stringField(1, ref))))
  const where = str(p, "in")
  if (where === "body") {
    const body = message(
      stringField(1, str(p, "description")),
      stringField(2, str(p, "name")),
      stringField(3, where),
      boolField(4, bool(p, "required")),
      messageField(5, isJsonObject(p["schema"]) ? schema(p["schema"]) : undefined)
    )
    return message(messageField(1, message(messageField(1, body))))
  }
  const common = [boolField(1, bool(p, "required")), stringField(2, where), stringField(3, str(p, "description")), stringField(4, str(p, "name"))]
  const subSchema = where === "path"
    ? messageField(4, message(...common, stringField(5, str(p, "type")), stringField(6, str(p, "format")), boolField(19, bool(p, "uniqueItems"))))
    : messageField(where === "header" ? 1 : 3, message(...common, stringField(6, str(p, "type")), stringField(7, str(p, "format")), boolField(20, bool(p, "uniqueItems"))))
  return message(messageField(1, message(messageField(2, message(subSchema)))))
}

const parameters = (value: Json | undefined): ReadonlyArray<Uint8Array> => (isJsonArray(value) ? value.filter(isJsonObject).map(parameter) : [])

/** `openapi.v2.Operation`. */
const operation = (op: JsonObject): Uint8Array =>
  message(
    repeatedString(1, strings(op["tags"])),
    stringField(2, str(op, "summary")),
    stringField(3, str(op, "description")),
    stringField(5, str(op, "operationId")),
    repeatedString(6, strings(op["produces"])),
    repeatedString(7, strings(op["consumes"])),
    repeatedMessage(8, parameters(op["parameters"])),
    vendorExtensions(13, op)
  )

const PATH_ITEM_FIELDS: ReadonlyArray<readonly [string, number]> = [["get", 2], ["put", 3], ["post", 4], ["delete", 5], ["options", 6], ["head", 7], ["patch", 8]]

/** `openapi.v2.PathItem`: one field per HTTP method, then the parameters shared by all of them (9). */
const pathItem = (item: JsonObject): Uint8Array =>
  message(
    ...PATH_ITEM_FIELDS.map(([method, field]) => {
      const op = item[method]
      return messageField(field, isJsonObject(op) ? operation(op) : undefined)
    }),
    repeatedMessage(9, parameters(item["parameters"])),
    vendorExtensions(10, item)
  )

/** `Paths { repeated NamedPathItem path = 2; }`. */
const paths = (value: Json | undefined): Uint8Array =>
  message(
    repeatedMessage(
      2,
      Object.entries(isJsonObject(value) ? value : {})
        .filter((e): e is [string, JsonObject] => isJsonObject(e[1]))
        .map(([name, item]) => message(stringField(1, name), messageField(2, pathItem(item))))
    )
  )

/** `openapi.v2.Document`: swagger = 1, info = 2 (title = 1, version = 2, description = 3), paths = 8, definitions = 9. */
export const encodeOpenApiV2 = (document: JsonObject): Uint8Array => {
  const info = isJsonObject(document["info"]) ? document["info"] : {}
  return message(
    stringField(1, str(document, "swagger")),
    messageField(2, message(stringField(1, str(info, "title")), stringField(2, str(info, "version")), stringField(3, str(info, "description")))),
    messageField(8, paths(document["paths"])),
    messageField(9, message(repeatedMessage(1, namedSchemas(document["definitions"])))),
    vendorExtensions(16, document)
  )
}
