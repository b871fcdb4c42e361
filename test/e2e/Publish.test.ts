import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { makeWorld, type World } from "./World.ts"

const group = "oda.tmforum.org"

/** A Service, an EndpointSlice with one ready endpoint, and an ExposedAPI modelled on the ODA example. */
const publishSample = (world: World, namespace: string, name: string, path: string) =>
  Effect.promise(async () => {
    await world.core.createNamespacedService({ namespace, body: { metadata: { name: `${name}-svc` }, spec: { ports: [{ port: 8080 }] } } })
    await world.discovery.createNamespacedEndpointSlice({
      namespace,
      body: {
        metadata: { name: `${name}-svc-abc`, labels: { "kubernetes.io/service-name": `${name}-svc` } },
        addressType: "IPv4",
        endpoints: [{ addresses: ["10.1.0.5"], conditions: { ready: true } }],
        ports: [{ port: 8080 }]
      }
    })
    await world.custom.createNamespacedCustomObject({
      group,
      version: "v1",
      namespace,
      plural: "exposedapis",
      body: {
        apiVersion: `${group}/v1`,
        kind: "ExposedAPI",
        metadata: { name, labels: { "oda.tmforum.org/componentName": "r1-productcatalogmanagement" } },
        spec: {
          name: "productcatalogmanagement",
          specification: { url: `${world.documentsUrl}/tmf620.json`, version: "v4.0.0" },
          apiType: "openapi",
          implementation: `${name}-svc`,
          path,
          port: 8080,
          rateLimit: { enabled: true, identifier: "IP", limit: "100", interval: "pm" },
          CORS: { enabled: true, allowOrigins: "https://allowed-origin.com" }
        }
      }
    })
  })

const exposedApi = (world: World, namespace: string, name: string) =>
  Effect.promise(() => world.custom.getNamespacedCustomObject({ group, version: "v1", namespace, plural: "exposedapis", name }))

const readyCondition = (object: { status?: { conditions?: ReadonlyArray<{ type: string; status: string }> } }) =>
  object.status?.conditions?.find((c) => c.type === "Ready")?.status

/** Polls until the ExposedAPI is Ready (real time: the operator runs on the live clock). */
const untilReady = (world: World, namespace: string, name: string) =>
  exposedApi(world, namespace, name).pipe(
    Effect.filterOrFail((o) => readyCondition(o) === "True", () => "not ready yet"),
    Effect.retry(Schedule.spaced("50 millis")),
    Effect.timeout("20 seconds")
  )

describe("the operator end to end", () => {
  it.live("publishes an ExposedAPI: Ingress, APIM API with backend and policy, status with the URL", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        yield* world.startOperator()
        yield* publishSample(world, "default", "catalog", "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4")
        const ready = yield* untilReady(world, "default", "catalog")
        const gateway = world.azure.apim.gatewayUrl()
        expect(ready.status.apiStatus.url).toBe(`${gateway}/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4`)
        expect(ready.status.implementation.ready).toBe(true)
        expect(ready.metadata.finalizers).toContain("oda.tmforum.org/apim-operator")
        const apis = world.azure.apim.listApis()
        expect(apis.length).toBe(1)
        const policy = world.azure.apim.getApiPolicy(apis[0]?.name ?? "")
        expect(policy?.value).toContain("rate-limit-by-key")
        expect(policy?.value).toContain("validate-jwt")
        expect(policy?.value).toContain("https://allowed-origin.com")
      })
    ), 60_000)
})
