import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Redacted } from "effect"
import { makeAzureEmulator, type AzureEmulator } from "../../src/emulators/azure/AzureEmulator.ts"
import { Apim, make } from "../../src/services/Apim.ts"
import { productOfScope } from "../../src/services/ApimCatalog.ts"
import { clientSecretCredential } from "../emulators/azure/SdkClients.ts"

/** The Apim service (real SDK, real credential) over a fresh emulator holding one pass-through API, `orders`. */
const withCatalog = <A, E>(test: (azure: AzureEmulator) => Effect.Effect<A, E, Apim>) =>
  Effect.scoped(
    Effect.gen(function*() {
      const azure = yield* makeAzureEmulator()
      const apim = yield* make(clientSecretCredential(azure), {
        subscriptionId: azure.subscriptionId,
        resourceGroup: azure.resourceGroup,
        serviceName: azure.serviceName,
        endpoint: azure.armEndpoint,
        caPem: azure.caPem,
        pollIntervalMs: 10
      })
      yield* Effect.promise(() =>
        azure.apim.putApi("orders", { properties: { displayName: "Orders", path: "orders", serviceUrl: "https://10.0.0.1/orders", protocols: ["https"] } })
      )
      return yield* test(azure).pipe(Effect.provideService(Apim, apim))
    })
  )

const product = {
  displayName: "Component r1-orders",
  description: "[managed by oda-apim-operator] APIs of component r1-orders",
  subscriptionRequired: true,
  approvalRequired: false,
  state: "published" as const
}

const methods = (azure: AzureEmulator) => azure.logs.arm.entries().map((e) => e.method)

describe("Apim catalog operations", () => {
  it.live("products: absent, created, read back, replaced conditionally, deleted (twice)", () =>
    withCatalog((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        expect(Option.isNone(yield* apim.getProduct("oda-orders"))).toBe(true)
        const created = yield* apim.putProduct("oda-orders", product)
        expect(created).toMatchObject(product)
        expect(azure.apim.entities.get("products", "oda-orders")?.properties).toMatchObject({ state: "published", subscriptionRequired: true, approvalRequired: false })
        const read = yield* apim.getProduct("oda-orders")
        expect(Option.map(read, (p) => p.etag)).toEqual(Option.some(created.etag))
        const renamed = yield* apim.putProduct("oda-orders", { ...product, displayName: "Orders" }, created.etag)
        expect(renamed.displayName).toBe("Orders")
        const stale = yield* apim.putProduct("oda-orders", product, created.etag).pipe(Effect.flip)
        expect(stale._tag).toBe("ApimConflict")
        yield* apim.deleteProduct("oda-orders", renamed.etag)
        yield* apim.deleteProduct("oda-orders")
        expect(azure.apim.entities.get("products", "oda-orders")).toBeUndefined()
      })
    ))

  it.live("product links: HEAD says whether the API is in, PUT adds, list names it, DELETE removes (gone is fine)", () =>
    withCatalog((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        expect(yield* apim.isApiInProduct("oda-orders", "orders")).toBe(false) // no product at all
        expect(yield* apim.productApiIds("oda-orders")).toEqual(Option.none())
        yield* apim.putProduct("oda-orders", product)
        expect(yield* apim.isApiInProduct("oda-orders", "orders")).toBe(false)
        yield* apim.addApiToProduct("oda-orders", "orders")
        expect(azure.apim.entities.isProductApiLinked("oda-orders", "orders")).toBe(true)
        expect(yield* apim.isApiInProduct("oda-orders", "orders")).toBe(true)
        expect(yield* apim.productApiIds("oda-orders")).toEqual(Option.some(["orders"]))
        yield* apim.removeApiFromProduct("oda-orders", "orders")
        yield* apim.removeApiFromProduct("oda-orders", "orders")
        yield* apim.removeApiFromProduct("no-such-product", "orders")
        expect(yield* apim.productApiIds("oda-orders")).toEqual(Option.some([]))
        const missingApi = yield* apim.addApiToProduct("oda-orders", "no-such-api").pipe(Effect.flip)
        expect(missingApi._tag).toBe("ApimNotFound")
      })
    ))

  it.live("subscriptions: created active on a product, keys revealed Redacted, updated keeping keys, deleted (twice)", () =>
    withCatalog((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        yield* apim.putProduct("oda-orders", product)
        expect(Option.isNone(yield* apim.getSubscription("oda-orders-sub"))).toBe(true)
        const created = yield* apim.putSubscription("oda-orders-sub", { displayName: "ExposedAPI default/orders", productId: "oda-orders", state: "active" })
        expect(created).toMatchObject({ displayName: "ExposedAPI default/orders", productId: "oda-orders", state: "active" })
        const stored = azure.apim.entities.get("subscriptions", "oda-orders-sub")?.properties
        expect(stored?.["scope"]).toBe(`${azure.apim.serviceId}/products/oda-orders`)
        const keys = yield* apim.subscriptionKeys("oda-orders-sub")
        expect(Redacted.value(keys.primaryKey)).toBe(stored?.["primaryKey"])
        expect(Redacted.value(keys.secondaryKey)).toBe(stored?.["secondaryKey"])
        expect(String(keys.primaryKey)).not.toContain(String(stored?.["primaryKey"]))
        const updated = yield* apim.updateSubscription("oda-orders-sub", { displayName: "renamed", productId: "oda-orders", state: "active" }, created.etag)
        expect(updated.displayName).toBe("renamed")
        expect(Redacted.value((yield* apim.subscriptionKeys("oda-orders-sub")).primaryKey)).toBe(stored?.["primaryKey"])
        const stale = yield* apim.updateSubscription("oda-orders-sub", { displayName: "again", productId: "oda-orders", state: "active" }, created.etag).pipe(Effect.flip)
        expect(stale._tag).toBe("ApimConflict")
        yield* apim.deleteSubscription("oda-orders-sub")
        yield* apim.deleteSubscription("oda-orders-sub")
        expect(azure.apim.entities.get("subscriptions", "oda-orders-sub")).toBeUndefined()
        const noProduct = yield* apim.putSubscription("x", { displayName: "x", productId: "missing", state: "active" }).pipe(Effect.flip)
        expect(noProduct._tag).toBe("ApimInvalid")
      })
    ))

  it.live("a product with subscriptions is not deleted behind them", () =>
    withCatalog((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        yield* apim.putProduct("oda-orders", product)
        yield* apim.putSubscription("someone", { displayName: "someone's", productId: "oda-orders", state: "active" })
        const refused = yield* apim.deleteProduct("oda-orders").pipe(Effect.flip)
        expect(refused._tag).toBe("ApimInvalid")
        expect(azure.apim.entities.get("products", "oda-orders")).toBeDefined()
        expect(azure.apim.entities.get("subscriptions", "someone")).toBeDefined()
      })
    ))

  it.live("tags: created, assigned to an API, listed by API, detached (twice)", () =>
    withCatalog((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        expect(Option.isNone(yield* apim.getTag("oda-segment-corefunction"))).toBe(true)
        const tag = yield* apim.putTag("oda-segment-corefunction", "segment:coreFunction")
        expect(tag).toEqual({ id: "oda-segment-corefunction", displayName: "segment:coreFunction" })
        expect(yield* apim.getTag("oda-segment-corefunction")).toEqual(Option.some(tag))
        expect(yield* apim.apiTags("orders")).toEqual([])
        yield* apim.assignTag("orders", "oda-segment-corefunction")
        yield* apim.assignTag("orders", "oda-segment-corefunction")
        expect(yield* apim.apiTags("orders")).toEqual([tag])
        yield* apim.detachTag("orders", "oda-segment-corefunction")
        yield* apim.detachTag("orders", "oda-segment-corefunction")
        expect(yield* apim.apiTags("orders")).toEqual([])
        const missingTag = yield* apim.assignTag("orders", "no-such-tag").pipe(Effect.flip)
        expect(missingTag._tag).toBe("ApimNotFound")
        expect(azure.apim.counts()["apiTags"]).toBe(0)
      })
    ))

  it.live("policy fragments: absent, then found once created", () =>
    withCatalog((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        expect(Option.isNone(yield* apim.getPolicyFragment("canvas-defaults"))).toBe(true)
        azure.apim.entities.put("policyFragments", "canvas-defaults", {
          properties: { description: "Canvas defaults", format: "rawxml", value: "<fragment><set-header name=\"X-Canvas\" exists-action=\"override\"><value>1</value></set-header></fragment>" }
        })
        const found = yield* apim.getPolicyFragment("canvas-defaults")
        expect(Option.map(found, (f) => f.description)).toEqual(Option.some("Canvas defaults"))
        expect(methods(azure)).toEqual(["GET", "GET"])
      })
    ))

  it("productOfScope reads the product of a full or relative scope, and nothing else", () => {
    expect(productOfScope("/subscriptions/s/resourceGroups/g/providers/Microsoft.ApiManagement/service/x/products/oda-a")).toBe("oda-a")
    expect(productOfScope("/products/oda-a/")).toBe("oda-a")
    expect(productOfScope("/apis/orders")).toBeUndefined()
    expect(productOfScope(undefined)).toBeUndefined()
  })
})
