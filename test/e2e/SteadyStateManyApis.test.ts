import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { PREFETCH_FROM } from "../../src/services/ApiListingIndex.ts"
import { armWrites, quiescent } from "./ControlFixtures.ts"
import { createSample, eventually, sampleSpec, untilReady, withOperator, type World } from "./World.ts"

/** `count` sample ExposedAPIs in "default", each at its own path, once all are Ready; their names. */
const publishMany = (world: World, count: number) =>
  Effect.gen(function*() {
    const names = Array.from({ length: count }, (_, i) => `api-${i}`)
    for (const name of names) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
    for (const name of names) yield* untilReady(world, "default", name)
    return names
  })

describe("the operator at rest with many ExposedAPIs", () => {
  it.live("a resync lists the APIs and their tags: each API's policy is the only read of its own", () =>
    withOperator({ resyncInterval: "3 seconds" }, (world) =>
      Effect.gen(function*() {
        const names = yield* publishMany(world, PREFETCH_FROM + 2)
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
        expect(read.filter((path) => path.endsWith("/apis"))).toHaveLength(1)
        for (const api of apis) {
          expect(read.filter((path) => path.endsWith(api))).toEqual([])
          expect(read.filter((path) => path.endsWith(`${api}/policies/policy`))).toHaveLength(1)
        }
      })
    ), 60_000)

  it.live("still puts back a tag someone took off an API between two resyncs", () =>
    withOperator({ resyncInterval: "1 second" }, (world) =>
      Effect.gen(function*() {
        yield* publishMany(world, PREFETCH_FROM)
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

  it.live("still puts back an API's backend someone changed between two resyncs, reading that API afresh for its ETag", () =>
    withOperator({ resyncInterval: "1 second" }, (world) =>
      Effect.gen(function*() {
        yield* publishMany(world, PREFETCH_FROM)
        const apiId = apimApiId("default", "api-5")
        const backend = () => world.azure.apim.getApi(apiId)?.properties["serviceUrl"]
        const published = backend()
        expect(published).toMatch(/^https?:\/\//)
        world.azure.apim.editApi(apiId, { serviceUrl: "https://elsewhere.example" })
        world.azure.logs.arm.clear()
        expect(yield* eventually(Effect.sync(backend), (url) => url === published)).toBe(published)
        const written = armWrites(world).filter((path) => path.endsWith(`/apis/${apiId}`))
        expect(written).toHaveLength(1)
        const reads = world.azure.logs.arm.entries().filter((e) => e.method === "GET" && e.path.endsWith(`/apis/${apiId}`))
        expect(reads.length).toBeGreaterThanOrEqual(1)
      })
    ), 60_000)
})
