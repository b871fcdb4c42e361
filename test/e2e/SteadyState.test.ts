import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { apimApiId } from "../../src/domain/ApiNaming.ts"
import { armWrites, oneResync, quiescent } from "./ControlFixtures.ts"
import { createSample, eventually, makeWorld, sampleSpec, untilReady, withOperator } from "./World.ts"

describe("the operator at rest", () => {
  it.live("a resync of unchanged ExposedAPIs writes nothing anywhere and reads each API and policy once", () =>
    withOperator({ resyncInterval: "1 second" }, (world) =>
      Effect.gen(function*() {
        const names = ["one", "two", "three"]
        for (const name of names) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        for (const name of names) yield* untilReady(world, "default", name)
        const getsOf = (suffix: string) => world.azure.logs.arm.entries().filter((e) => e.method === "GET" && e.path.endsWith(suffix)).length
        /** A resync has gone through every API: each API and its policy read since the logs were cleared. */
        const resyncDone = Effect.sync(() =>
          names.map((name) => `/apis/${apimApiId("default", name)}`).every((api) => getsOf(api) >= 1 && getsOf(`${api}/policies/policy`) >= 1)
        )
        // the first window lets the follow-up reconciles (the Ingress address, our own status writes) settle
        yield* oneResync(world, resyncDone)
        yield* oneResync(world, resyncDone)
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(armWrites(world)).toEqual([])
        // per resync and API: one read of the API and one of its policy, nothing else (the gateway URL is cached)
        const reads = world.azure.logs.arm.entries().filter((e) => e.method === "GET")
        const apiGets = new Map<string, number>()
        const policyGets = new Map<string, number>()
        const tagGets = new Map<string, number>()
        for (const read of reads) {
          const api = /\/apis\/([^/]+)(\/policies\/policy|\/tags)?$/.exec(read.path)
          if (api?.[1] === undefined) {
            expect(read.path).toMatch(/\/service\/[^/]+$/)
            continue
          }
          const counts = api[2] === undefined ? apiGets : api[2] === "/tags" ? tagGets : policyGets
          counts.set(api[1], (counts.get(api[1]) ?? 0) + 1)
        }
        expect(apiGets.size).toBe(names.length)
        // each reconcile reads the API once and its policy once; a window may open between the two reads of one
        for (const [api, gets] of apiGets) expect(policyGets.get(api) ?? 0).toBeLessThanOrEqual(gets + 1)
        // and its tags (segment, Component) once
        for (const [api, gets] of apiGets) expect(tagGets.get(api) ?? 0).toBeLessThanOrEqual(gets + 1)
      })
    ), 30_000)

  it.live("a restart confirms published APIs with one read of each API and policy, and writes nothing", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const first = yield* world.startOperator()
        const names = ["one", "two", "three"]
        for (const name of names) yield* createSample(world, "default", name, sampleSpec(world, name, `/${name}`))
        for (const name of names) yield* untilReady(world, "default", name)
        // stop the first operator only once it is idle: requests it has in flight would land in the next window
        yield* quiescent(world)
        yield* Fiber.interrupt(first)
        world.kube.log.clear()
        world.azure.logs.arm.clear()
        yield* world.startOperator()
        const apis = names.map((name) => `/apis/${apimApiId("default", name)}`)
        const getsOf = (suffix: string) => world.azure.logs.arm.entries().filter((e) => e.method === "GET" && e.path.endsWith(suffix)).length
        yield* eventually(Effect.sync(() => apis.every((api) => getsOf(`${api}/policies/policy`) === 1)), (done) => done)
        // the secondary informers' first listings bring no extra reconciles
        yield* eventually(Effect.sync(() => world.kube.openWatches()), (n) => n >= 3)
        for (const api of apis) {
          expect(getsOf(api)).toBe(1)
          expect(getsOf(`${api}/policies/policy`)).toBe(1)
        }
        expect(world.kube.log.writes().map((e) => `${e.method} ${e.path}`)).toEqual([])
        expect(armWrites(world)).toEqual([])
      })
    ))
})
