import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../../../src/emulators/Json.ts"
import { startKubeEmulator, type KubeEmulator } from "../../../src/emulators/kube/KubeEmulator.ts"
import { openApi } from "../../../src/emulators/kube/OpenApi.ts"
import { encodeOpenApiV2 } from "../../../src/emulators/kube/OpenApiProto.ts"
import { openApiV2Document, toOpenApiV2Schema } from "../../../src/emulators/kube/OpenApiV2.ts"
import { openApiV3GroupVersion, openApiV3Index } from "../../../src/emulators/kube/OpenApiV3.ts"
import { crdToResourceType, TypeRegistry } from "../../../src/emulators/kube/TypeRegistry.ts"
import { odaFile } from "./KubectlHarness.ts"
import { message, messages, named, string, strings } from "./ProtoReader.ts"

const odaCrd = (): JsonObject => {
  const parsed: Json = parseYaml(readFileSync(odaFile("exposedapi-crd.yaml"), "utf8"))
  if (!isJsonObject(parsed)) throw new Error("the ODA CRD is not an object")
  return parsed
}

const registryWithOda = (): TypeRegistry => {
  const registry = new TypeRegistry()
  registry.register(crdToResourceType(odaCrd()))
  return registry
}

const object = (value: Json | undefined): JsonObject => (isJsonObject(value) ? value : {})
const at = (value: Json | undefined, ...keys: ReadonlyArray<string>): Json | undefined =>
  keys.reduce<Json | undefined>((current, key) => (isJsonObject(current) ? current[key] : undefined), value)

/** Every `$ref` in a document, to check each resolves. */
const refs = (value: Json): ReadonlyArray<string> => {
  if (isJsonArray(value)) return value.flatMap(refs)
  if (!isJsonObject(value)) return []
  return Object.entries(value).flatMap(([key, child]) => (key === "$ref" && typeof child === "string" ? [child] : refs(child)))
}

const ODA_ITEM_PATH = "/apis/oda.tmforum.org/v1/namespaces/{namespace}/exposedapis/{name}"

describe("/openapi/v3", () => {
  it("indexes every served group-version with a hash of its document", () => {
    const index = object(openApiV3Index(registryWithOda())["paths"])
    expect(Object.keys(index)).toEqual(expect.arrayContaining(["api/v1", "apis/apps/v1", "apis/oda.tmforum.org/v1", "apis/oda.tmforum.org/v1beta3", "apis/rbac.authorization.k8s.io/v1"]))
    expect(at(index, "apis/oda.tmforum.org/v1", "serverRelativeURL")).toMatch(/^\/openapi\/v3\/apis\/oda\.tmforum\.org\/v1\?hash=[0-9A-F]{128}$/)
  })

  it("changes a group-version's hash exactly when its document changes", () => {
    const registry = registryWithOda()
    const before = object(openApiV3Index(registry)["paths"])
    const crd = odaCrd()
    registry.register(crdToResourceType({ ...crd, spec: { ...object(crd["spec"]), names: { plural: "others", singular: "other", kind: "Other" } } }))
    const after = object(openApiV3Index(registry)["paths"])
    expect(at(after, "apis/oda.tmforum.org/v1", "serverRelativeURL")).not.toBe(at(before, "apis/oda.tmforum.org/v1", "serverRelativeURL"))
    expect(at(after, "api/v1", "serverRelativeURL")).toBe(at(before, "api/v1", "serverRelativeURL"))
  })

  it("declares PATCH with fieldValidation and the group-version-kind, strategic merge only for built-ins", () => {
    const registry = registryWithOda()
    const oda = object(openApiV3GroupVersion(registry, "oda.tmforum.org", "v1"))
    const patch = object(at(oda, "paths", ODA_ITEM_PATH, "patch"))
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "oda.tmforum.org", version: "v1", kind: "ExposedAPI" })
    expect(patch["x-kubernetes-action"]).toBe("patch")
    expect(patch["parameters"]).toContainEqual(expect.objectContaining({ name: "fieldValidation", in: "query" }))
    expect(Object.keys(object(at(patch, "requestBody", "content"))).sort()).toEqual([
      "application/apply-patch+yaml",
      "application/json-patch+json",
      "application/merge-patch+json"
    ])
    const core = object(openApiV3GroupVersion(registry, "", "v1"))
    const servicePatch = at(core, "paths", "/api/v1/namespaces/{namespace}/services/{name}", "patch", "requestBody", "content")
    expect(Object.keys(object(servicePatch))).toContain("application/strategic-merge-patch+json")
    expect(Object.keys(object(at(core, "paths")))).toContain("/api/v1/namespaces/{name}")
    expect(Object.keys(object(at(core, "paths")))).toContain("/api/v1/namespaces/{namespace}/services/{name}/status")
  })

  it("publishes the CRD's schema as the kind's, with apiVersion, kind and ObjectMeta, every reference resolving", () => {
    const oda = object(openApiV3GroupVersion(registryWithOda(), "oda.tmforum.org", "v1"))
    const schemas = object(at(oda, "components", "schemas"))
    const kind = object(schemas["org.tmforum.oda.v1.ExposedAPI"])
    expect(kind["x-kubernetes-group-version-kind"]).toEqual([{ group: "oda.tmforum.org", kind: "ExposedAPI", version: "v1" }])
    const versions = at(odaCrd(), "spec", "versions")
    const crdVersion = isJsonArray(versions) ? versions.find((v) => at(v, "name") === "v1") : undefined
    expect(at(kind, "properties", "spec")).toEqual(at(crdVersion, "schema", "openAPIV3Schema", "properties", "spec"))
    expect(at(kind, "properties", "metadata", "allOf")).toEqual([{ $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" }])
    expect(at(schemas, "org.tmforum.oda.v1.ExposedAPIList", "x-kubernetes-group-version-kind")).toEqual([{ group: "oda.tmforum.org", kind: "ExposedAPIList", version: "v1" }])
    for (const ref of refs(oda)) expect(Object.keys(schemas)).toContain(ref.replace("#/components/schemas/", ""))
  })

  it("has no document for a group-version nobody serves", () => {
    expect(openApiV3GroupVersion(registryWithOda(), "oda.tmforum.org", "v9")).toBeUndefined()
  })
})

describe("/openapi/v2", () => {
  it("holds the custom resources' definitions only, in v2's dialect, every reference resolving", () => {
    const document = openApiV2Document(registryWithOda())
    const definitions = object(document["definitions"])
    const kind = object(definitions["org.tmforum.oda.v1.ExposedAPI"])
    expect(kind["x-kubernetes-group-version-kind"]).toEqual([{ group: "oda.tmforum.org", kind: "ExposedAPI", version: "v1" }])
    expect(kind["required"]).toEqual(["spec"])
    // spec keeps unknown fields: v2 cannot say so, so it is published as an open object
    expect(at(kind, "properties", "spec", "properties")).toBeUndefined()
    expect(at(kind, "properties", "spec", "type")).toBe("object")
    expect(at(kind, "properties", "metadata")).toEqual({ $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" })
    expect(Object.keys(definitions).filter((d) => d.startsWith("io.k8s.api."))).toEqual([])
    for (const ref of refs(document)) expect(Object.keys(definitions)).toContain(ref.replace("#/definitions/", ""))
  })

  it("lists every served kind's PATCH operation with dryRun, and no consumes (kubectl keeps its compiled-in patch strategies)", () => {
    const paths = object(openApiV2Document(registryWithOda())["paths"])
    const patch = object(at(paths, ODA_ITEM_PATH, "patch"))
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "oda.tmforum.org", kind: "ExposedAPI", version: "v1" })
    expect(patch["parameters"]).toContainEqual(expect.objectContaining({ name: "dryRun", in: "query", type: "string" }))
    expect(patch).not.toHaveProperty("consumes")
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["/api/v1/namespaces/{name}", "/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]))
  })

  it("converts structural schemas the way apiextensions-apiserver does for v2", () => {
    const converted = toOpenApiV2Schema({
      type: "object",
      required: ["a", "b"],
      properties: {
        a: { type: "string", nullable: true },
        b: { type: "object", properties: { c: { type: "integer", oneOf: [{ minimum: 1 }] } } },
        d: { type: "array" },
        e: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
        f: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true, properties: { g: { type: "string" } } } }
      }
    })
    expect(converted).toEqual({
      type: "object",
      required: ["b"],
      properties: {
        a: {},
        b: { type: "object", properties: { c: { type: "integer" } } },
        d: {},
        e: { "x-kubernetes-int-or-string": true },
        f: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } }
      }
    })
  })

  it("encodes as gnostic's openapi.v2.Document", () => {
    const document = openApiV2Document(registryWithOda())
    const bytes = encodeOpenApiV2(document)
    expect(string(bytes, 1)).toBe("2.0")
    const info = message(bytes, 2) ?? new Uint8Array()
    expect([string(info, 1), string(info, 2)]).toEqual(["Kubernetes", "v1.32.0"])
    const definitions = named(message(bytes, 9) ?? new Uint8Array(), 1)
    expect([...definitions.keys()]).toEqual(Object.keys(object(document["definitions"])))
    const kind = definitions.get("org.tmforum.oda.v1.ExposedAPI") ?? new Uint8Array()
    expect(strings(message(kind, 22) ?? new Uint8Array(), 1)).toEqual(["object"])
    expect(strings(kind, 19)).toEqual(["spec"])
    const extensions = named(kind, 31)
    const gvk = string(extensions.get("x-kubernetes-group-version-kind") ?? new Uint8Array(), 2)
    expect(JSON.parse(gvk ?? "null")).toEqual([{ group: "oda.tmforum.org", kind: "ExposedAPI", version: "v1" }])
    const properties = named(message(kind, 25) ?? new Uint8Array(), 1)
    expect([...properties.keys()].sort()).toEqual(["apiVersion", "kind", "metadata", "spec", "status"])
    expect(string(properties.get("metadata") ?? new Uint8Array(), 1)).toBe("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    const objectMeta = definitions.get("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta") ?? new Uint8Array()
    const labels = named(message(objectMeta, 25) ?? new Uint8Array(), 1).get("labels") ?? new Uint8Array()
    const valueSchema = message(message(labels, 21) ?? new Uint8Array(), 1) ?? new Uint8Array()
    expect(strings(message(valueSchema, 22) ?? new Uint8Array(), 1)).toEqual(["string"])
    expect(messages(kind, 24)).toEqual([])
    const servicePatch = named(message(bytes, 8) ?? new Uint8Array(), 2).get("/api/v1/namespaces/{namespace}/services/{name}") ?? new Uint8Array()
    const operation = message(servicePatch, 8) ?? new Uint8Array()
    expect(string(operation, 5)).toBe("patchCoreV1NamespacedService")
    // ParametersItem.parameter (1) → Parameter.non_body_parameter (2) → NonBodyParameter.query_parameter_sub_schema (3) → name (4)
    const nested = (bytes: Uint8Array, ...fields: ReadonlyArray<number>): Uint8Array => fields.reduce((b, f) => message(b, f) ?? new Uint8Array(), bytes)
    const queryNames = messages(operation, 8).map((item) => string(nested(item, 1, 2, 3), 4))
    expect(queryNames).toEqual(["dryRun", "fieldManager", "fieldValidation", "force"])
    const operationGvk = string(named(operation, 13).get("x-kubernetes-group-version-kind") ?? new Uint8Array(), 2)
    expect(JSON.parse(operationGvk ?? "null")).toEqual({ group: "", kind: "Service", version: "v1" })
  })
})

describe("content negotiation", () => {
  const registry = registryWithOda()

  it("answers /openapi/v2 as protobuf when asked for it by either name, with the name Go's mime parser accepts", () => {
    for (const accept of ["application/com.github.proto-openapi.spec.v2@v1.0+protobuf", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf, application/json"]) {
      const reply = openApi(registry, ["v2"], accept)
      expect(reply?.headers["Content-Type"]).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
      expect(reply?.raw).toEqual(encodeOpenApiV2(openApiV2Document(registry)))
    }
  })

  it("answers JSON to JSON clients, 406 to clients that accept neither, 404 for other paths", () => {
    expect(openApi(registry, ["v2"], "application/json")?.body).toMatchObject({ swagger: "2.0" })
    expect(openApi(registry, ["v2"], "")?.body).toMatchObject({ swagger: "2.0" })
    expect(openApi(registry, ["v3"], "application/json, */*")?.body).toHaveProperty("paths")
    expect(openApi(registry, ["v3", "apis", "oda.tmforum.org", "v1"], "application/json")?.headers["Content-Type"]).toBe("application/json")
    expect(openApi(registry, ["v2"], "application/yaml")?.status).toBe(406)
    expect(openApi(registry, ["v3", "api", "v1"], "application/com.github.proto-openapi.spec.v3@v1.0+protobuf")?.status).toBe(406)
    expect(openApi(registry, ["v4"], "application/json")).toBeUndefined()
    expect(openApi(registry, ["v3", "apis", "nobody.example.com", "v1"], "application/json")).toBeUndefined()
  })
})

describe("over HTTP", () => {
  let emulator: KubeEmulator
  beforeAll(async () => {
    emulator = await startKubeEmulator()
  })
  afterAll(async () => emulator.close())

  it("sends the protobuf bytes with their length and content type", async () => {
    const response = await fetch(`${emulator.url}/openapi/v2`, { headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" } })
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf")
    const body = new Uint8Array(await response.arrayBuffer())
    expect(Number(response.headers.get("content-length"))).toBe(body.length)
    expect(body).toEqual(encodeOpenApiV2(openApiV2Document(emulator.store.registry)))
  })

  it("answers 404 with a Status for a document that does not exist", async () => {
    const response = await fetch(`${emulator.url}/openapi/v3/apis/nobody.example.com/v1`)
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ kind: "Status", code: 404, reason: "NotFound" })
  })
})
