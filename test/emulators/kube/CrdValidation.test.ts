import { describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { isJsonObject, type Json, type JsonObject } from "../../../src/emulators/Json.ts"
import {
  crdStatus, defaultCustomResourceDefinition, validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate
} from "../../../src/emulators/kube/CrdValidation.ts"
import { fieldErrorText } from "../../../src/emulators/kube/Status.ts"
import { readReference } from "../../fixtures/Reference.ts"

const odaCrd = (): JsonObject => {
  const parsed: unknown = parseYaml(readReference("oda/exposedapi-crd.yaml"))
  if (!isJsonObject(parsed)) throw new Error("the ODA CRD is not an object")
  return parsed
}

interface Version {
  readonly name?: string
  readonly served?: boolean
  readonly storage?: boolean
  readonly schema?: Json
  readonly subresources?: Json
  readonly additionalPrinterColumns?: Json
}

/** A minimal valid CRD `foos.example.com`; pass overrides for spec and versions. */
const crd = (spec: JsonObject = {}, versions: ReadonlyArray<Version> = [{}], name = "foos.example.com"): JsonObject => ({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name },
  spec: {
    group: "example.com",
    scope: "Namespaced",
    names: { plural: "foos", singular: "foo", kind: "Foo", listKind: "FooList" },
    versions: versions.map((v, i) => ({
      name: `v${i + 1}`,
      served: true,
      storage: i === 0,
      schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" } } } } } },
      ...v
    })),
    ...spec
  }
})

const schemaOf = (openAPIV3Schema: JsonObject): JsonObject => ({ openAPIV3Schema })
const specSchema = (spec: JsonObject): JsonObject => schemaOf({ type: "object", properties: { spec } })
const messages = (object: JsonObject): ReadonlyArray<string> => validateCustomResourceDefinition(object).map(fieldErrorText)

const DNS1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

describe("defaultCustomResourceDefinition", () => {
  it("defaults singular, listKind and the None conversion, leaving set values alone", () => {
    const defaulted = defaultCustomResourceDefinition({ metadata: { name: "x" }, spec: { names: { plural: "foos", kind: "Foo" } } })
    expect(defaulted["spec"]).toEqual({ names: { plural: "foos", kind: "Foo", singular: "foo", listKind: "FooList" }, conversion: { strategy: "None" } })
    const kept = defaultCustomResourceDefinition(crd({ conversion: { strategy: "Webhook", webhook: { clientConfig: { service: { name: "s", namespace: "n" } } } } }))
    expect(kept["spec"]).toMatchObject({
      names: { singular: "foo", listKind: "FooList" },
      conversion: { strategy: "Webhook", webhook: { clientConfig: { service: { name: "s", namespace: "n", port: 443 } } } }
    })
  })
})

describe("validateCustomResourceDefinition", () => {
  it("accepts the ODA ExposedAPI CRD and a minimal one", () => {
    expect(messages(defaultCustomResourceDefinition(odaCrd()))).toEqual([])
    expect(messages(crd())).toEqual([])
  })

  const cases: ReadonlyArray<readonly [string, JsonObject, ReadonlyArray<string>]> = [
    ["name must be plural.group", crd({}, [{}], "bars.example.com"), ['metadata.name: Invalid value: "bars.example.com": must be spec.names.plural+"."+spec.group']],
    ["group required", crd({ group: "" }, [{}], "foos."), [
      'metadata.name: Invalid value: "foos.": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      "spec.group: Required value"
    ]],
    ["group with a dot", crd({ group: "example" }, [{}], "foos.example"), ['spec.group: Invalid value: "example": should be a domain with at least one dot']],
    ["scope", crd({ scope: "Global" }), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']],
    ["scope required", crd({ scope: "" }), ["spec.scope: Required value"]],
    ["at least one version", crd({ versions: [] }), ["spec.versions: Invalid value: []interface {}{...}: must have exactly one version marked as storage version"]],
    ["exactly one storage version", crd({}, [{}, { storage: true }]), ["spec.versions: Invalid value: []interface {}{...}: must have exactly one version marked as storage version"]],
    ["unique version names", crd({}, [{ name: "v1" }, { name: "v1" }]), ["spec.versions: Invalid value: []interface {}{...}: must contain unique version names"]],
    ["version names are DNS-1035 labels", crd({}, [{ name: "V1" }]), [
      `spec.versions[0].name: Invalid value: "V1": ${DNS1035}`,
      `spec.version: Invalid value: "V1": ${DNS1035}`
    ]],
    ["names required", crd({ names: { kind: "Foo" } }, [{}], "."), [
      'metadata.name: Invalid value: ".": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      'metadata.name: Invalid value: ".": must be spec.names.plural+"."+spec.group',
      "spec.names.plural: Required value",
      "spec.names.singular: Required value",
      "spec.names.listKind: Required value"
    ]],
    ["plural is lower case", crd({ names: { plural: "Foos", singular: "foo", kind: "Foo", listKind: "FooList" } }, [{}], "Foos.example.com"), [
      'metadata.name: Invalid value: "Foos.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, \'-\' or \'.\', and must start and end with an alphanumeric character (e.g. \'example.com\', regex used for validation is \'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\')',
      `spec.names.plural: Invalid value: "Foos": ${DNS1035}`
    ]],
    ["kind may have mixed case", crd({ names: { plural: "foos", singular: "foo", kind: "Foo_Bar", listKind: "Foo_Bar" } }), [
      `spec.names.kind: Invalid value: "Foo_Bar": may have mixed case, but should otherwise match: ${DNS1035}`,
      `spec.names.listKind: Invalid value: "Foo_Bar": may have mixed case, but should otherwise match: ${DNS1035}`,
      'spec.names.listKind: Invalid value: "Foo_Bar": kind and listKind may not be the same'
    ]],
    ["a schema per version", crd({}, [{ schema: null }]), ["spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required"]],
    ["a shared schema is reported at spec.validation", crd({}, [{ schema: specSchema({ type: "object", properties: { size: {} } }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields"
    ]],
    ["differing schemas are reported per version", crd({}, [{}, { schema: specSchema({ properties: { size: { type: "integer" } } }) }]), [
      "spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"
    ]],
    ["properties and additionalProperties", crd({}, [{ schema: specSchema({ type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "string" } }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"
    ]],
    ["arrays need items", crd({}, [{ schema: specSchema({ type: "object", properties: { list: { type: "array" } } }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].properties[list].items: Required value: must be specified"
    ]],
    ["object at the root", crd({}, [{ schema: schemaOf({ type: "string" }) }]), [
      'spec.validation.openAPIV3Schema.type: Invalid value: "string": must be object at the root'
    ]],
    ["no type in value validations", crd({}, [{ schema: specSchema({ type: "object", anyOf: [{ type: "object" }] }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural"
    ]],
    ["value validations name only specified fields", crd({}, [{ schema: schemaOf({ type: "object", anyOf: [{ required: ["x"], properties: { x: {} } }] }) }]), [
      "spec.validation.openAPIV3Schema.properties[x]: Required value: because it is defined in spec.validation.openAPIV3Schema.anyOf[0].properties[x]"
    ]],
    ["int-or-string idiom is structural", crd({}, [{ schema: specSchema({ type: "object", properties: { port: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] } } }) }]), []],
    ["root metadata only names", crd({}, [{ schema: schemaOf({ type: "object", properties: { metadata: { type: "object", properties: { labels: { type: "object" } } } } }) }]), [
      "spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified"
    ]],
    ["uniqueItems", crd({}, [{ schema: specSchema({ type: "object", properties: { l: { type: "array", items: { type: "string" }, uniqueItems: true } } }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"
    ]],
    ["unsupported type", crd({}, [{ schema: specSchema({ type: "object", properties: { x: { type: "date" } } }) }]), [
      'spec.validation.openAPIV3Schema.properties[spec].properties[x].type: Unsupported value: "date": supported values: "array", "boolean", "integer", "number", "object", "string"'
    ]],
    ["preserve-unknown-fields false", crd({}, [{ schema: specSchema({ type: "object", "x-kubernetes-preserve-unknown-fields": false }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined"
    ]],
    ["defaults must validate", crd({}, [{ schema: specSchema({ type: "object", properties: { size: { type: "integer", default: "big" } } }) }]), [
      'spec.validation.openAPIV3Schema.properties[spec].properties[size].default: Invalid value: "string":  in body must be of type integer: "string"'
    ]],
    ["defaults must be pruned", crd({}, [{ schema: specSchema({ type: "object", default: { extra: 1 }, properties: { size: { type: "integer" } } }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].default: Invalid value: map[string]interface {}{...}: must not have unknown fields"
    ]],
    ["no defaults in top-level metadata", crd({}, [{ schema: schemaOf({ type: "object", properties: { metadata: { type: "object", default: { name: "x" } } } }) }]), [
      "spec.validation.openAPIV3Schema.properties[metadata].default: Forbidden: must not be set in top-level metadata"
    ]],
    ["list-type map needs keys", crd({}, [{ schema: specSchema({ type: "object", properties: { l: { type: "array", "x-kubernetes-list-type": "map", items: { type: "object" } } } }) }]), [
      "spec.validation.openAPIV3Schema.properties[spec].properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map"
    ]],
    ["root restrictions with the status subresource", crd({}, [{ subresources: { status: {} }, schema: schemaOf({ type: "object", minProperties: 1, properties: { spec: { type: "object" } } }) }]), [
      "spec.validation.openAPIV3Schema: Invalid value: map[string]interface {}{...}: only [Description Type Format Title Maximum ExclusiveMaximum Minimum ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the schema if the status subresource is enabled"
    ]],
    ["printer columns", crd({}, [{ additionalPrinterColumns: [{ name: "", type: "text", format: "url", jsonPath: "status.phase" }] }]), [
      "spec.additionalPrinterColumns[0].name: Required value",
      'spec.additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'spec.additionalPrinterColumns[0].format: Invalid value: "url": must be one of byte,date,date-time,double,float,int32,int64,password',
      'spec.additionalPrinterColumns[0].JSONPath: Invalid value: "status.phase": must be a simple json path starting with .'
    ]],
    ["printer columns per version", crd({}, [{ additionalPrinterColumns: [{ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" }] }, { additionalPrinterColumns: [{ name: "A", type: "string" }] }]), [
      "spec.versions[1].additionalPrinterColumns[0].JSONPath: Required value"
    ]],
    ["scale subresource paths", crd({}, [{ subresources: { scale: { specReplicasPath: ".status.replicas", statusReplicasPath: "" } } }]), [
      'spec.subresources.scale.specReplicasPath: Invalid value: ".status.replicas": should be a json path under .spec',
      "spec.subresources.scale.statusReplicasPath: Required value"
    ]],
    ["conversion strategy", crd({ conversion: { strategy: "Magic" } }), ['spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"']],
    ["webhook conversion needs a client config", crd({ conversion: { strategy: "Webhook" } }), [
      "spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook",
      "spec.conversion.conversionReviewVersions: Required value"
    ]],
    ["webhook conversion accepted as declared", crd({ conversion: { strategy: "Webhook", webhook: { clientConfig: { url: "https://c.example.com/convert" }, conversionReviewVersions: ["v1"] } } }), []],
    ["preserveUnknownFields true", crd({ preserveUnknownFields: true }), [
      "spec.preserveUnknownFields: Invalid value: true: cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"
    ]]
  ]
  it.each(cases)("%s", (_name, object, expected) => {
    expect(messages(object)).toEqual(expected)
  })
})

describe("validateCustomResourceDefinitionUpdate", () => {
  it("keeps group and plural immutable, and scope and kind once established", () => {
    const old = { ...crd(), status: crdStatus(crd(), new Date(0)) }
    const changed = crd({ group: "other.com", scope: "Cluster", names: { plural: "bars", singular: "bar", kind: "Bar", listKind: "BarList" } }, [{}], "bars.other.com")
    expect(validateCustomResourceDefinitionUpdate(changed, old).map(fieldErrorText)).toEqual([
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.names.kind: Invalid value: "Bar": field is immutable',
      'spec.group: Invalid value: "other.com": field is immutable',
      'spec.names.plural: Invalid value: "bars": field is immutable'
    ])
  })
})

describe("crdStatus", () => {
  it("accepts the names, establishes the CRD and records the storage version", () => {
    const status = crdStatus(defaultCustomResourceDefinition(odaCrd()), new Date("2024-05-06T07:08:09.123Z"))
    expect(status).toEqual({
      conditions: [
        { type: "NamesAccepted", status: "True", lastTransitionTime: "2024-05-06T07:08:09Z", reason: "NoConflicts", message: "no conflicts found" },
        { type: "Established", status: "True", lastTransitionTime: "2024-05-06T07:08:09Z", reason: "InitialNamesAccepted", message: "the initial names have been accepted" }
      ],
      acceptedNames: { plural: "exposedapis", singular: "exposedapi", kind: "ExposedAPI", listKind: "ExposedAPIList" },
      storedVersions: ["v1"]
    })
  })

  it("keeps transition times and previously stored versions", () => {
    const first = crdStatus(crd(), new Date("2024-01-01T00:00:00Z"))
    const moved = crd({}, [{ storage: false }, { storage: true }])
    const second = crdStatus({ ...moved, status: first }, new Date("2024-02-02T00:00:00Z"))
    expect(second["storedVersions"]).toEqual(["v1", "v2"])
    expect(second["conditions"]).toEqual(first["conditions"])
  })
})
