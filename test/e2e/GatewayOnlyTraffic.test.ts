import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import type { JsonObject } from "../../src/emulators/Json.ts"
import { deleteExposedApi, eventsFor, mergePatchExposedApi } from "./ControlFixtures.ts"
import { conditionOf, createExposedApiWith, createImplementation, eventually, getExposedApi, GROUP, makeWorld, sampleSpec, untilReady, withOperator, type World } from "./World.ts"

const POLICY = "catalog-gateway-only"
const ON = { GATEWAY_ONLY_TRAFFIC: "true" }

const networkPolicy = (world: World): JsonObject | undefined => world.kube.objects.get("networking.k8s.io/v1", "NetworkPolicy", "default", POLICY)

const ingressRule = (policy: JsonObject | undefined): unknown => {
  const spec = policy?.["spec"]
  const ingress = typeof spec === "object" && spec !== null ? Reflect.get(spec, "ingress") : undefined
  return Array.isArray(ingress) ? ingress[0] : undefined
}

describe("gateway-only traffic", () => {
  it.live("a NetworkPolicy owned by the ExposedAPI admits only the gateway, follows the port, goes when the setting is off and with the ExposedAPI", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const first = yield* world.startOperator({ settings: ON })
        yield* createImplementation(world, "default", "catalog-svc", {
          selector: { app: "catalog" },
          ports: [{ name: "api", port: 8080, targetPort: 9090 }, { name: "admin", port: 8081, targetPort: "admin" }]
        })
        yield* createExposedApiWith(world, "default", "catalog", sampleSpec(world, "catalog", "/catalog"))
        const ready = yield* untilReady(world, "default", "catalog")
        expect(conditionOf(ready, "GatewayOnlyTraffic")).toMatchObject({ status: "True", reason: "NetworkPolicyApplied" })
        const created = networkPolicy(world)
        expect(created?.["spec"]).toEqual({
          podSelector: { matchLabels: { app: "catalog" } },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [
                {
                  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-system" } },
                  podSelector: { matchLabels: { istio: "ingressgateway" } }
                }
              ],
              ports: [{ protocol: "TCP", port: 9090 }]
            }
          ]
        })
        const metadata = created?.["metadata"]
        expect(metadata).toMatchObject({ ownerReferences: [{ kind: "ExposedAPI", name: "catalog", controller: true }] })
        expect(eventsFor(world, "default", "catalog", "NetworkPolicyCreated").length).toBe(1)

        // the spec moves to the Service's other port: the policy follows, to the named container port
        yield* mergePatchExposedApi(world, "default", "catalog", { spec: { port: 8081 } })
        yield* eventually(Effect.sync(() => ingressRule(networkPolicy(world))), (rule) => JSON.stringify(rule).includes(`"port":"admin"`))

        // the setting turned off: the policy goes, and so does the condition
        yield* Fiber.interrupt(first)
        const second = yield* world.startOperator({ settings: { GATEWAY_ONLY_TRAFFIC: "false" } })
        yield* mergePatchExposedApi(world, "default", "catalog", { metadata: { annotations: { touch: "1" } } })
        yield* eventually(Effect.sync(() => networkPolicy(world)), (p) => p === undefined)
        yield* eventually(getExposedApi(world, "default", "catalog"), (o) => conditionOf(o, "GatewayOnlyTraffic") === undefined)
        expect(eventsFor(world, "default", "catalog", "NetworkPolicyRemoved").length).toBe(1)

        // on again, then the ExposedAPI is deleted: the policy goes with it
        yield* Fiber.interrupt(second)
        yield* world.startOperator({ settings: ON })
        yield* mergePatchExposedApi(world, "default", "catalog", { metadata: { annotations: { touch: "2" } } })
        yield* eventually(Effect.sync(() => networkPolicy(world)), (p) => p !== undefined)
        yield* deleteExposedApi(world, "default", "catalog")
        yield* eventually(Effect.sync(() => world.kube.objects.get(`${GROUP}/v1`, "ExposedAPI", "default", "catalog")), (o) => o === undefined)
        expect(networkPolicy(world)).toBeUndefined()
      })
    ), 30_000)

  it.live("a Service without selector is reported, not guessed at; the API is still published", () =>
    withOperator({ settings: ON }, (world) =>
      Effect.gen(function*() {
        yield* createImplementation(world, "default", "catalog-svc", { ports: [{ port: 8080 }] })
        yield* createExposedApiWith(world, "default", "catalog", sampleSpec(world, "catalog", "/catalog"))
        const ready = yield* untilReady(world, "default", "catalog")
        expect(conditionOf(ready, "GatewayOnlyTraffic")).toMatchObject({ status: "False", reason: "ServiceWithoutSelector" })
        expect(networkPolicy(world)).toBeUndefined()
        expect(eventsFor(world, "default", "catalog", "ServiceWithoutSelector").map((e) => e["type"])).toEqual(["Warning"])
      })
    ))

  it.live("metrics APIs get no NetworkPolicy: they are scraped inside the cluster", () =>
    withOperator({ settings: ON }, (world) =>
      Effect.gen(function*() {
        yield* createImplementation(world, "default", "catalog-svc", { selector: { app: "catalog" }, ports: [{ port: 8080 }] })
        yield* createExposedApiWith(world, "default", "catalog", { ...sampleSpec(world, "catalog", "/metrics"), apiType: "prometheus", specification: undefined })
        const ready = yield* untilReady(world, "default", "catalog")
        expect(conditionOf(ready, "GatewayOnlyTraffic")).toBeUndefined()
        expect(networkPolicy(world)).toBeUndefined()
      })
    ))
})
