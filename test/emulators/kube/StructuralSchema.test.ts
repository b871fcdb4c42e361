import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { isJsonObject, type Json, type JsonObject } from "../../../src/emulators/Json.ts"
import { deepEqual } from "../../../src/emulators/kube/ObjectMeta.ts"
import { fieldErrorText, invalid } from "../../../src/emulators/kube/Status.ts"
import {
  applySchemaDefaults, dropNonNullableNulls, prepareCustomObject, pruneUnknownFields, strictDecodingError,
  unknownFieldWarning, validateAgainstSchema
} from "../../../src/emulators/kube/StructuralSchema.ts"
import { readReference } from "../../fixtures/Reference.ts"

const reference = (file: string): JsonObject => {
  const parsed: unknown = parseYaml(readReference(`oda/${file}`))
  if (!isJsonObject(parsed)) throw new Error(`${file} is not an object`)
  return parsed
}
const odaSchema = (version: string): JsonObject => {
  const versions = reference("exposedapi-crd.yaml")["spec"]
  const found = isJsonObject(versions) && Array.isArray(versions["versions"])
    ? versions["versions"].find((v: Json) => isJsonObject(v) && v["name"] === version)
    : undefined
  const schema = isJsonObject(found) && isJsonObject(found["schema"]) ? found["schema"]["openAPIV3Schema"] : undefined
  if (!isJsonObject(schema)) throw new Error(`no schema for ${version}`)
  return schema
}
const odaExample = (): JsonObject => reference("exposedapi-example.yaml")

/** A root schema whose `spec` has the given properties. */
const specWith = (properties: JsonObject, extra: JsonObject = {}): JsonObject => ({
  type: "object",
  properties: { spec: { type: "object", properties, ...extra } }
})
const messages = (schema: JsonObject, object: Json): ReadonlyArray<string> => validateAgainstSchema(schema, object).map(fieldErrorText)

const deepFreeze = <T>(value: T): T => {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

describe("validateAgainstSchema: one keyword at a time, with kube-apiserver's messages", () => {
  const cases: ReadonlyArray<readonly [string, JsonObject, Json, ReadonlyArray<string>]> = [
    ["type integer", { x: { type: "integer" } }, "string", ['spec.x: Invalid value: "string": spec.x in body must be of type integer: "string"']],
    ["integer rejects 1.5", { x: { type: "integer" } }, 1.5, ['spec.x: Invalid value: "number": spec.x in body must be of type integer: "number"']],
    ["number takes an integer", { x: { type: "number" } }, 3, []],
    ["boolean", { x: { type: "boolean" } }, "true", ['spec.x: Invalid value: "string": spec.x in body must be of type boolean: "string"']],
    ["object", { x: { type: "object" } }, [], ['spec.x: Invalid value: "array": spec.x in body must be of type object: "array"']],
    ["array", { x: { type: "array", items: { type: "string" } } }, {}, ['spec.x: Invalid value: "object": spec.x in body must be of type array: "object"']],
    ["string", { x: { type: "string" } }, 7, ['spec.x: Invalid value: "integer": spec.x in body must be of type string: "integer"']],
    ["null when not nullable", { x: { type: "string" } }, null, ['spec.x: Invalid value: "null": spec.x in body must be of type string: "null"']],
    ["null when nullable", { x: { type: "string", nullable: true } }, null, []],
    ["int-or-string takes 5", { x: { "x-kubernetes-int-or-string": true } }, 5, []],
    ["int-or-string takes '5'", { x: { "x-kubernetes-int-or-string": true } }, "5", []],
    ["int-or-string rejects true", { x: { "x-kubernetes-int-or-string": true } }, true, ['spec.x: Invalid value: "boolean": spec.x in body must be of type integer,string: "boolean"']],
    ["enum of strings", { x: { type: "string", enum: ["a", "b"] } }, "c", ['spec.x: Unsupported value: "c": supported values: "a", "b"']],
    ["enum of numbers", { x: { type: "integer", enum: [1, 2] } }, 3, ['spec.x: Unsupported value: 3: supported values: "1", "2"']],
    ["minimum", { x: { type: "integer", minimum: 1 } }, 0, ["spec.x: Invalid value: 0: spec.x in body should be greater than or equal to 1"]],
    ["exclusiveMinimum", { x: { type: "integer", minimum: 1, exclusiveMinimum: true } }, 1, ["spec.x: Invalid value: 1: spec.x in body should be greater than 1"]],
    ["maximum", { x: { type: "number", maximum: 10 } }, 10.5, ["spec.x: Invalid value: 10.5: spec.x in body should be less than or equal to 10"]],
    ["exclusiveMaximum", { x: { type: "integer", maximum: 10, exclusiveMaximum: true } }, 10, ["spec.x: Invalid value: 10: spec.x in body should be less than 10"]],
    ["multipleOf", { x: { type: "integer", multipleOf: 3 } }, 4, ["spec.x: Invalid value: 4: spec.x in body should be a multiple of 3"]],
    ["multipleOf a fraction", { x: { type: "number", multipleOf: 0.1 } }, 0.3, []],
    ["minLength", { x: { type: "string", minLength: 3 } }, "ab", ['spec.x: Invalid value: "ab": spec.x in body should be at least 3 chars long']],
    ["maxLength", { x: { type: "string", maxLength: 3 } }, "abcd", ["spec.x: Too long: may not be more than 3 bytes"]],
    ["maxLength counts characters", { x: { type: "string", maxLength: 3 } }, "äöü", []],
    ["pattern", { x: { type: "string", pattern: "^[a-z]+$" } }, "B", [`spec.x: Invalid value: "B": spec.x in body should match '^[a-z]+$'`]],
    ["minItems", { x: { type: "array", items: { type: "string" }, minItems: 1 } }, [], ["spec.x: Invalid value: 0: spec.x in body should have at least 1 items"]],
    ["maxItems", { x: { type: "array", items: { type: "integer" }, maxItems: 2 } }, [1, 2, 3], ["spec.x: Too many: 3: must have at most 2 items"]],
    ["uniqueItems", { x: { type: "array", items: { type: "integer" }, uniqueItems: true } }, [1, 1], [`spec.x: Invalid value: "": spec.x in body shouldn't contain duplicates`]],
    ["minProperties", { x: { type: "object", minProperties: 2 } }, { a: 1 }, ["spec.x: Invalid value: 1: spec.x in body should have at least 2 properties"]],
    ["maxProperties", { x: { type: "object", maxProperties: 1 } }, { a: 1, b: 2 }, ["spec.x: Too many: 2: must have at most 1 item"]],
    ["additionalProperties schema", { x: { type: "object", additionalProperties: { type: "string" } } }, { a: 1 }, ['spec.x.a: Invalid value: "integer": spec.x.a in body must be of type string: "integer"']],
    ["additionalProperties false", { x: { type: "object", additionalProperties: false } }, { a: 1 }, ['spec.x: Invalid value: "a": spec.x.a in body is a forbidden property']],
    ["nested required", { x: { type: "object", required: ["name"], properties: { name: { type: "string" } } } }, {}, ["spec.x.name: Required value"]],
    ["items", { x: { type: "array", items: { type: "object", properties: { port: { type: "integer" } } } } }, [{ port: 80 }, { port: "http" }], ['spec.x[1].port: Invalid value: "string": spec.x[1].port in body must be of type integer: "string"']],
    ["anyOf with the best failure", { x: { type: "object", properties: { a: { type: "string" }, b: { type: "string" } }, anyOf: [{ required: ["a"] }, { required: ["b"] }] } }, {}, [
      '<nil>: Invalid value: "": "spec.x" must validate at least one schema (anyOf)',
      "spec.x.a: Required value"
    ]],
    ["oneOf with none valid", { x: { type: "integer", oneOf: [{ minimum: 5 }, { maximum: 1 }] } }, 3, [
      '<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found none valid',
      "spec.x: Invalid value: 3: spec.x in body should be greater than or equal to 5"
    ]],
    ["oneOf with two valid", { x: { type: "integer", oneOf: [{ minimum: 1 }, { maximum: 5 }] } }, 3, [
      '<nil>: Invalid value: "": "spec.x" must validate one and only one schema (oneOf). Found 2 valid alternatives'
    ]],
    ["allOf", { x: { type: "integer", allOf: [{ minimum: 5 }, { maximum: 9 }] } }, 3, [
      "spec.x: Invalid value: 3: spec.x in body should be greater than or equal to 5",
      '<nil>: Invalid value: "": "spec.x" must validate all the schemas (allOf)'
    ]],
    ["not", { x: { type: "string", not: { enum: ["forbidden"] } } }, "forbidden", ['<nil>: Invalid value: "": "spec.x" must not validate the schema (not)']],
    ["format uuid", { x: { type: "string", format: "uuid" } }, "nope", ['spec.x: Invalid value: "nope": spec.x in body must be of type uuid: "nope"']],
    ["format date-time", { x: { type: "string", format: "date-time" } }, "2024-13-01T00:00:00Z", ['spec.x: Invalid value: "2024-13-01T00:00:00Z": spec.x in body must be of type date-time: "2024-13-01T00:00:00Z"']],
    ["format date-time ok", { x: { type: "string", format: "date-time" } }, "2024-02-29T23:59:59.5+01:00", []],
    ["format date", { x: { type: "string", format: "date" } }, "2023-02-29", ['spec.x: Invalid value: "2023-02-29": spec.x in body must be of type date: "2023-02-29"']],
    ["format ipv4", { x: { type: "string", format: "ipv4" } }, "10.0.0.256", ['spec.x: Invalid value: "10.0.0.256": spec.x in body must be of type ipv4: "10.0.0.256"']],
    ["format ipv6", { x: { type: "string", format: "ipv6" } }, "fe80::1", []],
    ["format cidr", { x: { type: "string", format: "cidr" } }, "10.0.0.0/33", ['spec.x: Invalid value: "10.0.0.0/33": spec.x in body must be of type cidr: "10.0.0.0/33"']],
    ["format mac", { x: { type: "string", format: "mac" } }, "00:1A:2b:3c:4d:5e", []],
    ["format email", { x: { type: "string", format: "email" } }, "not-an-email", ['spec.x: Invalid value: "not-an-email": spec.x in body must be of type email: "not-an-email"']],
    ["format hostname", { x: { type: "string", format: "hostname" } }, "-bad-.example", ['spec.x: Invalid value: "-bad-.example": spec.x in body must be of type hostname: "-bad-.example"']],
    ["format uri", { x: { type: "string", format: "uri" } }, "relative/path", ['spec.x: Invalid value: "relative/path": spec.x in body must be of type uri: "relative/path"']],
    ["format duration", { x: { type: "string", format: "duration" } }, "1h30m", []],
    ["format byte", { x: { type: "string", format: "byte" } }, "not base64!", ['spec.x: Invalid value: "not base64!": spec.x in body must be of type byte: "not base64!"']],
    ["int32 is not range-checked", { x: { type: "integer", format: "int32" } }, 2 ** 40, []],
    ["an unknown format (url) is ignored", { x: { type: "string", format: "url" } }, "::not a url::", []],
    ["a string format on a number reports the Go type", { x: { type: "string", format: "uuid" } }, 5, ['spec.x: Invalid value: "int64": spec.x in body must be of type uuid: "int64"']]
  ]
  it.each(cases)("%s", (_name, properties, value, expected) => {
    expect(messages(specWith(properties), { spec: { x: value } })).toEqual(expected)
  })

  it("reports a missing required field at the root and validates root metadata only as the schema constrains it", () => {
    const schema: JsonObject = {
      type: "object",
      required: ["spec"],
      properties: { metadata: { type: "object", properties: { name: { type: "string", maxLength: 5 } } }, spec: { type: "object" } }
    }
    expect(messages(schema, { metadata: { name: "toolong", labels: { "bad key!": "x" } } })).toEqual([
      "metadata.name: Too long: may not be more than 5 bytes",
      "spec: Required value"
    ])
    expect(messages({ type: "object", properties: { spec: { type: "object" } } }, { metadata: { name: "Not_A_Valid_Name" } })).toEqual([])
  })

  it("finds duplicates in list-type set and map lists, and ratchets on update", () => {
    const schema = specWith({
      tags: { type: "array", "x-kubernetes-list-type": "set", items: { type: "string" } },
      ports: {
        type: "array",
        "x-kubernetes-list-type": "map",
        "x-kubernetes-list-map-keys": ["port", "protocol"],
        items: { type: "object", required: ["port"], properties: { port: { type: "integer" }, protocol: { type: "string" } } }
      }
    })
    const object = { spec: { tags: ["a", "b", "a", "a"], ports: [{ port: 80, protocol: "TCP" }, { port: 80 }, { protocol: "TCP", port: 80 }] } }
    expect(validateAgainstSchema(schema, object)).toEqual([
      { type: "FieldValueDuplicate", field: "spec.tags[2]", value: "a" },
      { type: "FieldValueDuplicate", field: "spec.ports[2]", value: { port: 80, protocol: "TCP" } }
    ])
    expect(validateAgainstSchema(schema, object, { old: object })).toEqual([])
  })

  it("requires apiVersion and kind of embedded resources and checks their metadata", () => {
    const schema = specWith({
      template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true }
    })
    expect(messages(schema, { spec: { template: { apiVersion: "v1", metadata: { name: "a/b" } } } })).toEqual([
      "spec.template.kind: Required value",
      "spec.template.metadata.name: Invalid value: \"a/b\": may not contain '/'"
    ])
    expect(messages(schema, { spec: { template: { apiVersion: "v1", kind: "Pod", metadata: { name: "ok" } } } })).toEqual([])
  })

  it("accepts the ODA example against the v1 schema and reports what a broken one lacks", () => {
    const schema = odaSchema("v1")
    const example = odaExample()
    expect(validateAgainstSchema(schema, example)).toEqual([])
    const spec = example["spec"]
    if (!isJsonObject(spec)) throw new Error("example without spec")
    const { name: _name, ...withoutName } = spec
    const broken = { ...example, spec: { ...withoutName, port: "8080", apiType: "graphql" } }
    const errors = validateAgainstSchema(schema, broken)
    expect(errors.map(fieldErrorText)).toEqual([
      'spec.apiType: Unsupported value: "graphql": supported values: "openapi", "prometheus", "openmetrics", "mcp"',
      'spec.port: Invalid value: "string": spec.port in body must be of type integer: "string"',
      "spec.name: Required value"
    ])
    const status = invalid({ group: "oda.tmforum.org", kind: "ExposedAPI" }, "r1", errors.slice(1, 2)).status
    expect(status.message).toBe('ExposedAPI.oda.tmforum.org "r1" is invalid: spec.port: Invalid value: "string": spec.port in body must be of type integer: "string"')
    expect(status.details?.causes).toEqual([
      { reason: "FieldValueTypeInvalid", message: 'Invalid value: "string": spec.port in body must be of type integer: "string"', field: "spec.port" }
    ])
  })
})

describe("pruneUnknownFields", () => {
  const schema: JsonObject = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: {
          known: { type: "string" },
          items: { type: "array", items: { type: "object", properties: { a: { type: "string" } } } },
          labels: { type: "object", additionalProperties: { type: "string" } },
          free: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { strict: { type: "object", properties: { a: { type: "integer" } } } } },
          template: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: { type: "object" } } }
        }
      }
    }
  }

  it("drops unknown fields, keeps apiVersion/kind/metadata at the root and in embedded resources, and lists sorted paths", () => {
    const object = deepFreeze({
      apiVersion: "example.com/v1",
      kind: "Foo",
      metadata: { name: "a", anything: true },
      extra: 1,
      spec: {
        known: "k",
        unknown: { deep: 1 },
        items: [{ a: "x", b: "y" }, { c: 1 }],
        labels: { x: "y" },
        free: { anything: { goes: true }, strict: { a: 1, z: 2 } },
        template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { x: 1 }, status: {} }
      }
    })
    const { value, pruned } = pruneUnknownFields(schema, object)
    expect(pruned).toEqual([
      "extra",
      "spec.free.strict.z",
      "spec.items[0].b",
      "spec.items[1].c",
      "spec.template.spec.x",
      "spec.template.status",
      "spec.unknown"
    ])
    expect(value).toEqual({
      apiVersion: "example.com/v1",
      kind: "Foo",
      metadata: { name: "a", anything: true },
      spec: {
        known: "k",
        items: [{ a: "x" }, {}],
        labels: { x: "y" },
        free: { anything: { goes: true }, strict: { a: 1 } },
        template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: {} }
      }
    })
  })

  it("keeps unknown spec fields of the ODA CRD (x-kubernetes-preserve-unknown-fields) but prunes unknown root fields", () => {
    const example = odaExample()
    const spec = example["spec"]
    const { value, pruned } = pruneUnknownFields(odaSchema("v1"), { ...example, rogue: true, spec: { ...(isJsonObject(spec) ? spec : {}), vendorExtension: { a: 1 } } })
    expect(pruned).toEqual(["rogue"])
    expect(isJsonObject(value) && isJsonObject(value["spec"]) ? value["spec"]["vendorExtension"] : undefined).toEqual({ a: 1 })
  })

  it("words warnings and the Strict error as the apiserver does", () => {
    expect(unknownFieldWarning("spec.foo")).toBe('unknown field "spec.foo"')
    const error = strictDecodingError("ExposedAPI", "v1", ["spec.bar", "spec.foo"])
    expect(error.status.code).toBe(400)
    expect(error.status.reason).toBe("BadRequest")
    expect(error.status.message).toBe(
      'ExposedAPI in version "v1" cannot be handled as a ExposedAPI: strict decoding error: unknown field "spec.bar", unknown field "spec.foo"'
    )
  })

  it("drops non-nullable nulls that have no default, so required reports them", () => {
    const nulls = specWith({ a: { type: "string" }, b: { type: "string", nullable: true }, c: { type: "string", default: "x" } }, { required: ["a"] })
    const cleaned = dropNonNullableNulls(nulls, { spec: { a: null, b: null, c: null, other: null } })
    expect(cleaned).toEqual({ spec: { b: null, c: null, other: null } })
    expect(messages(nulls, applySchemaDefaults(nulls, cleaned))).toEqual(["spec.a: Required value"])
  })
})

describe("applySchemaDefaults", () => {
  const schema: JsonObject = specWith({
    replicas: { type: "integer", default: 1 },
    strategy: { type: "object", default: {}, properties: { kind: { type: "string", default: "Rolling" } } },
    ports: { type: "array", items: { type: "object", properties: { protocol: { type: "string", default: "TCP" } } } },
    byName: { type: "object", additionalProperties: { type: "object", properties: { weight: { type: "integer", default: 10 } } } },
    optional: { type: "object", nullable: true, properties: { inner: { type: "string", default: "no" } } },
    notNullable: { type: "string", default: "filled" }
  })

  it("fills absent fields, defaults inside defaults, array items and map values, and non-nullable nulls", () => {
    const object = deepFreeze({ spec: { ports: [{}, { protocol: "UDP" }], byName: { a: {} }, optional: null, notNullable: null } })
    expect(applySchemaDefaults(schema, object)).toEqual({
      spec: {
        replicas: 1,
        strategy: { kind: "Rolling" },
        ports: [{ protocol: "TCP" }, { protocol: "UDP" }],
        byName: { a: { weight: 10 } },
        optional: null,
        notNullable: "filled"
      }
    })
  })

  it("copies default values instead of sharing them with the schema", () => {
    const defaulted = applySchemaDefaults(schema, { spec: {} })
    const strategy = isJsonObject(defaulted) && isJsonObject(defaulted["spec"]) ? defaulted["spec"]["strategy"] : undefined
    expect(strategy).toEqual({ kind: "Rolling" })
    const spec = schema["properties"]
    const declared = isJsonObject(spec) && isJsonObject(spec["spec"]) && isJsonObject(spec["spec"]["properties"]) ? spec["spec"]["properties"]["strategy"] : undefined
    expect(isJsonObject(declared) ? declared["default"] : undefined).toEqual({})
  })

  it("prepares an object in the decoder's order: prune, drop nulls, then default", () => {
    const prepared = prepareCustomObject(schema, { kind: "Foo", spec: { replicas: null, junk: 1 } })
    expect(prepared.pruned).toEqual(["spec.junk"])
    expect(prepared.value).toEqual({ kind: "Foo", spec: { replicas: 1, strategy: { kind: "Rolling" }, notNullable: "filled" } })
  })
})

describe("properties", () => {
  const keywords = {
    type: fc.constantFrom("object", "array", "string", "integer", "number", "boolean"),
    format: fc.constantFrom("uuid", "date-time", "int32", "url", "byte"),
    nullable: fc.boolean(),
    enum: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
    minimum: fc.integer({ min: -5, max: 5 }),
    maxLength: fc.nat(5),
    pattern: fc.constantFrom("^a", "[0-9]+", "(?i)^x$"),
    minItems: fc.nat(2),
    uniqueItems: fc.boolean(),
    required: fc.array(fc.constantFrom("a", "b", "__proto__"), { maxLength: 2 }),
    "x-kubernetes-preserve-unknown-fields": fc.boolean(),
    "x-kubernetes-int-or-string": fc.boolean(),
    "x-kubernetes-list-type": fc.constantFrom("set", "map", "atomic"),
    "x-kubernetes-list-map-keys": fc.constant(["a"]),
    "x-kubernetes-embedded-resource": fc.boolean(),
    default: fc.jsonValue({ maxDepth: 1 })
  }
  const leaf = fc.record(keywords, { requiredKeys: [] })
  const schemaNode: fc.Arbitrary<JsonObject> = fc.letrec<{ node: unknown }>((tie) => ({
    node: fc.oneof(
      { maxDepth: 3, depthIdentifier: "schema" },
      leaf,
      fc.record(
        {
          ...keywords,
          properties: fc.dictionary(fc.constantFrom("a", "b", "apiVersion", "__proto__"), tie("node"), { maxKeys: 2 }),
          items: tie("node"),
          additionalProperties: fc.oneof(fc.boolean(), tie("node")),
          anyOf: fc.array(tie("node"), { maxLength: 2 }),
          not: tie("node")
        },
        { requiredKeys: [] }
      )
    )
  })).node.map((node): JsonObject => {
    const copy: unknown = JSON.parse(JSON.stringify(node))
    return isJsonObject(copy) ? copy : {}
  })

  const value = fc.jsonValue({ maxDepth: 4 }).map((v): Json => JSON.parse(JSON.stringify(v)))

  it("validation never throws, for any schema and any value", () => {
    fc.assert(fc.property(schemaNode, value, (schema, object) => {
      validateAgainstSchema(schema, object)
      validateAgainstSchema(odaSchema("v1"), object)
    }), { numRuns: 300 })
  })

  it("pruning is idempotent and defaulting never changes an object twice", () => {
    fc.assert(fc.property(schemaNode, value, (schema, object) => {
      const once = pruneUnknownFields(schema, object)
      const twice = pruneUnknownFields(schema, once.value)
      const defaulted = applySchemaDefaults(schema, object)
      return deepEqual(twice.value, once.value) && twice.pruned.length === 0 && deepEqual(applySchemaDefaults(schema, defaulted), defaulted)
    }), { numRuns: 300 })
  })
})
