import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { createSample, eventually, makeWorld, sampleSpec, untilReady } from "./World.ts"

const WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"])

describe("the operator at rest", () => {
  it.live("a resync of unchanged ExposedAPIs writes nothing anywhere and reads each API and policy once", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        yield* world.startOperator({ resyncInterval: "1 second" })
        const names = ["one", "two", "three"]
        for (const name of names) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        for (const name of names) yield* untilReady(world, "default", name)
        const apiReads = () => world.azure.logs.arm.entries().filter((e) => e.method === "GET" && /\/apis\/[^/]+$/.test(e.path)).length
        const oneResync = Effect.sync(() => {
          world.kube.log.clear()
          world.azure.logs.arm.clear()
        }).pipe(Effect.zipRight(eventually(Effect.sync(apiReads), (n) => n >= 2 * names.length, "10 seconds")))
        // the first window lets the follow-up reconciles (the Ingress address, our own status writes) settle
        yield* oneResync
        yield* oneResync
        const kubeWrites = world.kube.log.entries().filter((e) => WRITES.has(e.method))
        const armWrites = world.azure.logs.arm.entries().filter((e) => WRITES.has(e.method))
        expect(kubeWrites.map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(armWrites.map((e) => `${e.method} ${e.path}`)).toEqual([])
        // per resync and API: one read of the API, one of its policy
        const reads = world.azure.logs.arm.entries().filter((e) => e.method === "GET")
        const perApi = new Map<string, number>()
        for (const read of reads) {
          const api = /\/apis\/([^/]+)/.exec(read.path)?.[1]
          if (api !== undefined) perApi.set(api, (perApi.get(api) ?? 0) + 1)
        }
        const resyncs = Math.floor(apiReads() / names.length)
        for (const count of perApi.values()) expect(count).toBeLessThanOrEqual(2 * resyncs)
      })
    ), 30_000)
})
