import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { conditionOf, makeWorld, makeWorldWith, readySample, withOperator, withStatusSubresource, type World } from "./World.ts"

describe("the operator end to end", () => {
  it.live("publishes an ExposedAPI: Ingress, APIM API with backend and policy, status with the URL", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        const path = "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4"
        const ready = yield* readySample(world, "default", "catalog", path)
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

describe("status writes", () => {
  it.live("go to /status when the CRD declares the subresource, and through the main resource when it does not", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const withSubresource = yield* makeWorldWith({ crd: withStatusSubresource })
        yield* withSubresource.startOperator()
        const ready = yield* readySample(withSubresource, "default", "catalog", "/catalog")
        const statusPatches = (world: World) =>
          world.kube.log.entries().filter((e) => e.method === "PATCH" && e.path.includes("/exposedapis/")).map((e) => e.path.endsWith("/status"))
        expect(statusPatches(withSubresource)).toContain(true)
        expect(ready.metadata.generation).toBe(1) // status writes through /status leave the generation alone

        const without = yield* makeWorld
        yield* without.startOperator()
        const plain = yield* readySample(without, "default", "catalog", "/catalog")
        expect(statusPatches(without)).not.toContain(true)
        expect(conditionOf(plain, "Ready")?.observedGeneration).toBe(plain.metadata.generation)
      })
    ))
})
