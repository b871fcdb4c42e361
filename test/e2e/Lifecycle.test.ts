import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { parse as parseYaml } from "yaml"
import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { readReference } from "../fixtures/Reference.ts"
import { mergePatchExposedApi } from "./ControlFixtures.ts"
import { conditionOf, createSample, eventually, getExposedApi, GROUP, makeWorldWith, readySample, sampleSpec, untilReady, withOperator, type World } from "./World.ts"

/** The ODA Canvas's own CRD, which checks less than ours: what the operator must report by itself. */
const canvasCrd = (): JsonObject => {
  const crd: unknown = parseYaml(readReference("oda/exposedapi-crd.yaml"))
  if (!isJsonObject(crd)) throw new Error("the reference CRD is not an object")
  return crd
}

const apimApi = (world: World, path: string) => world.azure.apim.listApis().find((a) => a.properties["path"] === path)

describe("the operator's lifecycle", () => {
  it.live("follows a spec change: the Ingress, APIM and the status move to the new path", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "catalog", "/catalog/v4")
        yield* mergePatchExposedApi(world, "default", "catalog", { spec: { path: "/catalog/v5" } })
        const moved = yield* eventually(getExposedApi(world, "default", "catalog"), (o) =>
          o.status?.apiStatus?.url?.endsWith("/catalog/v5") === true && conditionOf(o, "Ready")?.observedGeneration === o.metadata.generation)
        expect(conditionOf(moved, "Ready")?.status).toBe("True")
        expect(world.azure.apim.listApis().map((a) => a.properties["path"])).toEqual(["catalog/v5"])
        expect(apimApi(world, "catalog/v5")?.properties["serviceUrl"]).toBe("http://10.240.0.10/catalog/v5")
        const ingress = world.kube.objects.get("networking.k8s.io/v1", "Ingress", "default", "catalog")
        expect(JSON.stringify(ingress?.["spec"])).toContain("/catalog/v5")
      })
    ))

  it.live("publishes the same name in two namespaces as two APIs", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* createSample(world, "team-a", "catalog", sampleSpec(world, "catalog", "/team-a/catalog"))
        yield* createSample(world, "team-b", "catalog", sampleSpec(world, "catalog", "/team-b/catalog"))
        const a = yield* untilReady(world, "team-a", "catalog")
        const b = yield* untilReady(world, "team-b", "catalog")
        expect(a.status?.publication?.apiId).not.toBe(b.status?.publication?.apiId)
        expect(world.azure.apim.listApis().map((api) => api.properties["path"]).sort()).toEqual(["team-a/catalog", "team-b/catalog"])
      })
    ))

  it.live("reports implementation.ready false when the Service has no ready endpoint any more, and true again", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "catalog", "/catalog")
        const slice = (ready: boolean) =>
          Effect.sync(() =>
            world.kube.objects.patch("discovery.k8s.io/v1", "EndpointSlice", "default", "catalog-svc-abc", "merge", {
              endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready } }]
            })
          )
        yield* slice(false)
        const down = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => o.status?.implementation?.ready === false)
        expect(conditionOf(down, "ImplementationReady")).toMatchObject({ status: "False", reason: "NoReadyEndpoints" })
        yield* slice(true)
        yield* eventually(getExposedApi(world, "default", "catalog"), (o) => o.status?.implementation?.ready === true)
      })
    ))

  it.live("on delete, removes the API from APIM and the Ingress, and only then lets the resource go", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "catalog", "/catalog")
        expect(world.azure.apim.listApis().length).toBe(1)
        yield* Effect.promise(() => world.custom.deleteNamespacedCustomObject({ group: GROUP, version: "v1", namespace: "default", plural: "exposedapis", name: "catalog" }))
        yield* eventually(Effect.sync(() => world.kube.objects.get(`${GROUP}/v1`, "ExposedAPI", "default", "catalog")), (o) => o === undefined)
        expect(world.azure.apim.listApis()).toEqual([])
        expect(world.kube.objects.get("networking.k8s.io/v1", "Ingress", "default", "catalog")).toBeUndefined()
        // the APIM delete came before the finalizer was released
        const armDelete = world.azure.logs.arm.entries().findIndex((e) => e.method === "DELETE")
        expect(armDelete).toBeGreaterThanOrEqual(0)
      })
    ))

  it.live("keeps the finalizer while APIM cannot delete the API, and lets go once it can", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "catalog", "/catalog")
        const outage = world.azure.faults.arm.inject({ action: { kind: "status", status: 503, retryAfterSeconds: 0 }, method: "DELETE" })
        yield* Effect.promise(() => world.custom.deleteNamespacedCustomObject({ group: GROUP, version: "v1", namespace: "default", plural: "exposedapis", name: "catalog" }))
        yield* eventually(Effect.sync(() => outage.fired()), (n) => n >= 4)
        const held = yield* getExposedApi(world, "default", "catalog")
        expect(held.metadata.deletionTimestamp).toBeDefined()
        expect(held.metadata.finalizers).toContain("oda.tmforum.org/apim-operator")
        expect(world.azure.apim.listApis().length).toBe(1)
        outage.remove()
        yield* eventually(Effect.sync(() => world.kube.objects.get(`${GROUP}/v1`, "ExposedAPI", "default", "catalog")), (o) => o === undefined, "30 seconds")
        expect(world.azure.apim.listApis()).toEqual([])
      })
    ), 40_000)

  it.live("reports an invalid spec with a clear condition and a Warning Event, and publishes nothing", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorldWith({ crd: canvasCrd })
        yield* world.startOperator()
        // wrong in ways the Canvas's CRD lets through (ours refuses the path and the port): only the operator can tell
        yield* createSample(world, "default", "broken", {
          ...sampleSpec(world, "broken", "/broken"),
          path: "relative/path",
          port: 70000,
          CORS: { enabled: true, allowCredentials: true, allowOrigins: "*" }
        })
        const reported = yield* eventually(getExposedApi(world, "default", "broken"), (o) => conditionOf(o, "Ready")?.reason === "InvalidSpec")
        const ready = conditionOf(reported, "Ready")
        expect(ready?.status).toBe("False")
        expect(ready?.message).toContain("spec.path")
        expect(ready?.message).toContain("spec.port")
        expect(ready?.message).toContain("allowCredentials")
        const events = world.kube.objects.list("events.k8s.io/v1", "Event", "default").filter((e) => e["reason"] === "InvalidSpec")
        expect(events.length).toBe(1)
        expect(events[0]?.["type"]).toBe("Warning")
        expect(world.azure.apim.listApis()).toEqual([])
        expect(world.kube.objects.get("networking.k8s.io/v1", "Ingress", "default", "broken")).toBeUndefined()
      })
    ))
})
