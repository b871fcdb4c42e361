import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId, apimComponentProductId } from "../../src/domain/ApiNaming.ts"
import { armWrites, oneResync } from "./ControlFixtures.ts"
import { createSample, makeWorld, sampleSpec, untilReady } from "./World.ts"

describe("the operator at rest with API keys, tags and a template", () => {
  it.live("a resync writes nothing anywhere, never reads the keys again, and reads each piece at most once per API", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        world.azure.apim.entities.put("policyFragments", "canvas-defaults", {
          properties: { format: "rawxml", value: `<fragment><set-header name="X-Canvas" exists-action="override"><value>1</value></set-header></fragment>` }
        })
        yield* world.startOperator({ resyncInterval: "500 millis" })
        const names = ["one", "two"]
        for (const name of names) {
          yield* createSample(world, "default", name, {
            ...sampleSpec(world, name, `/${name}`),
            apiKeyVerification: { enabled: true, location: "query" },
            segment: "managementFunction",
            template: "canvas-defaults"
          })
        }
        for (const name of names) yield* untilReady(world, "default", name)
        const product = apimComponentProductId("default", "r1-productcatalogmanagement")
        const reads = (suffix: string) => world.azure.logs.arm.entries().filter((e) => (e.method === "GET" || e.method === "HEAD") && e.path.endsWith(suffix)).length
        /** Every API's last piece (its subscription) read since the logs were cleared: a resync went through all. */
        const resyncDone = Effect.sync(() => names.every((name) => reads(`/subscriptions/${apimApiId("default", name)}`) >= 1))
        yield* oneResync(world, resyncDone) // the follow-up reconciles (Ingress address, own status writes) settle
        yield* oneResync(world, resyncDone)
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(armWrites(world)).toEqual([])
        expect(reads("/policyFragments/canvas-defaults")).toBe(0)
        for (const name of names) {
          const api = `/apis/${apimApiId("default", name)}`
          const apiReads = reads(api)
          expect(apiReads).toBeGreaterThanOrEqual(1)
          // per reconcile: the API, its policy, its tags, the product, the product link and the subscription
          for (const piece of [`${api}/policies/policy`, `${api}/tags`, `/products/${product}`, `/products/${product}${api}`, `/subscriptions/${apimApiId("default", name)}`]) {
            expect(reads(piece)).toBeLessThanOrEqual(apiReads + 1)
          }
        }
        const other = world.azure.logs.arm.entries().filter((e) => !/\/(apis|products|subscriptions)\/|\/service\/[^/]+$/.test(e.path))
        expect(other.map((e) => `${e.method} ${e.path}`)).toEqual([])
      })
    ), 30_000)
})
