import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { componentCrd } from "./ComponentCrd.ts"
import { mergePatchExposedApi, uidOf } from "./ControlFixtures.ts"
import { createExposedApiWith, createImplementation, eventually, GROUP, makeWorld, sampleSpec, untilReady, type World } from "./World.ts"

const other = { name: "r1-catalog-other", uid: "0000-other", ready: true, url: "https://gateway.example/other", developerUI: "https://gateway.example/other/docs" }

const canvasStatus = {
  summary: { deployment_status: "In-Progress-CompCon" },
  coreAPIs: [{ name: "catalog", ready: false }, other],
  managementAPIs: [{ name: "r1-catalog-metrics", uid: "0000-metrics", ready: false }]
}

/** A Component as the Canvas's Component operator leaves it: an entry per ExposedAPI it created, not ready yet. */
const createComponent = (world: World, status: JsonObject, options: { readonly statusSubresource: boolean }) =>
  Effect.sync(() => {
    const created = world.kube.objects.create({
      apiVersion: `${GROUP}/v1`,
      kind: "Component",
      metadata: { name: "r1-catalog", namespace: "default" },
      spec: { coreFunction: { exposedAPIs: [{ name: "productcatalogmanagement" }, { name: "other" }] } },
      ...(options.statusSubresource ? {} : { status })
    })
    // with a status subresource, status given on create is dropped: the Component operator writes it through /status
    return options.statusSubresource
      ? world.kube.objects.patch(`${GROUP}/v1`, "Component", "default", "r1-catalog", "merge", { status }, { subresource: "status" })
      : created
  })

const componentOwner = (component: JsonObject) => {
  const metadata = isJsonObject(component["metadata"]) ? component["metadata"] : {}
  return { apiVersion: `${GROUP}/v1`, kind: "Component", name: "r1-catalog", uid: String(metadata["uid"]), controller: true, blockOwnerDeletion: true }
}

const componentStatus = (world: World): JsonObject => {
  const status = world.kube.objects.get(`${GROUP}/v1`, "Component", "default", "r1-catalog")?.["status"]
  return isJsonObject(status) ? status : {}
}

const entries = (world: World): ReadonlyArray<unknown> => {
  const list = componentStatus(world)["coreAPIs"]
  return Array.isArray(list) ? list : []
}

const catalogEntry = (world: World): JsonObject | undefined => entries(world).filter(isJsonObject).find((e) => e["name"] === "catalog")

const scenario = (options: { readonly statusSubresource: boolean }) =>
  Effect.gen(function*() {
    const world = yield* makeWorld
    world.kube.objects.create(componentCrd(options))
    const component = yield* createComponent(world, canvasStatus, options)
    yield* world.startOperator()
    yield* createImplementation(world, "default", "catalog-svc", { selector: { app: "catalog" }, ports: [{ port: 8080 }] })
    const spec = { ...sampleSpec(world, "catalog", "/r1-catalog/catalog"), developerUI: "/r1-catalog/catalog/docs" }
    yield* createExposedApiWith(world, "default", "catalog", spec, { ownerReferences: [componentOwner(component)] })
    yield* untilReady(world, "default", "catalog")
    const gateway = world.azure.apim.gatewayUrl()
    const reported = yield* eventually(Effect.sync(() => catalogEntry(world)), (e) => e?.["ready"] === true)
    expect(reported).toEqual({
      name: "catalog",
      ready: true,
      url: `${gateway}/r1-catalog/catalog`,
      developerUI: `${gateway}/r1-catalog/catalog/docs`
    })
    // the other entries, lists and fields are as the Component operator wrote them
    expect(entries(world)[1]).toEqual(other)
    expect(componentStatus(world)["managementAPIs"]).toEqual([{ name: "r1-catalog-metrics", uid: "0000-metrics", ready: false }])
    expect(componentStatus(world)["summary"]).toEqual({ deployment_status: "In-Progress-CompCon" })

    // the URL moves with the spec; the entry, now with the uid the Component operator adds, follows
    const uid = yield* uidOf(world, "default", "catalog")
    world.kube.objects.patch(`${GROUP}/v1`, "Component", "default", "r1-catalog", "merge", { status: { coreAPIs: [{ ...reported, uid }, other] } }, {
      subresource: options.statusSubresource ? "status" : undefined
    })
    yield* mergePatchExposedApi(world, "default", "catalog", { spec: { path: "/r1-catalog/catalog/v5" } })
    yield* eventually(Effect.sync(() => catalogEntry(world)?.["url"]), (url) => url === `${gateway}/r1-catalog/catalog/v5`)
    expect(catalogEntry(world)?.["uid"]).toBe(uid)
    expect(entries(world)[1]).toEqual(other)

    // written through /status exactly when the Component CRD declares the subresource
    const writes = world.kube.log.entries().filter((e) => e.method === "PATCH" && e.path.includes("/components/"))
    expect(writes.length).toBeGreaterThan(0)
    expect(writes.every((e) => e.path.endsWith("/status") === options.statusSubresource)).toBe(true)
  })

describe("the parent ODA Component", () => {
  it.live("hears url, developerUI and ready in its entry for the API (the Canvas's Component CRD: no status subresource)", () =>
    Effect.scoped(scenario({ statusSubresource: false })))

  it.live("goes through /status when the Component CRD declares it", () =>
    Effect.scoped(scenario({ statusSubresource: true })))

  it.live("is not written when it lists no entry for the API, and the ExposedAPI is published all the same", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        world.kube.objects.create(componentCrd())
        const status = { coreAPIs: [other] }
        const component = yield* createComponent(world, status, { statusSubresource: false })
        yield* world.startOperator()
        yield* createImplementation(world, "default", "catalog-svc", { selector: { app: "catalog" }, ports: [{ port: 8080 }] })
        yield* createExposedApiWith(world, "default", "catalog", sampleSpec(world, "catalog", "/catalog"), { ownerReferences: [componentOwner(component)] })
        yield* untilReady(world, "default", "catalog")
        expect(world.kube.log.entries().filter((e) => e.path.includes("/components/") && e.method !== "GET")).toEqual([])
        expect(componentStatus(world)).toEqual(status)
      })
    ))
})
