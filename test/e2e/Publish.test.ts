import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createSample, makeWorld, sampleSpec, untilReady } from "./World.ts"

describe("the operator end to end", () => {
  it.live("publishes an ExposedAPI: Ingress, APIM API with backend and policy, status with the URL", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        yield* world.startOperator()
        const path = "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4"
        yield* createSample(world, "default", "catalog", sampleSpec(world, "catalog", path))
        const ready = yield* untilReady(world, "default", "catalog")
        const gateway = world.azure.apim.gatewayUrl()
        expect(ready.status?.apiStatus?.url).toBe(`${gateway}${path}`)
        expect(ready.status?.implementation?.ready).toBe(true)
        expect(ready.metadata.finalizers).toContain("oda.tmforum.org/apim-operator")
        const ingress = world.kube.objects.get("networking.k8s.io/v1", "Ingress", "default", "catalog")
        expect(ingress?.["spec"]).toMatchObject({
          ingressClassName: "istio",
          rules: [{ http: { paths: [{ path, pathType: "Prefix", backend: { service: { name: "catalog-svc", port: { number: 8080 } } } }] } }]
        })
        const apis = world.azure.apim.listApis()
        expect(apis.length).toBe(1)
        const api = apis[0]
        expect(api?.properties).toMatchObject({
          path: path.slice(1),
          protocols: ["https"],
          serviceUrl: `http://10.240.0.10${path}`,
          authenticationSettings: { openid: { openidProviderId: "oda-entra-id" } }
        })
        expect(api?.operations.length).toBeGreaterThan(10)
        const policy = world.azure.apim.getApiPolicy(api?.name ?? "")?.value ?? ""
        expect(policy).toContain("rate-limit-by-key")
        expect(policy).toContain("validate-jwt")
        expect(policy).toContain("https://allowed-origin.com")
      })
    ))
})
