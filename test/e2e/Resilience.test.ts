import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { conditionOf, createSample, eventually, getExposedApi, makeWorld, readySample, sampleSpec, untilReady, withOperator } from "./World.ts"

describe("the operator under faults", () => {
  it.live("converges through APIM 5xx and 429 bursts", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const errors = world.azure.faults.arm.inject({ action: { kind: "status", status: 500 }, times: 6 })
        const throttles = world.azure.faults.arm.inject({ action: { kind: "status", status: 429, retryAfterSeconds: 0 }, times: 6 })
        yield* world.startOperator()
        for (const name of ["one", "two", "three"]) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        for (const name of ["one", "two", "three"]) yield* untilReady(world, "default", name)
        expect(errors.fired()).toBe(6)
        expect(throttles.fired()).toBe(6)
        expect(world.azure.apim.listApis().length).toBe(3)
      })
    ), 60_000)

  it.live("converges after its watches are cut, expired (410) and refused (500)", () =>
    withOperator((world) =>
      Effect.gen(function*() {
        yield* readySample(world, "default", "before", "/before")
        world.kube.faults.closeWatches("reset")
        yield* readySample(world, "default", "after-reset", "/after-reset")
        yield* eventually(Effect.sync(() => world.kube.openWatches()), (n) => n >= 3)
        world.kube.faults.compactHistory()
        world.kube.faults.expireWatches()
        yield* readySample(world, "default", "after-expiry", "/after-expiry")
        world.kube.faults.failNext(3, 500, { match: { watch: true } })
        world.kube.faults.closeWatches("clean")
        yield* readySample(world, "default", "after-refusal", "/after-refusal")
        expect(world.azure.apim.listApis().length).toBe(4)
      })
    ), 60_000)

  it.live("picks up where it left off after a restart mid-way, publishing nothing twice", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        // APIM is slow, so the first operator is stopped in the middle of publishing
        world.azure.throttle.setLatency("api.import", 300)
        const first = yield* world.startOperator()
        for (const name of ["a", "b", "c"]) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        yield* eventually(Effect.sync(() => world.azure.logs.arm.entries().filter((e) => e.method === "PUT").length), (n) => n >= 1)
        yield* Fiber.interrupt(first)
        yield* world.startOperator()
        for (const name of ["a", "b", "c"]) yield* untilReady(world, "default", name)
        expect(world.azure.apim.listApis().map((a) => a.properties["path"]).sort()).toEqual(["a", "b", "c"])
        const ready = yield* getExposedApi(world, "default", "a")
        expect(conditionOf(ready, "ApiPublished")?.status).toBe("True")
      })
    ), 60_000)
})
