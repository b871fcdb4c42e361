import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { makeAzureEmulator, type AzureEmulator } from "../../src/emulators/azure/AzureEmulator.ts"
import type { ApiDefinition } from "../../src/domain/ApiDefinition.ts"
import { Apim, layer, type ApimOptions } from "../../src/services/Apim.ts"
import { clientSecretCredential } from "../emulators/azure/SdkClients.ts"
import { readReference } from "../fixtures/Reference.ts"

const swagger = readReference("openapi/TMF620-ProductCatalog-v4.0.0.swagger.json")

/** A fresh Azure emulator per test and the Apim service over a real ClientSecretCredential. */
const withApim = <A, E>(test: (azure: AzureEmulator) => Effect.Effect<A, E, Apim>, options: Partial<ApimOptions> = {}) =>
  Effect.scoped(
    Effect.gen(function*() {
      const azure = yield* makeAzureEmulator()
      // the APIs below refer to this provider in their authentication settings, as the operator's do
      azure.apim.entities.put("openidConnectProviders", "entra", {
        properties: { displayName: "Entra ID", metadataEndpoint: `${azure.authorityHost}/${azure.tenantId}/v2.0/.well-known/openid-configuration`, clientId: azure.clientId }
      })
      const service = layer(clientSecretCredential(azure), {
        subscriptionId: azure.subscriptionId,
        resourceGroup: azure.resourceGroup,
        serviceName: azure.serviceName,
        endpoint: azure.armEndpoint,
        caPem: azure.caPem,
        pollIntervalMs: 10,
        ...options
      })
      return yield* test(azure).pipe(Effect.provide(service))
    })
  )

const definition = (path: string, document = true): ApiDefinition => ({
  displayName: "Product Catalog",
  path,
  serviceUrl: "https://10.0.0.1/catalog",
  protocols: ["https"],
  subscriptionRequired: false,
  openIdProviderId: "entra",
  ...(document ? { document: { format: "swagger-json", value: swagger } } : {})
})

const policy = "<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>"

describe("Apim service", () => {
  it.live("imports, reads back, updates conditionally and deletes an API", () =>
    withApim((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        expect((yield* apim.service()).gatewayUrl).toMatch(/^https:\/\//)
        expect(Option.isNone(yield* apim.getApi("catalog"))).toBe(true)
        const created = yield* apim.putApi("catalog", definition("catalog/v4"))
        expect(created).toMatchObject({ path: "catalog/v4", serviceUrl: "https://10.0.0.1/catalog", openIdProviderId: "entra" })
        expect(azure.apim.apiOperations("catalog")?.length).toBeGreaterThan(10)
        const read = yield* apim.getApi("catalog")
        expect(Option.map(read, (a) => a.etag)).toEqual(Option.some(created.etag))
        const updated = yield* apim.putApi("catalog", { ...definition("catalog/v4", false), serviceUrl: "https://10.0.0.2/catalog" }, created.etag)
        expect(updated.serviceUrl).toBe("https://10.0.0.2/catalog")
        const stale = yield* apim.putApi("catalog", definition("catalog/v4", false), created.etag).pipe(Effect.flip)
        expect(stale._tag).toBe("ApimConflict")
        yield* apim.deleteApi("catalog")
        yield* apim.deleteApi("catalog") // already gone: still fine
        expect(Option.isNone(yield* apim.getApi("catalog"))).toBe(true)
      })
    ))

  it.live("classifies an invalid document as ApimInvalid, not a retry", () =>
    withApim(() =>
      Effect.gen(function*() {
        const apim = yield* Apim
        const failure = yield* apim.putApi("bad", { ...definition("bad"), document: { format: "openapi+json", value: "{\"not\":\"openapi\"}" } }).pipe(Effect.flip)
        expect(failure._tag).toBe("ApimInvalid")
        expect(failure.retryable).toBe(false)
      })
    ))

  it.live("writes and reads the policy value (working around the SDK's XML deserialiser)", () =>
    withApim(() =>
      Effect.gen(function*() {
        const apim = yield* Apim
        yield* apim.putApi("p", definition("p", false))
        expect(Option.isNone(yield* apim.getPolicy("p"))).toBe(true)
        yield* apim.putPolicy("p", policy)
        const read = yield* apim.getPolicy("p")
        expect(Option.map(read, (p) => p.xml.replace(/\s+/g, ""))).toEqual(Option.some(policy.replace(/\s+/g, "")))
      })
    ))

  it.live("survives a 429 burst and a long-running operation in async mode", () =>
    withApim((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        azure.faults.arm.inject({ action: { kind: "status", status: 429, retryAfterSeconds: 0 }, times: 2 })
        azure.apim.lro.setMode("async")
        const created = yield* apim.putApi("slow", definition("slow"))
        expect(created.path).toBe("slow")
        expect(azure.logs.arm.entries().filter((e) => e.status === 429).length).toBe(2)
      })
    , { sdkMaxRetries: 3 }))

  it.live("paces writes to the budget: a burst beyond it waits instead of collecting 429s", () =>
    withApim((azure) =>
      Effect.gen(function*() {
        azure.throttle.configure({ writes: { capacity: 3, refillPerSecond: 20 } })
        const apim = yield* Apim
        yield* Effect.forEach([1, 2, 3, 4, 5, 6], (i) => apim.putApi(`api-${i}`, definition(`api-${i}`, false)), { concurrency: "unbounded" })
        expect(azure.logs.arm.entries().filter((e) => e.status === 429)).toEqual([])
        expect(azure.apim.listApis().length).toBe(6)
      })
    , { writeBudget: { burst: 3, perSecond: 20 }, sdkMaxRetries: 0 }))

  it.live("ensures the OpenID Connect provider idempotently", () =>
    withApim((azure) =>
      Effect.gen(function*() {
        const apim = yield* Apim
        const provider = { displayName: "Entra ID", metadataEndpoint: `${azure.authorityHost}/${azure.tenantId}/v2.0/.well-known/openid-configuration`, clientId: azure.clientId }
        yield* apim.ensureOpenIdProvider("entra", provider)
        azure.logs.arm.clear()
        yield* apim.ensureOpenIdProvider("entra", provider)
        expect(azure.logs.arm.entries().map((e) => e.method)).toEqual(["GET"])
      })
    ))
})
