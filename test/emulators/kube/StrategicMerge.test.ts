import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { parse } from "yaml"
import { isJsonObject, type Json, type JsonObject } from "../../../src/emulators/Json.ts"
import { builtinTypes } from "../../../src/emulators/kube/BuiltinTypes.ts"
import { strategicMergePatch, strategicSchemas, type StrategicSchema } from "../../../src/emulators/kube/Patch.ts"
import { statusOf } from "./StatusOf.ts"

const yamlObject = (text: string): JsonObject => {
  const value: unknown = parse(text)
  if (!isJsonObject(value as Json)) throw new Error("fixture must be a map")
  return value as JsonObject
}

const schemaOf = (key: string): StrategicSchema => {
  const schema = strategicSchemas[key]
  if (schema === undefined) throw new Error(`no schema for ${key}`)
  return schema
}

/** The MergeItem test type of k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go. */
const mergeItem: StrategicSchema = {
  mergingList: { strategy: "merge", key: "name" },
  mergingIntList: { strategy: "merge" },
  "mergingList[].mergingList": { strategy: "merge", key: "name" },
  "mergingList[].mergingIntList": { strategy: "merge" },
  replacingItem: { strategy: "replace" },
  retainKeysMap: { strategy: "retainKeys" },
  "retainKeysMap.mergingList": { strategy: "merge", key: "name" },
  "retainKeysMap.mergingIntList": { strategy: "merge" },
  retainKeysMergingList: { strategy: "merge", key: "name" }
}

describe("strategic merge: upstream fixtures (strategicpatch/patch_test.go)", () => {
  it.each([
    [
      "merge lists of maps, ordered by $setElementOrder",
      "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}]",
      "{$setElementOrder/mergingList: [{name: 4}, {name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 4, value: 4}, {name: 3, value: 3}]}",
      "mergingList: [{name: 4, value: 4}, {name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]"
    ],
    [
      "delete items in lists of scalars",
      "mergingIntList: [1, 2, 3, 4]",
      "{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}",
      "mergingIntList: [1, 2, 4]"
    ],
    [
      "delete all duplicate items in lists of scalars",
      "mergingIntList: [1, 2, 3, 3, 4]",
      "{$setElementOrder/mergingIntList: [1, 2], $deleteFromPrimitiveList/mergingIntList: [3]}",
      "mergingIntList: [1, 2, 4]"
    ],
    [
      "add and delete items in lists of scalars",
      "mergingIntList: [1, 2, 3]",
      "{$setElementOrder/mergingIntList: [1, 2, 4], $deleteFromPrimitiveList/mergingIntList: [3], mergingIntList: [4]}",
      "mergingIntList: [1, 2, 4]"
    ],
    [
      "delete an item in a list and preserve order",
      "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
      "{$setElementOrder/mergingList: [{name: 2}, {name: 1}], mergingList: [{name: 3, $patch: delete}]}",
      "mergingList: [{name: 2, value: 2, other: b}, {name: 1, other: a}]"
    ],
    [
      "change an item in a list and preserve order",
      "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
      "{$setElementOrder/mergingList: [{name: 2}, {name: 3}, {name: 1}], mergingList: [{name: 3, value: x}]}",
      "mergingList: [{name: 2, value: 2, other: b}, {name: 3, value: x}, {name: 1, other: a}]"
    ],
    [
      "add and delete an item in a list and preserve order",
      "mergingList: [{name: 1, other: a}, {name: 2, value: 2, other: b}, {name: 3, value: 3}]",
      "{$setElementOrder/mergingList: [{name: 4}, {name: 2}, {name: 1}], mergingList: [{name: 4, value: 4}, {name: 3, $patch: delete}]}",
      "mergingList: [{name: 4, value: 4}, {name: 2, value: 2, other: b}, {name: 1, other: a}]"
    ],
    [
      "set elements order in a list with server-only items 3",
      "mergingList: [{name: 1, other: a}, {name: 2, value: 2}, {name: 7}, {name: 9}, {name: 8}, {name: 3, value: 3}, {name: 4, value: 4}]",
      "{$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}]}",
      "mergingList: [{name: 2, value: 2}, {name: 1, other: a}, {name: 7}, {name: 9}, {name: 8}, {name: 4, value: 4}, {name: 3, value: 3}]"
    ],
    [
      "set elements order in a int list with server-only items 2",
      "mergingIntList: [1, 2, 9, 3, 4]",
      "{$setElementOrder/mergingIntList: [2, 1, 4, 3]}",
      "mergingIntList: [2, 1, 9, 4, 3]"
    ],
    [
      "add multiple items in a int list and preserve order",
      "mergingIntList: [1, 2]",
      "{$setElementOrder/mergingIntList: [1, 4, 2, 3], mergingIntList: [4, 3]}",
      "mergingIntList: [1, 4, 2, 3]"
    ],
    [
      "behavior of set element order for a merging list with duplicate",
      "mergingList: [{name: 1}, {name: 2, value: dup1}, {name: 3}, {name: 2, value: dup2}, {name: 4}]",
      "{$setElementOrder/mergingList: [{name: 2}, {name: 1}, {name: 4}, {name: 3}, {name: 2}]}",
      "mergingList: [{name: 2, value: dup1}, {name: 2, value: dup2}, {name: 1}, {name: 4}, {name: 3}]"
    ],
    [
      "behavior of set element order for a merging int list with duplicate",
      "mergingIntList: [1, 2, 3, 2, 4]",
      "{$setElementOrder/mergingIntList: [2, 1, 4, 3, 2]}",
      "mergingIntList: [2, 2, 1, 4, 3]"
    ],
    [
      "retainKeys map should clear defaulted field with conflict (discriminated union)",
      "retainKeysMap: {name: type1, value: foo}",
      "retainKeysMap: {$retainKeys: [name, other], name: type2, other: bar}",
      "retainKeysMap: {name: type2, other: bar}"
    ],
    [
      "retainKeys map deletes a field and clears a field",
      "retainKeysMap: {name: foo, value: bar, other: a}",
      "retainKeysMap: {$retainKeys: [name], value: null}",
      "retainKeysMap: {name: foo}"
    ],
    [
      "preserve the order from the patch in a merging list 2",
      "mergingList: [{name: 1}, {name: 2, value: b}, {name: 3}]",
      "mergingList: [{name: 3, value: c}, {name: 1, value: a}]",
      "mergingList: [{name: 2, value: b}, {name: 3, value: c}, {name: 1, value: a}]"
    ],
    ["preserve the order from the patch in a merging int list", "mergingIntList: [1, 2, 3]", "mergingIntList: [3, 1]", "mergingIntList: [2, 3, 1]"],
    ["unique scalars when merging lists", "mergingIntList: [1, 2]", "mergingIntList: [2, 3]", "mergingIntList: [1, 2, 3]"],
    ["delete all items from merging list", "mergingList: [{name: 1}, {name: 2}]", "mergingList: [{$patch: replace}]", "mergingList: []"],
    ["delete map from nested map", "simpleMap: {key1: 1, key2: 1}", "simpleMap: {$patch: delete}", "simpleMap: {}"],
    ["add key and delete all keys from map", "{name: 1, value: 1}", "{other: a, $patch: replace}", "other: a"],
    [
      "delete all duplicate entries in a merging list",
      "mergingList: [{name: 1}, {name: 1}, {name: 2, value: a}, {name: 3}, {name: 3}]",
      "mergingList: [{name: 1, $patch: delete}, {name: 3, $patch: delete}]",
      "mergingList: [{name: 2, value: a}]"
    ],
    ["replace list of scalars", "nonMergingIntList: [1, 2]", "nonMergingIntList: [2, 3]", "nonMergingIntList: [2, 3]"]
  ])("%s", (_name, current, patch, result) => {
    expect(strategicMergePatch(yamlObject(current), yamlObject(patch), mergeItem)).toEqual(yamlObject(result))
  })

  it("rejects a patch list out of $setElementOrder order", () => {
    const status = statusOf(() =>
      strategicMergePatch(
        yamlObject("mergingList: [{name: 1}, {name: 3}, {name: 2}]"),
        yamlObject("{$setElementOrder/mergingList: [{name: 1}, {name: 2}, {name: 3}], mergingList: [{name: 3, value: 3}, {name: 1, value: 1}]}"),
        mergeItem
      )
    )
    expect(status.code).toBe(500)
    expect(status.message).toContain("doesn't match $setElementOrder list")
  })

  it("rejects a list element without its merge key", () => {
    expect(statusOf(() => strategicMergePatch(yamlObject("mergingList: [{name: 1, value: a}]"), yamlObject("mergingList: [{value: b}]"), mergeItem))).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "map: map[value:b] does not contain declared merge key: name",
      code: 500
    })
  })
})

const service = yamlObject(`
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: ns1, labels: {app: web, tier: front}, finalizers: [a.example.com/x, b.example.com/y]}
spec:
  selector: {app: web}
  externalIPs: [10.0.0.1, 10.0.0.2]
  ports:
  - {name: http, port: 80, targetPort: 8080, protocol: TCP}
  - {name: https, port: 443, targetPort: 8443, protocol: TCP}
`)

describe("strategic merge of built-in kinds", () => {
  const svc = schemaOf("/Service")

  it("merges Service ports by port and keeps the others", () => {
    const merged = strategicMergePatch(service, { spec: { ports: [{ port: 443, targetPort: 9443 }] } }, svc)
    expect(merged["spec"]).toMatchObject({
      ports: [
        { name: "http", port: 80, targetPort: 8080, protocol: "TCP" },
        { name: "https", port: 443, targetPort: 9443, protocol: "TCP" }
      ]
    })
  })

  it("puts a new port before the server-only ones, as mergeSortedSlice does", () => {
    const merged = strategicMergePatch(service, { spec: { ports: [{ name: "metrics", port: 9090 }] } }, svc)
    expect(merged).toMatchObject({ spec: { ports: [{ port: 9090 }, { port: 80 }, { port: 443 }] } })
  })

  it("deletes a port with $patch: delete and replaces the list with $patch: replace", () => {
    expect(strategicMergePatch(service, { spec: { ports: [{ port: 80, $patch: "delete" }] } }, svc)).toMatchObject({
      spec: { ports: [{ name: "https", port: 443, targetPort: 8443, protocol: "TCP" }] }
    })
    const replaced = strategicMergePatch(service, { spec: { ports: [{ $patch: "replace" }, { port: 8080, name: "alt" }] } }, svc)
    expect(replaced).toMatchObject({ spec: { ports: [{ port: 8080, name: "alt" }] } })
  })

  it("replaces atomic lists and merges maps, null deleting", () => {
    const merged = strategicMergePatch(service, { metadata: { labels: { tier: null, team: "x" } }, spec: { externalIPs: ["10.0.0.9"] } }, svc)
    expect(merged).toMatchObject({ metadata: { labels: { app: "web", team: "x" } }, spec: { externalIPs: ["10.0.0.9"], selector: { app: "web" } } })
    expect(merged).not.toHaveProperty("metadata.labels.tier")
  })

  it("takes finalizers as a set union, the patch's new ones first", () => {
    const merged = strategicMergePatch(service, { metadata: { finalizers: ["c.example.com/z", "a.example.com/x"] } }, svc)
    expect(merged).toMatchObject({ metadata: { finalizers: ["c.example.com/z", "a.example.com/x", "b.example.com/y"] } })
  })

  it("cannot clear a merge list with an empty list, only with null or $patch: replace", () => {
    expect(strategicMergePatch(service, { metadata: { finalizers: [] } }, svc)).toMatchObject({
      metadata: { finalizers: ["a.example.com/x", "b.example.com/y"] }
    })
    expect(strategicMergePatch(service, { metadata: { finalizers: null } }, svc)["metadata"]).not.toHaveProperty("finalizers")
    expect(strategicMergePatch(service, { spec: { ports: [{ $patch: "replace" }] } }, svc)).toMatchObject({ spec: { ports: [] } })
  })

  it("removes finalizers with $deleteFromPrimitiveList", () => {
    const merged = strategicMergePatch(service, { metadata: { "$deleteFromPrimitiveList/finalizers": ["a.example.com/x"] } }, svc)
    expect(merged).toMatchObject({ metadata: { finalizers: ["b.example.com/y"] } })
    expect(merged["metadata"]).not.toHaveProperty("$deleteFromPrimitiveList/finalizers")
  })

  it("keeps kube-apiserver's quirk: deleting from an absent primitive list sets it", () => {
    const merged = strategicMergePatch({ metadata: { name: "a" } }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] } }, svc)
    expect(merged).toEqual({ metadata: { name: "a", finalizers: ["x"] } })
  })

  it("merges ownerReferences by uid", () => {
    const owned = { metadata: { ownerReferences: [{ uid: "u1", name: "a", kind: "Foo" }, { uid: "u2", name: "b", kind: "Foo" }] } }
    const merged = strategicMergePatch(owned, { metadata: { ownerReferences: [{ uid: "u2", controller: true }] } }, svc)
    expect(merged).toEqual({ metadata: { ownerReferences: [{ uid: "u1", name: "a", kind: "Foo" }, { uid: "u2", name: "b", kind: "Foo", controller: true }] } })
  })

  it("replaces and deletes whole maps with $patch", () => {
    expect(strategicMergePatch(service, { spec: { selector: { $patch: "replace", app: "api" } } }, svc)).toMatchObject({ spec: { selector: { app: "api" } } })
    expect(strategicMergePatch(service, { metadata: { labels: { $patch: "delete" } } }, svc)).toMatchObject({ metadata: { labels: {} } })
  })

  it("replaces maps whose strategy is replace (PodDisruptionBudget spec.selector)", () => {
    const pdb = { spec: { selector: { matchLabels: { app: "web" } }, minAvailable: 1 } }
    expect(strategicMergePatch(pdb, { spec: { selector: { matchLabels: { app: "api" } } } }, schemaOf("policy/PodDisruptionBudget"))).toEqual({
      spec: { selector: { matchLabels: { app: "api" } }, minAvailable: 1 }
    })
  })

  it("leaves no directive keys or nulls behind in values it takes whole", () => {
    const merged = strategicMergePatch({}, { spec: { ports: [{ port: 1, $patch: "delete" }], selector: { a: null, b: "x", $retainKeys: ["b"] } } }, svc)
    expect(merged).toEqual({ spec: { ports: [{ port: 1 }], selector: { b: "x" } } })
  })

  it("treats every list of kinds without merge lists as atomic (Ingress rules, EndpointSlice endpoints)", () => {
    const ingress = { spec: { rules: [{ host: "a" }, { host: "b" }], tls: [{ hosts: ["a"] }] } }
    expect(strategicMergePatch(ingress, { spec: { rules: [{ host: "c" }] } }, schemaOf("networking.k8s.io/Ingress"))).toEqual({
      spec: { rules: [{ host: "c" }], tls: [{ hosts: ["a"] }] }
    })
    const slice = { endpoints: [{ addresses: ["10.0.0.1"] }], ports: [{ port: 80 }] }
    expect(strategicMergePatch(slice, { endpoints: [{ addresses: ["10.0.0.2"] }] }, schemaOf("discovery.k8s.io/EndpointSlice"))).toEqual({
      endpoints: [{ addresses: ["10.0.0.2"] }],
      ports: [{ port: 80 }]
    })
  })
})

const deployment = yamlObject(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1}}
  template:
    metadata: {labels: {app: web}}
    spec:
      volumes: [{name: config, configMap: {name: web}}]
      containers:
      - name: app
        image: web:1
        args: [--a, --b]
        env: [{name: MODE, value: prod}, {name: LEVEL, value: info}]
        ports: [{containerPort: 8080, name: http}]
        volumeMounts: [{name: config, mountPath: /etc/web}]
      - name: sidecar
        image: proxy:1
status:
  conditions: [{type: Available, status: "True"}, {type: Progressing, status: "True"}]
`)

describe("strategic merge of a Deployment", () => {
  const schema = schemaOf("apps/Deployment")
  const containers = (object: JsonObject): Json => {
    const spec = object["spec"]
    const template = isJsonObject(spec) ? spec["template"] : undefined
    const podSpec = isJsonObject(template) ? template["spec"] : undefined
    return isJsonObject(podSpec) ? (podSpec["containers"] ?? null) : null
  }

  it("merges containers by name and their env by name; args stay atomic", () => {
    const merged = strategicMergePatch(
      deployment,
      { spec: { template: { spec: { containers: [{ name: "app", image: "web:2", args: ["--c"], env: [{ name: "LEVEL", value: "debug" }] }] } } } },
      schema
    )
    expect(containers(merged)).toEqual([
      {
        name: "app",
        image: "web:2",
        args: ["--c"],
        env: [{ name: "MODE", value: "prod" }, { name: "LEVEL", value: "debug" }],
        ports: [{ containerPort: 8080, name: "http" }],
        volumeMounts: [{ name: "config", mountPath: "/etc/web" }]
      },
      { name: "sidecar", image: "proxy:1" }
    ])
  })

  it("deletes an env var, adds a port and a mount by their merge keys", () => {
    const merged = strategicMergePatch(
      deployment,
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: "app",
                  env: [{ name: "MODE", $patch: "delete" }],
                  ports: [{ containerPort: 9090, name: "metrics" }],
                  volumeMounts: [{ mountPath: "/etc/web", readOnly: true }]
                }
              ]
            }
          }
        }
      },
      schema
    )
    expect(containers(merged)).toMatchObject([
      {
        name: "app",
        env: [{ name: "LEVEL", value: "info" }],
        ports: [{ containerPort: 9090, name: "metrics" }, { containerPort: 8080, name: "http" }],
        volumeMounts: [{ name: "config", mountPath: "/etc/web", readOnly: true }]
      },
      { name: "sidecar" }
    ])
  })

  it("orders containers by $setElementOrder and merges status conditions by type", () => {
    const merged = strategicMergePatch(
      deployment,
      {
        spec: { template: { spec: { "$setElementOrder/containers": [{ name: "sidecar" }, { name: "app" }], containers: [{ name: "sidecar", image: "proxy:2" }] } } },
        status: { conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable" }] }
      },
      schema
    )
    expect(containers(merged)).toMatchObject([{ name: "sidecar", image: "proxy:2" }, { name: "app", image: "web:1" }])
    expect(merged["status"]).toEqual({
      conditions: [{ type: "Available", status: "False", reason: "MinimumReplicasUnavailable" }, { type: "Progressing", status: "True" }]
    })
  })

  it("clears the other strategy keys with $retainKeys (what kubectl sends for spec.strategy)", () => {
    const merged = strategicMergePatch(deployment, { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null } } }, schema)
    expect(merged).toMatchObject({ spec: { strategy: { type: "Recreate" } } })
    expect(merged).not.toHaveProperty("spec.strategy.rollingUpdate")
  })
})

describe("strategic merge errors", () => {
  const svc = schemaOf("/Service")
  it.each([
    ["a $retainKeys that is not a list", { spec: { $retainKeys: "ports" } }, 400, "BadRequest", "invalid patch format of retainKeys"],
    ["a key outside $retainKeys", { spec: { $retainKeys: ["type"], selector: { a: "b" } } }, 400, "BadRequest", "invalid patch format of retainKeys"],
    ["a malformed delete list key", { metadata: { $deleteFromPrimitiveListfinalizers: ["a"] } }, 400, "BadRequest", "invalid patch format of primitive list"],
    ["a malformed order key", { metadata: { $setElementOrder: ["a"] } }, 400, "BadRequest", "invalid patch format of setElementOrder list"],
    ["an order that is not a list", { metadata: { "$setElementOrder/finalizers": "a" } }, 500, undefined, "expected a []interface {}, but received a string"],
    ["a port without its merge key", { spec: { ports: [{ targetPort: 8080 }] } }, 500, undefined, "map: map[targetPort:8080] does not contain declared merge key: port"],
    ["$patch: merge in a list", { spec: { ports: [{ $patch: "merge" }] } }, 500, undefined, "merging lists cannot yet be specified in the patch"],
    ["an unknown $patch", { spec: { selector: { $patch: "foo", a: 1 } } }, 500, undefined, "unknown patch type: foo in map: map[$patch:foo a:1]"],
    ["mixed element types", { metadata: { finalizers: [1] } }, 500, undefined, "list element types are not identical: [[a.example.com/x b.example.com/y] [1]]"],
    ["a list of lists", { metadata: { finalizers: [["a"]] } }, 422, "Invalid", "the server rejected our request due to an error in our request"]
  ] as ReadonlyArray<readonly [string, JsonObject, number, string | undefined, string]>)("%s", (_name, patch, code, reason, message) => {
    const target = _name === "a list of lists" ? { metadata: { finalizers: [] } } : service
    const status = statusOf(() => strategicMergePatch(target, patch, svc))
    expect(status).toMatchObject({ code, message })
    expect(status.reason).toBe(reason)
  })
})

describe("strategic merge schemas", () => {
  it("cover every built-in kind the emulator serves, each with ObjectMeta's strategies", () => {
    for (const type of builtinTypes) {
      const key = type.strategicKey ?? `${type.group}/${type.kind}`
      expect(strategicSchemas[key], key).toMatchObject({
        "metadata.finalizers": { strategy: "merge" },
        "metadata.ownerReferences": { strategy: "merge", key: "uid" }
      })
    }
  })
})

describe("strategic merge properties", () => {
  const key = fc.constantFrom("name", "value", "other", "mergingList", "mergingIntList", "nonMergingIntList", "simpleMap")
  const scalar = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom("a", "b"))
  const element = fc.record({ name: fc.integer({ min: 0, max: 3 }), value: scalar }, { requiredKeys: ["name"] })
  const document = fc.record(
    {
      name: scalar,
      mergingList: fc.array(element, { maxLength: 4 }),
      mergingIntList: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
      nonMergingIntList: fc.array(fc.integer(), { maxLength: 3 }),
      simpleMap: fc.dictionary(key, scalar)
    },
    { requiredKeys: [] }
  )
  const directiveElement = fc.oneof(element, fc.record({ name: fc.integer({ min: 0, max: 3 }), $patch: fc.constant("delete") }))
  const patch = fc.record(
    {
      name: fc.oneof(scalar, fc.constant(null)),
      mergingList: fc.array(directiveElement, { maxLength: 3 }),
      mergingIntList: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      "$deleteFromPrimitiveList/mergingIntList": fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }),
      simpleMap: fc.oneof(fc.dictionary(key, fc.oneof(scalar, fc.constant(null))), fc.constant(null))
    },
    { requiredKeys: [] }
  )

  it("property: never mutates its arguments and never leaves directives in the result", () => {
    fc.assert(
      fc.property(document, patch, (target, p) => {
        const before = JSON.stringify([target, p])
        const merged = strategicMergePatch(target, p, mergeItem)
        expect(JSON.stringify([target, p])).toBe(before)
        expect(JSON.stringify(merged)).not.toContain("$")
      })
    )
  })

  it("property: merging a document into itself (no directives) changes nothing but order-free sets", () => {
    fc.assert(
      fc.property(document, (target) => {
        const unique = { ...target, ...(target.mergingIntList === undefined ? {} : { mergingIntList: [...new Set(target.mergingIntList)] }) }
        const names = (unique.mergingList ?? []).map((e) => e.name)
        fc.pre(new Set(names).size === names.length)
        expect(strategicMergePatch(unique, unique, mergeItem)).toEqual(unique)
      })
    )
  })
})
