import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId, apimComponentProductId } from "../../src/domain/ApiNaming.ts"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { conditionOf, createSample, eventually, getExposedApi, GROUP, sampleSpec, untilReady, withOperator, type World } from "./World.ts"

const COMPONENT = "r1-productcatalogmanagement"

const mergePatch = (world: World, name: string, body: JsonObject) =>
  Effect.sync(() => world.kube.objects.patch(`${GROUP}/v1`, "ExposedAPI", "default", name, "merge", body))

const secretOf = (world: World, name: string) => world.kube.objects.get("v1", "Secret", "default", `${name}-api-key`)

const decoded = (secret: JsonObject | undefined): Record<string, string> => {
  const data = secret?.["data"]
  return typeof data === "object" && data !== null && !Array.isArray(data)
    ? Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(String(v), "base64").toString("utf8")]))
    : {}
}

const subscriptionOf = (world: World, name: string) => world.azure.apim.entities.get("subscriptions", apimApiId("default", name))

const withKeys = (world: World, name: string, apiKeyVerification: JsonObject = { enabled: true }) => ({
  ...sampleSpec(world, name, `/${name}`),
  apiKeyVerification
})

const deleteExposedApi = (world: World, name: string) =>
  Effect.promise(() => world.custom.deleteNamespacedCustomObject({ group: GROUP, version: "v1", namespace: "default", plural: "exposedapis", name })).pipe(
    Effect.zipRight(eventually(Effect.sync(() => world.kube.objects.get(`${GROUP}/v1`, "ExposedAPI", "default", name)), (o) => o === undefined))
  )

describe("apiKeyVerification end to end", () => {
  it.live("puts the API in its Component's product, subscribes, and hands the keys over in a Secret owned by the ExposedAPI", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "catalog", withKeys(world, "catalog", { enabled: true, location: "header" }))
        const ready = yield* untilReady(world, "default", "catalog")
        const productId = apimComponentProductId("default", COMPONENT)
        const product = world.azure.apim.entities.get("products", productId)
        expect(product?.properties).toMatchObject({ subscriptionRequired: true, approvalRequired: false, state: "published" })
        expect(String(product?.properties["displayName"])).toContain(COMPONENT)
        expect(world.azure.apim.entities.isProductApiLinked(productId, apimApiId("default", "catalog"))).toBe(true)
        const subscription = subscriptionOf(world, "catalog")
        expect(subscription?.properties).toMatchObject({ state: "active", scope: `${world.azure.apim.serviceId}/products/${productId}` })
        const secret = secretOf(world, "catalog")
        expect(decoded(secret)).toEqual({
          primaryKey: subscription?.properties["primaryKey"],
          secondaryKey: subscription?.properties["secondaryKey"],
          headerName: "Ocp-Apim-Subscription-Key",
          queryParameterName: "subscription-key",
          url: ready.status?.apiStatus?.url
        })
        expect(JSON.stringify(secret?.["metadata"])).toContain('"controller":true')
        expect(secret?.["metadata"]).toMatchObject({ labels: { "oda.tmforum.org/componentName": COMPONENT, "app.kubernetes.io/managed-by": "oda-apim-operator" } })
        // the gateway asks for the key where the Secret says
        const api = world.azure.apim.getApi(apimApiId("default", "catalog"))
        expect(api?.properties).toMatchObject({ subscriptionRequired: true, subscriptionKeyParameterNames: { header: "Ocp-Apim-Subscription-Key" } })
        // no key material in Events or in the ExposedAPI
        const events = JSON.stringify(world.kube.objects.list("events.k8s.io/v1", "Event", "default"))
        expect(events).not.toContain(String(subscription?.properties["primaryKey"]))
        expect(JSON.stringify(yield* getExposedApi(world, "default", "catalog"))).not.toContain(String(subscription?.properties["primaryKey"]))
      })
    ))

  it.live("turned off: the API leaves the product, the subscription and the Secret go, and the emptied product too", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "catalog", withKeys(world, "catalog"))
        yield* untilReady(world, "default", "catalog")
        yield* mergePatch(world, "catalog", { spec: { apiKeyVerification: { enabled: false } } })
        yield* eventually(Effect.sync(() => secretOf(world, "catalog")), (s) => s === undefined)
        yield* eventually(getExposedApi(world, "default", "catalog"), (o) =>
          conditionOf(o, "Ready")?.status === "True" && conditionOf(o, "Ready")?.observedGeneration === o.metadata.generation)
        expect(subscriptionOf(world, "catalog")).toBeUndefined()
        expect(world.azure.apim.entities.list("products")).toEqual([])
        expect(world.azure.apim.getApi(apimApiId("default", "catalog"))?.properties["subscriptionRequired"]).toBe(false)
      })
    ))

  it.live("on deletion, removes each ExposedAPI's subscription and Secret, and the product with the last API of the Component", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "catalog", withKeys(world, "catalog"))
        yield* createSample(world, "default", "ordering", withKeys(world, "ordering"))
        yield* untilReady(world, "default", "catalog")
        yield* untilReady(world, "default", "ordering")
        const productId = apimComponentProductId("default", COMPONENT)
        expect(world.azure.apim.entities.list("products").map((p) => p.name)).toEqual([productId])
        expect(world.azure.apim.entities.list("subscriptions").length).toBe(2)
        yield* deleteExposedApi(world, "catalog")
        expect(subscriptionOf(world, "catalog")).toBeUndefined()
        expect(secretOf(world, "catalog")).toBeUndefined()
        expect(world.azure.apim.entities.get("products", productId)).toBeDefined() // ordering is still in it
        expect(world.azure.apim.entities.isProductApiLinked(productId, apimApiId("default", "ordering"))).toBe(true)
        yield* deleteExposedApi(world, "ordering")
        expect(world.azure.apim.entities.list("subscriptions")).toEqual([])
        expect(world.azure.apim.entities.list("products")).toEqual([])
        expect(world.kube.objects.list("v1", "Secret", "default")).toEqual([])
      })
    ))

  it.live("follows the keys when they are regenerated in APIM, and the product when the Component changes", () =>
    withOperator({ resyncInterval: "300 millis" }, (world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "catalog", withKeys(world, "catalog", { enabled: true, location: "query" }))
        yield* untilReady(world, "default", "catalog")
        expect(decoded(secretOf(world, "catalog"))["queryParameterName"]).toBe("subscription-key")
        const regenerated = world.azure.apim.entities.regenerateKey(apimApiId("default", "catalog"), "primaryKey")
        expect(regenerated.ok).toBe(true)
        const fresh = String(subscriptionOf(world, "catalog")?.properties["primaryKey"])
        yield* eventually(Effect.sync(() => decoded(secretOf(world, "catalog"))["primaryKey"]), (key) => key === fresh)

        yield* mergePatch(world, "catalog", { metadata: { labels: { "oda.tmforum.org/componentName": "r2-catalog" } } })
        const moved = apimComponentProductId("default", "r2-catalog")
        yield* eventually(Effect.sync(() => world.azure.apim.entities.list("products").map((p) => p.name)), (ids) => ids.length === 1 && ids[0] === moved)
        expect(world.azure.apim.entities.isProductApiLinked(moved, apimApiId("default", "catalog"))).toBe(true)
        expect(String(subscriptionOf(world, "catalog")?.properties["scope"])).toMatch(new RegExp(`/products/${moved}$`))
        yield* eventually(Effect.sync(() => secretOf(world, "catalog")), (s) => JSON.stringify(s).includes('"oda.tmforum.org/componentName":"r2-catalog"'))
      })
    ))

  it.live("never takes over a Secret of the same name that something else owns", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* Effect.promise(() =>
          world.core.createNamespacedSecret({ namespace: "default", body: { metadata: { name: "catalog-api-key" }, stringData: { mine: "yes" } } })
        )
        yield* createSample(world, "default", "catalog", withKeys(world, "catalog"))
        const blocked = yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "PoliciesApplied")?.reason === "ApiKeySecretConflict")
        expect(conditionOf(blocked, "Ready")?.status).toBe("False")
        expect(decoded(secretOf(world, "catalog"))).toEqual({ mine: "yes" })
        // the API and its subscription are published all the same; only the keys wait for the name
        expect(world.azure.apim.getApi(apimApiId("default", "catalog"))).toBeDefined()
        expect(subscriptionOf(world, "catalog")).toBeDefined()
        const warnings = world.kube.objects.list("events.k8s.io/v1", "Event", "default").filter((e) => e["reason"] === "ApiKeySecretConflict")
        expect(warnings).toHaveLength(1)
      })
    ))

  it.live("re-creates the link and subscription someone removed (drift mode correct), and only reports it in report-only", () =>
    withOperator({ resyncInterval: "300 millis" }, (world) =>
      Effect.gen(function*() {
        yield* createSample(world, "default", "fixed", withKeys(world, "fixed"))
        yield* createSample(world, "default", "watched", withKeys(world, "watched"))
        yield* mergePatch(world, "watched", { metadata: { annotations: { "oda.tmforum.org/drift-mode": "report-only" } } })
        yield* untilReady(world, "default", "fixed")
        yield* untilReady(world, "default", "watched")
        const productId = apimComponentProductId("default", COMPONENT)
        for (const name of ["fixed", "watched"]) {
          world.azure.apim.entities.unlinkProductApi(productId, apimApiId("default", name))
          world.azure.apim.entities.delete("subscriptions", apimApiId("default", name), { ifMatch: "*" })
        }
        yield* eventually(Effect.sync(() => subscriptionOf(world, "fixed")), (s) => s !== undefined)
        yield* eventually(Effect.sync(() => decoded(secretOf(world, "fixed"))["primaryKey"]), (key) => key === subscriptionOf(world, "fixed")?.properties["primaryKey"])
        // a resync that read the link before it was removed and the subscription after puts the link back one resync later
        yield* eventually(Effect.sync(() => world.azure.apim.entities.isProductApiLinked(productId, apimApiId("default", "fixed"))), (linked) => linked)

        const reported = yield* eventually(getExposedApi(world, "default", "watched"), (o) => conditionOf(o, "InSync")?.reason === "DriftDetected")
        expect(conditionOf(reported, "InSync")?.message).toContain(`subscription ${apimApiId("default", "watched")} is missing`)
        expect(conditionOf(reported, "InSync")?.message).toContain("was taken out of product")
        expect(subscriptionOf(world, "watched")).toBeUndefined()
        expect(world.azure.apim.entities.isProductApiLinked(productId, apimApiId("default", "watched"))).toBe(false)
      })
    ))
})
