import * as fc from "fast-check"
import { Either, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { DEFAULT_INTENT_SETTINGS, ExposedApi, toApiIntent } from "../../src/domain/ExposedApi.ts"
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../../src/emulators/Json.ts"
import { type KubeEmulator, startKubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { StatusError } from "../../src/emulators/kube/Status.ts"
import { referencePath } from "../fixtures/Reference.ts"
import { at, k8sPath, readYamlObject } from "./Kustomize.ts"

/**
 * k8s/exposedapi-crd.yaml against the ODA Canvas's: the same resource (either can be installed), the same schema
 * with added checks, and every added check one the operator makes too, so the CRD never refuses an object the
 * operator would have published. Both CRDs are installed in two emulators; objects go through the in-process door.
 */

const ours = readYamlObject(k8sPath("exposedapi-crd.yaml"))
const canvas = readYamlObject(referencePath("oda/exposedapi-crd.yaml"))
const example = readYamlObject(referencePath("oda/exposedapi-example.yaml"))

const versionsOf = (crd: JsonObject): ReadonlyArray<JsonObject> => {
  const versions = at(crd, "spec", "versions")
  return isJsonArray(versions) ? versions.filter(isJsonObject) : []
}

/** What a schema (and the ones under it) says about types, enums and required fields: what the Canvas's decides. */
const shape = (schema: Json | undefined): Json => {
  if (!isJsonObject(schema)) return null
  const properties = isJsonObject(schema["properties"]) ? schema["properties"] : {}
  return {
    type: schema["type"] ?? null,
    enum: schema["enum"] ?? null,
    required: schema["required"] ?? null,
    minItems: schema["minItems"] ?? null,
    items: shape(schema["items"]),
    preserveUnknown: schema["x-kubernetes-preserve-unknown-fields"] ?? null,
    properties: Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, shape(property)]))
  }
}

let withOurs: KubeEmulator
let withCanvas: KubeEmulator

beforeAll(async () => {
  withOurs = await startKubeEmulator()
  withCanvas = await startKubeEmulator()
  withOurs.objects.create(ours)
  withCanvas.objects.create(canvas)
})

afterAll(async () => {
  await withOurs.close()
  await withCanvas.close()
})

let counter = 0
/** Creates the object; the fields the API server refused (empty when it was admitted). */
const refusedFields = (kube: KubeEmulator, spec: JsonObject, apiVersion = "oda.tmforum.org/v1"): ReadonlyArray<string> => {
  const name = `api-${counter++}`
  try {
    kube.objects.create({ apiVersion, kind: "ExposedAPI", metadata: { name, namespace: "default" }, spec })
    kube.objects.delete(apiVersion, "ExposedAPI", "default", name)
    return []
  } catch (error) {
    if (!(error instanceof StatusError) || error.code !== 422) throw error
    return (error.status.details?.causes ?? []).map((cause) => cause.field ?? "")
  }
}

/** The fields the operator reports as invalid (empty when it would publish the object). */
const operatorRefuses = (spec: JsonObject): ReadonlyArray<string> => {
  const api = Schema.decodeUnknownSync(ExposedApi)({
    apiVersion: "oda.tmforum.org/v1",
    kind: "ExposedAPI",
    metadata: { name: "api", namespace: "default", uid: "u", resourceVersion: "1" },
    spec
  })
  const intent = toApiIntent(api, DEFAULT_INTENT_SETTINGS)
  return Either.isLeft(intent) ? intent.left.problems.map((p) => p.field) : []
}

const exampleSpec = (): JsonObject => (isJsonObject(example["spec"]) ? example["spec"] : {})

describe("the ExposedAPI CRD k8s/ ships", () => {
  it("is the Canvas's resource: same name, group, names, scope, versions, storage version and no /status", () => {
    expect(at(ours, "metadata", "name")).toBe(at(canvas, "metadata", "name"))
    for (const key of ["group", "names", "scope"]) expect(at(ours, "spec", key)).toEqual(at(canvas, "spec", key))
    const summary = (crd: JsonObject) =>
      versionsOf(crd).map((v) => ({ name: v["name"], served: v["served"], storage: v["storage"], deprecated: v["deprecated"], subresources: v["subresources"] }))
    expect(summary(ours)).toEqual(summary(canvas))
    expect(summary(ours).map((v) => v.subresources)).toEqual([undefined, undefined, undefined])
    expect(at(ours, "spec", "conversion")).toBeUndefined()
  })

  it("keeps the Canvas's spec schema: the same fields, types, enums and required fields in every version", () => {
    const specShapes = (crd: JsonObject) => versionsOf(crd).map((v) => shape(at(v, "schema", "openAPIV3Schema", "properties", "spec")))
    expect(specShapes(ours)).toEqual(specShapes(canvas))
  })

  it("shows URL, Ready, Implementation-Ready, Reason (wide) and Age", () => {
    for (const version of versionsOf(ours)) {
      const columns = at(version, "additionalPrinterColumns")
      expect(isJsonArray(columns) ? columns.filter(isJsonObject).map((c) => [c["name"], c["jsonPath"], c["priority"] ?? 0]) : []).toEqual([
        ["URL", ".status.apiStatus.url", 0],
        ["Ready", `.status.conditions[?(@.type=="Ready")].status`, 0],
        ["Implementation-Ready", ".status.implementation.ready", 0],
        ["Reason", `.status.conditions[?(@.type=="Ready")].reason`, 1],
        ["Age", ".metadata.creationTimestamp", 0]
      ])
    }
  })

  it("admits the ODA example in v1, and its spec's shapes in v1beta4 and v1beta3", () => {
    expect(refusedFields(withOurs, exampleSpec())).toEqual([])
    const url = String(at(example, "spec", "specification", "url"))
    expect(refusedFields(withOurs, { ...exampleSpec(), specification: [{ url, version: "v4.0.0" }] }, "oda.tmforum.org/v1beta4")).toEqual([])
    expect(refusedFields(withOurs, { ...exampleSpec(), specification: [url] }, "oda.tmforum.org/v1beta3")).toEqual([])
  })

  it("refuses a port or path the operator refuses too, naming the field; what only the operator can tell is left to it", () => {
    expect(refusedFields(withOurs, { ...exampleSpec(), port: 70000, path: "relative/path" })).toEqual(["spec.path", "spec.port"])
    expect(refusedFields(withCanvas, { ...exampleSpec(), port: 70000, path: "relative/path" })).toEqual([])
    // credentials with any origin: well-typed, so admitted, and reported by the operator on the resource
    const cors = { ...exampleSpec(), CORS: { enabled: true, allowCredentials: true, allowOrigins: "*" } }
    expect(refusedFields(withOurs, cors)).toEqual([])
    expect(operatorRefuses(cors)).toEqual(["spec.CORS.allowCredentials"])
  })

  it("never refuses what the Canvas admits and the operator would publish (ports, paths, developer UIs)", () => {
    const port = fc.oneof(fc.integer({ min: -10, max: 70_000 }), fc.constantFrom(0, 1, 65535, 65536))
    const path = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }).map((s) => `/${s}`), fc.constantFrom("/", "", "a/b", "/a//b"))
    fc.assert(
      fc.property(port, path, fc.option(path, { nil: undefined }), (p, route, developerUI) => {
        const spec = { ...exampleSpec(), port: p, path: route, ...(developerUI === undefined ? {} : { developerUI }) }
        expect(refusedFields(withCanvas, spec)).toEqual([])
        const refused = refusedFields(withOurs, spec)
        const reported = operatorRefuses(spec)
        for (const field of refused) expect(reported, `${field} of ${JSON.stringify(spec)}`).toContain(field)
      }),
      { numRuns: 300 }
    )
  })
})
