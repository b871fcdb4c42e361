import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { PREFETCH_FROM } from "../../src/services/ApiTagIndex.ts"
import { armWrites, quiescent } from "./ControlFixtures.ts"
import { createSample, eventually, sampleSpec, untilReady, withOperator } from "./World.ts"

describe("the operator at rest with many ExposedAPIs", () => {
  it.live("a resync reads every API's tags in one listing: each API and its policy are the only reads of their own", () =>
    withOperator({ resyncInterval: "3 seconds" }, (world) =>
      Effect.gen(function*() {
        const names = Array.from({ length: PREFETCH_FROM + 2 }, (_, i) => `api-${i}`)
        for (const name of names) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        for (const name of names) yield* untilReady(world, "default", name)
        const apis = names.map((name) => `/apis/${apimApiId("default", name)}`)
        const gets = () => world.azure.logs.arm.entries().filter((e) => e.method === "GET").map((e) => e.path)
        // the window opens between two resyncs, once the follow-ups of publishing have settled, and closes after one
        yield* quiescent(world)
        world.azure.logs.arm.clear()
        world.kube.log.clear()
        yield* eventually(Effect.sync(gets), (read) => apis.every((api) => read.some((path) => path.endsWith(`${api}/policies/policy`))), "10 seconds")
        yield* quiescent(world)
        expect(armWrites(world)).toEqual([])
        const read = gets()
        expect(read.filter((path) => path.endsWith("/tags"))).toEqual([])
        expect(read.filter((path) => path.endsWith("/apisByTags"))).toHaveLength(1)
        for (const api of apis) {
          expect(read.filter((path) => path.endsWith(api))).toHaveLength(1)
          expect(read.filter((path) => path.endsWith(`${api}/policies/policy`))).toHaveLength(1)
        }
      })
    ), 60_000)

  it.live("still puts back a tag someone took off an API between two resyncs", () =>
    withOperator({ resyncInterval: "1 second" }, (world) =>
      Effect.gen(function*() {
        const names = Array.from({ length: PREFETCH_FROM }, (_, i) => `api-${i}`)
        for (const name of names) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        for (const name of names) yield* untilReady(world, "default", name)
        const apiId = apimApiId("default", "api-3")
        const tagged = () => {
          const tags = world.azure.apim.entities.apiTags(apiId)
          return tags.ok ? tags.value.map((tag) => tag.name).sort() : []
        }
        const before = tagged()
        expect(before).toHaveLength(2)
        world.azure.apim.entities.detachTag(apiId, before[0] ?? "")
        expect(tagged()).toHaveLength(1)
        expect(yield* eventually(Effect.sync(tagged), (tags) => tags.length === 2)).toEqual(before)
      })
    ), 60_000)
})
