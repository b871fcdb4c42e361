import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { isJsonObject } from "../../src/emulators/Json.ts"
import { componentCrd } from "./ComponentCrd.ts"
import { armWrites, mergePatchExposedApi, oneResync } from "./ControlFixtures.ts"
import { conditionOf, createExposedApiWith, createImplementation, eventually, getExposedApi, GROUP, makeWorld, sampleSpec, untilReady } from "./World.ts"

describe("the operator at rest, every control on", () => {
  it.live("a resync writes nothing anywhere with capabilities, gateway-only NetworkPolicies, a parent Component and all three drift modes", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        world.kube.objects.create(componentCrd())
        const names = ["one", "two", "three"]
        const component = world.kube.objects.create({
          apiVersion: `${GROUP}/v1`,
          kind: "Component",
          metadata: { name: "r1", namespace: "default" },
          spec: {},
          status: { coreAPIs: names.map((name) => ({ name, ready: false })) }
        })
        const componentUid = isJsonObject(component["metadata"]) ? String(component["metadata"]["uid"]) : ""
        yield* world.startOperator({ resyncInterval: "1 second", settings: { GATEWAY_ONLY_TRAFFIC: "true", DRIFT_MODE: "report-only" } })
        const modes: Record<string, Record<string, string>> = { one: {}, two: { "oda.tmforum.org/drift-mode": "correct" }, three: {} }
        for (const name of names) {
          yield* createImplementation(world, "default", `${name}-svc`, { selector: { app: name }, ports: [{ port: 8080 }] })
          yield* createExposedApiWith(world, "default", name, sampleSpec(world, name, `/${name}`), {
            annotations: modes[name] ?? {},
            ownerReferences: [{ apiVersion: `${GROUP}/v1`, kind: "Component", name: "r1", uid: componentUid }]
          })
        }
        for (const name of names) yield* untilReady(world, "default", name)
        yield* mergePatchExposedApi(world, "default", "three", { metadata: { annotations: { "oda.tmforum.org/drift-mode": "paused" } } })
        yield* eventually(getExposedApi(world, "default", "three"), (o) => conditionOf(o, "InSync")?.reason === "Paused")
        yield* eventually(Effect.sync(() => world.kube.objects.list("networking.k8s.io/v1", "NetworkPolicy", "default").length), (n) => n === 3)

        const published = ["one", "two"].map((name) => `/apis/${apimApiId("default", name)}`)
        const getsOf = (suffix: string) => world.azure.logs.arm.entries().filter((e) => e.method === "GET" && e.path.endsWith(suffix)).length
        const reconcilesOf = (name: string) =>
          world.kube.log.entries().filter((e) => e.method === "GET" && e.path.endsWith(`/exposedapis/${name}`)).length
        const resyncDone = Effect.sync(() =>
          published.every((api) => getsOf(api) >= 1 && getsOf(`${api}/policies/policy`) >= 1) && reconcilesOf("three") >= 1
        )
        yield* oneResync(world, resyncDone) // lets the follow-up reconciles of our own writes settle
        yield* oneResync(world, resyncDone)
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(armWrites(world)).toEqual([])
        // the paused one is not even read from APIM
        expect(getsOf(`/apis/${apimApiId("default", "three")}`)).toBe(0)

        for (const name of names) {
          const object = yield* getExposedApi(world, "default", name)
          const capabilities = Reflect.get(object.status ?? {}, "capabilities")
          expect(Array.isArray(capabilities) && capabilities.length > 5).toBe(true)
          expect(conditionOf(object, "GatewayOnlyTraffic")?.status).toBe("True")
        }
        const status = world.kube.objects.get(`${GROUP}/v1`, "Component", "default", "r1")?.["status"]
        const entries = isJsonObject(status) && Array.isArray(status["coreAPIs"]) ? status["coreAPIs"] : []
        expect(entries.filter(isJsonObject).map((e) => e["ready"])).toEqual([true, true, true])
      })
    ), 30_000)
})
