import { readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { isJsonObject, type Json, type JsonObject } from "../../../src/emulators/Json.ts"
import { humanDuration } from "../../../src/emulators/kube/BuiltinTables.ts"
import { represent, representationOf } from "../../../src/emulators/kube/Representation.ts"
import type { ResourceType } from "../../../src/emulators/kube/ResourceType.ts"
import { StatusError } from "../../../src/emulators/kube/Status.ts"
import type { Scope } from "../../../src/emulators/kube/StoreTypes.ts"
import { evaluateJsonPath, includeObjectOf, tableWatch, toTable, type TableOptions } from "../../../src/emulators/kube/Table.ts"
import { crdToResourceType, TypeRegistry } from "../../../src/emulators/kube/TypeRegistry.ts"
import { odaFile } from "./KubectlHarness.ts"

const NOW = Date.parse("2026-01-02T03:04:05Z")
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, "Z")
const options: TableOptions = { includeObject: "Metadata", noHeaders: false, apiVersion: "meta.k8s.io/v1" }

const registry = new TypeRegistry()
const builtin = (group: string, kind: string): Scope => {
  const type = registry.byKind(group, kind)
  if (type === undefined) throw new Error(`no ${group}/${kind}`)
  return { type, version: type.versions[0]?.name ?? "v1", namespace: "default" }
}

const crd = (versionExtra: JsonObject): ResourceType =>
  crdToResourceType({
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "gadgets", singular: "gadget", kind: "Gadget" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } }, ...versionExtra }]
    }
  })

const oda = (): Scope => {
  const parsed: Json = parseYaml(readFileSync(odaFile("exposedapi-crd.yaml"), "utf8"))
  return { type: crdToResourceType(isJsonObject(parsed) ? parsed : {}), version: "v1", namespace: "default" }
}

const meta = (name: string, extra: JsonObject = {}): JsonObject => ({
  name,
  namespace: "default",
  uid: `uid-${name}`,
  resourceVersion: "7",
  creationTimestamp: ago(3 * 3600_000),
  ...extra
})

const columnNames = (table: JsonObject): ReadonlyArray<Json> => {
  const columns = table["columnDefinitions"]
  return Array.isArray(columns) ? columns.map((c: Json) => (isJsonObject(c) ? c["name"] ?? null : null)) : []
}
const cells = (table: JsonObject, row = 0): Json => {
  const rows = table["rows"]
  const found: Json | undefined = Array.isArray(rows) ? rows[row] : undefined
  return isJsonObject(found) ? found["cells"] ?? null : null
}

describe("custom resource tables", () => {
  it("print Name and the CRD's additionalPrinterColumns, values from the object and nil where absent", () => {
    // the ODA CRD describes its columns; undescribed ones get apiextensions' generated description (below)
    const table = toTable(oda(), {
      apiVersion: "oda.tmforum.org/v1",
      kind: "ExposedAPI",
      metadata: meta("r1"),
      status: { apiStatus: { url: "https://apim/r1" }, implementation: { ready: true } }
    }, options, NOW)
    expect(table["columnDefinitions"]).toEqual([
      { name: "Name", type: "string", format: "name", description: expect.stringContaining("Name must be unique"), priority: 0 },
      { name: "API_endpoint", type: "string", format: "", description: "API endpoint Url", priority: 0 },
      { name: "Implementation_ready", type: "string", format: "", description: "API implementation is ready - has passed startup probe checks", priority: 0 }
    ])
    expect(cells(table)).toEqual(["r1", "https://apim/r1", "true"])
    expect(cells(toTable(oda(), { metadata: meta("r2") }, options, NOW))).toEqual(["r2", null, null])
  })

  it("print an Age column when the CRD declares none", () => {
    const table = toTable({ type: crd({}), version: "v1", namespace: "default" }, { metadata: meta("g") }, options, NOW)
    expect(columnNames(table)).toEqual(["Name", "Age"])
    expect(cells(table)).toEqual(["g", "3h"])
  })

  it("type each cell as its column says (apiextensions' cellForJSONValue), JSONPath filters included", () => {
    const type = crd({
      additionalPrinterColumns: [
        { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
        { name: "Ratio", type: "number", jsonPath: ".spec.ratio" },
        { name: "Paused", type: "boolean", jsonPath: ".spec.paused" },
        { name: "Started", type: "date", jsonPath: ".status.started" },
        { name: "Broken", type: "date", jsonPath: ".status.broken" },
        { name: "Ready", type: "string", jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        { name: "Selector", type: "string", jsonPath: ".spec.selector", priority: 1 },
        { name: "Mismatch", type: "integer", jsonPath: ".spec.paused" },
        { name: "First", type: "string", jsonPath: ".spec.items[*].name" }
      ]
    })
    const table = toTable({ type, version: "v1", namespace: "default" }, {
      metadata: meta("g"),
      spec: { replicas: 3.7, ratio: 0.5, paused: false, selector: { app: "x" }, items: [{ name: "a" }, { name: "b" }] },
      status: { started: ago(90_000), broken: "yesterday", conditions: [{ type: "Synced", status: "False" }, { type: "Ready", status: "True" }] }
    }, options, NOW)
    expect(cells(table)).toEqual(["g", 3, 0.5, false, "90s", "<invalid>", "True", '{"app":"x"}', null, "a"])
    const columns = table["columnDefinitions"]
    expect(Array.isArray(columns) ? columns.map((c: Json) => (isJsonObject(c) ? c["priority"] ?? null : null)) : []).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0])
    expect(Array.isArray(columns) ? columns[1] : undefined).toMatchObject({ description: "Custom resource definition column (in JSONPath format): .spec.replicas" })
  })

  it("evaluate the JSONPath subset printer columns use", () => {
    const object = { a: { b: [{ c: 1, k: "x" }, { c: 2, k: "y" }] } }
    expect(evaluateJsonPath(object, ".a.b[*].c")).toEqual([1, 2])
    expect(evaluateJsonPath(object, ".a.b[1].c")).toEqual([2])
    expect(evaluateJsonPath(object, "{.a.b[0].k}")).toEqual(["x"])
    expect(evaluateJsonPath(object, ".a.b[?(@.k=='y')].c")).toEqual([2])
    expect(evaluateJsonPath(object, ".a.b[?(@.k!=\"y\")].c")).toEqual([1])
    expect(evaluateJsonPath(object, ".a.missing")).toEqual([])
  })
})

describe("built-in tables", () => {
  it("print Services as kube's printer does", () => {
    const service = (name: string, spec: JsonObject, status: JsonObject = {}): JsonObject => ({ metadata: meta(name), spec, status })
    const table = toTable(builtin("", "Service"), {
      metadata: { resourceVersion: "9" },
      items: [
        service("web", { type: "ClusterIP", clusterIP: "10.96.0.10", selector: { app: "web", tier: "a" }, ports: [{ port: 80, protocol: "TCP" }, { port: 443, nodePort: 30443, protocol: "TCP" }] }),
        service("lb", { type: "LoadBalancer", clusterIP: "10.96.0.11", ports: [{ port: 53, protocol: "UDP" }] }),
        service("lb-up", { type: "LoadBalancer", clusterIP: "10.96.0.12", ports: [] }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }, { hostname: "lb.example" }] } }),
        service("ext", { type: "ExternalName", externalName: "db.example.com" })
      ]
    }, options, NOW)
    expect(columnNames(table)).toEqual(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"])
    expect(cells(table, 0)).toEqual(["web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP,443:30443/TCP", "3h", "app=web,tier=a"])
    expect(cells(table, 1)).toEqual(["lb", "LoadBalancer", "10.96.0.11", "<pending>", "53/UDP", "3h", "<none>"])
    expect(cells(table, 2)).toEqual(["lb-up", "LoadBalancer", "10.96.0.12", "1.2.3.4,lb.example", "<none>", "3h", "<none>"])
    expect(cells(table, 3)).toEqual(["ext", "ExternalName", "<none>", "db.example.com", "<none>", "3h", "<none>"])
    expect(table["metadata"]).toEqual({ resourceVersion: "9" })
  })

  it("mark the -o wide columns with priority 1 (Deployment)", () => {
    const table = toTable(builtin("apps", "Deployment"), {
      metadata: meta("web"),
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] },
        template: { spec: { containers: [{ name: "web", image: "nginx" }, { name: "log", image: "fluent" }] } }
      },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 }
    }, options, NOW)
    const columns = table["columnDefinitions"]
    expect(Array.isArray(columns) ? columns.filter((c: Json) => isJsonObject(c) && c["priority"] === 1).map((c: Json) => (isJsonObject(c) ? c["name"] ?? null : null)) : []).toEqual([
      "Containers",
      "Images",
      "Selector"
    ])
    expect(cells(table)).toEqual(["web", "2/3", 3, 2, "3h", "web,log", "nginx,fluent", "app=web,tier in (a,b)"])
  })

  it("print Events with the involved object as kind/name, events.k8s.io ones through the core shape", () => {
    const core = { metadata: meta("e1"), type: "Warning", reason: "Failed", message: " boom ", involvedObject: { kind: "ExposedAPI", name: "r1" }, lastTimestamp: ago(60_000), count: 3, source: { component: "oda" } }
    expect(cells(toTable(builtin("", "Event"), core, options, NOW))).toEqual(["60s", "Warning", "Failed", "exposedapi/r1", "", "oda", "boom", "<unknown>", 3, "e1"])
    const v1 = { metadata: meta("e2"), type: "Normal", reason: "Synced", note: "ok", regarding: { kind: "Service", name: "web" }, eventTime: "2026-01-02T03:03:05.000000Z", reportingController: "oda", reportingInstance: "oda-0" }
    expect(cells(toTable(builtin("events.k8s.io", "Event"), v1, options, NOW))).toEqual(["60s", "Normal", "Synced", "service/web", "", "oda, oda-0", "ok", "60s", 0, "e2"])
  })

  it("fall back to Name and Created At for kinds without a printer", () => {
    const table = toTable(builtin("apiextensions.k8s.io", "CustomResourceDefinition"), { metadata: meta("gadgets.example.com") }, options, NOW)
    expect(columnNames(table)).toEqual(["Name", "Created At"])
    expect(cells(table)).toEqual(["gadgets.example.com", ago(3 * 3600_000)])
  })
})

describe("rows and watch tables", () => {
  const scope = builtin("", "ConfigMap")
  const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: meta("c"), data: { a: "1" } }
  const rowObject = (table: JsonObject): Json | undefined => {
    const rows = table["rows"]
    const first: Json | undefined = Array.isArray(rows) ? rows[0] : undefined
    return isJsonObject(first) ? first["object"] : undefined
  }

  it("carry the object as includeObject says: metadata by default, all of it, or nothing", () => {
    expect(rowObject(toTable(scope, configMap, options, NOW))).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: meta("c") })
    expect(rowObject(toTable(scope, configMap, { ...options, includeObject: "Object" }, NOW))).toEqual(configMap)
    expect(rowObject(toTable(scope, configMap, { ...options, includeObject: "None" }, NOW))).toBeNull()
    expect(includeObjectOf(new URLSearchParams(""))).toBe("Metadata")
    expect(() => includeObjectOf(new URLSearchParams("includeObject=All"))).toThrow(StatusError)
  })

  it("send column definitions with a watch's first event only", () => {
    const transform = tableWatch(scope, { includeObject: "Metadata", apiVersion: "meta.k8s.io/v1" })
    const first = transform(configMap)
    const second = transform({ ...configMap, data: { a: "1", b: "2" } })
    expect(columnNames(first)).toEqual(["Name", "Data", "Age"])
    expect(second["columnDefinitions"]).toBeNull()
    expect(cells(second)).toEqual(["c", 2, expect.stringMatching(/^\d+[smhdy]/)])
    expect(second["metadata"]).toEqual({ resourceVersion: "7" })
  })
})

describe("representation negotiation", () => {
  const KUBECTL_GET = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"

  it("picks the first entry the server can produce for the request", () => {
    expect(representationOf(KUBECTL_GET, "list")).toEqual({ as: "Table", version: "v1", contentType: "application/json;as=Table;v=v1;g=meta.k8s.io" })
    expect(representationOf("application/json;as=Table;v=v1beta1;g=meta.k8s.io", "watch")).toMatchObject({ as: "Table", version: "v1beta1" })
    expect(representationOf("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json", "list")).toMatchObject({ as: "PartialObjectMetadataList" })
    expect(representationOf("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json", "object")).toEqual({ as: "Object", contentType: "application/json" })
    expect(representationOf("application/json;as=Table;v=v2;g=meta.k8s.io,application/json", "list")).toEqual({ as: "Object", contentType: "application/json" })
    expect(representationOf("application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io, */*", "list")).toEqual({ as: "Object", contentType: "application/json" })
    expect(representationOf("", "object")).toEqual({ as: "Object", contentType: "application/json" })
  })

  it("strips lists to metadata for PartialObjectMetadataList", () => {
    const scope = builtin("", "ConfigMap")
    const list = { apiVersion: "v1", kind: "ConfigMapList", metadata: { resourceVersion: "12" }, items: [{ metadata: meta("a"), data: { x: "1" } }] }
    const shown = represent(scope, list, representationOf("application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io", "list"), new URLSearchParams())
    expect(shown).toEqual({
      kind: "PartialObjectMetadataList",
      apiVersion: "meta.k8s.io/v1",
      metadata: { resourceVersion: "12" },
      items: [{ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: meta("a") }]
    })
  })
})

describe("ages", () => {
  it("read as Go's duration.HumanDuration", () => {
    const s = 1000
    const m = 60 * s
    const h = 60 * m
    const d = 24 * h
    const cases: ReadonlyArray<readonly [number, string]> = [
      [-5 * s, "<invalid>"],
      [-1 * s, "0s"],
      [0, "0s"],
      [119 * s, "119s"],
      [2 * m, "2m"],
      [150 * s, "2m30s"],
      [10 * m, "10m"],
      [179 * m, "179m"],
      [3 * h + 30 * m, "3h30m"],
      [8 * h, "8h"],
      [47 * h, "47h"],
      [48 * h, "2d"],
      [50 * h, "2d2h"],
      [8 * d, "8d"],
      [729 * d, "729d"],
      [730 * d, "2y"],
      [733 * d, "2y3d"],
      [9 * 365 * d, "9y"]
    ]
    for (const [ms, text] of cases) expect([ms, humanDuration(ms)]).toEqual([ms, text])
  })
})
