import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse as parseYaml } from "yaml"
import { isJsonObject, type Json } from "../../../src/emulators/Json.ts"
import { apiGroup, apiGroupList, apiResourceList, coreVersions, versionInfo } from "../../../src/emulators/kube/Discovery.ts"
import { startKubeEmulator, type KubeEmulator } from "../../../src/emulators/kube/KubeEmulator.ts"
import { crdToResourceType, TypeRegistry } from "../../../src/emulators/kube/TypeRegistry.ts"
import { odaFile } from "./KubectlHarness.ts"

const registry = new TypeRegistry()
const parsed: Json = parseYaml(readFileSync(odaFile("exposedapi-crd.yaml"), "utf8"))
registry.register(crdToResourceType(isJsonObject(parsed) ? parsed : {}))

describe("legacy discovery documents", () => {
  it("/api lists the core version and where to reach it", () => {
    expect(coreVersions("127.0.0.1:6443")).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }]
    })
  })

  it("/apis lists every group once, its versions in kube's priority order, the first preferred", () => {
    const list = apiGroupList(registry)
    const groups = Array.isArray(list["groups"]) ? list["groups"] : []
    const names = groups.map((g: Json) => (isJsonObject(g) ? g["name"] ?? null : null))
    expect(names).toEqual([...new Set(names)].sort())
    expect(names).toEqual(expect.arrayContaining(["apps", "coordination.k8s.io", "discovery.k8s.io", "networking.k8s.io", "oda.tmforum.org", "rbac.authorization.k8s.io"]))
    expect(names).not.toContain("")
    expect(groups.find((g: Json) => isJsonObject(g) && g["name"] === "oda.tmforum.org")).toEqual({
      name: "oda.tmforum.org",
      versions: [
        { groupVersion: "oda.tmforum.org/v1", version: "v1" },
        { groupVersion: "oda.tmforum.org/v1beta4", version: "v1beta4" },
        { groupVersion: "oda.tmforum.org/v1beta3", version: "v1beta3" }
      ],
      preferredVersion: { groupVersion: "oda.tmforum.org/v1", version: "v1" }
    })
  })

  it("/apis/{group} describes one group; an unknown group has none", () => {
    expect(apiGroup(registry, "apps")).toMatchObject({ kind: "APIGroup", apiVersion: "v1", name: "apps", preferredVersion: { version: "v1" } })
    expect(apiGroup(registry, "nobody.example.com")).toBeUndefined()
  })

  it("/apis/{group}/{version} lists resources with kind, scope, verbs, short names and categories, plus status subresources", () => {
    expect(apiResourceList(registry, "oda.tmforum.org", "v1")).toEqual({
      kind: "APIResourceList",
      apiVersion: "v1",
      groupVersion: "oda.tmforum.org/v1",
      resources: [
        {
          name: "exposedapis",
          singularName: "exposedapi",
          namespaced: true,
          kind: "ExposedAPI",
          verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
        }
      ]
    })
    const core = apiResourceList(registry, "", "v1")
    const resources = Array.isArray(core?.["resources"]) ? core["resources"] : []
    expect(resources).toContainEqual(expect.objectContaining({ name: "services", kind: "Service", namespaced: true, shortNames: ["svc"], categories: ["all"] }))
    expect(resources).toContainEqual({ name: "services/status", singularName: "", namespaced: true, kind: "Service", verbs: ["get", "patch", "update"] })
    expect(resources).toContainEqual(expect.objectContaining({ name: "namespaces", namespaced: false, shortNames: ["ns"] }))
    expect(apiResourceList(registry, "oda.tmforum.org", "v9")).toBeUndefined()
  })

  it("/version reports a 1.32 server", () => {
    expect(versionInfo()).toMatchObject({ major: "1", minor: "32", gitVersion: expect.stringMatching(/^v1\.32\./) })
  })
})

describe("discovery over HTTP", () => {
  let emulator: KubeEmulator
  beforeAll(async () => {
    emulator = await startKubeEmulator()
  })
  afterAll(async () => emulator.close())

  /** What kubectl 1.32 asks first: aggregated discovery, with plain JSON as the last resort. */
  const AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

  it("answers an aggregated-discovery request with the legacy documents as plain JSON, so kubectl falls back to them", async () => {
    for (const [path, kind] of [["/api", "APIVersions"], ["/apis", "APIGroupList"]] as const) {
      const response = await fetch(`${emulator.url}${path}`, { headers: { accept: AGGREGATED } })
      expect(response.status).toBe(200)
      expect(response.headers.get("content-type")).toBe("application/json")
      expect(await response.json()).toMatchObject({ kind })
    }
  })

  it("serves a CRD's group as soon as the CRD is stored, and forgets it when the CRD goes", async () => {
    const crd: Json = parseYaml(readFileSync(odaFile("exposedapi-crd.yaml"), "utf8"))
    emulator.objects.create(isJsonObject(crd) ? crd : {})
    const served = await fetch(`${emulator.url}/apis/oda.tmforum.org/v1beta4`)
    expect(await served.json()).toMatchObject({ groupVersion: "oda.tmforum.org/v1beta4", resources: [{ name: "exposedapis" }] })
    emulator.objects.delete("apiextensions.k8s.io/v1", "CustomResourceDefinition", "", "exposedapis.oda.tmforum.org")
    const deadline = Date.now() + 5000
    let status = 200
    while (status === 200 && Date.now() < deadline) {
      status = (await fetch(`${emulator.url}/apis/oda.tmforum.org/v1beta4`)).status
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(status).toBe(404)
  })
})
