import { describe, expect, it } from "@effect/vitest"
import { Cause, Effect, Exit, Fiber } from "effect"
import { createSample, eventually, makeWorld, sampleSpec, untilReady } from "../e2e/World.ts"
import { holder, leaseSpec, reconcileWrites, startInstance } from "./OperatorInstance.ts"

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/

describe("two operator instances on one cluster", () => {
  it.live("only the leader reconciles; when it dies the follower takes over and reconciles new ExposedAPIs", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const a = yield* startInstance(world, "replica-a", { releaseOnCancel: false, probes: true })
        const b = yield* startInstance(world, "replica-b", { releaseOnCancel: false, probes: true })
        const first = yield* eventually(holder(world), (h) => h === "replica-a" || h === "replica-b")
        const [leader, follower] = first === a.identity ? [a, b] : [b, a]

        yield* createSample(world, "default", "one", sampleSpec(world, "one", "/one"))
        yield* untilReady(world, "default", "one")
        expect(reconcileWrites(leader).length).toBeGreaterThan(0)
        expect(leader.calls.apim).toContain("putApi")
        expect(reconcileWrites(follower)).toEqual([])
        expect(follower.calls.apim).toEqual([])
        // both ready: a follower with warm caches that can reach the API server is ready to take over
        for (const instance of [leader, follower]) {
          const readyz = yield* Effect.promise(() => fetch(`${instance.probes ?? ""}/readyz`))
          expect(readyz.status).toBe(200)
        }

        // killed: no release, so the follower must wait the lease out
        yield* Fiber.interrupt(leader.fiber)
        const leaderCalls = leader.calls.apim.length
        yield* eventually(holder(world), (h) => h === follower.identity)
        const spec = leaseSpec(world)
        expect(spec["leaseTransitions"]).toBe(1)
        expect(spec["leaseDurationSeconds"]).toBe(1)
        expect(String(spec["acquireTime"])).toMatch(MICRO_TIME)
        expect(String(spec["renewTime"])).toMatch(MICRO_TIME)

        yield* createSample(world, "default", "two", sampleSpec(world, "two", "/two"))
        yield* untilReady(world, "default", "two")
        expect(follower.calls.apim).toContain("putApi")
        expect(reconcileWrites(follower).length).toBeGreaterThan(0)
        expect(leader.calls.apim.length).toBe(leaderCalls)
      })
    ), 30_000)

  it.live("a leader whose renewals fail stops at once, in-flight reconciles included, and exits with LeadershipLost", () =>
    Effect.scoped(
      Effect.gen(function*() {
        const world = yield* makeWorld
        const a = yield* startInstance(world, "replica-a")
        yield* eventually(holder(world), (h) => h === a.identity)
        const b = yield* startInstance(world, "replica-b")
        // a reconcile that would stay in flight far longer than the test
        const slowPut = world.azure.faults.arm.inject({ action: { kind: "delay", ms: 60_000 }, method: "PUT", path: /\/apis\/[^/]+$/ })
        yield* createSample(world, "default", "slow", sampleSpec(world, "slow", "/slow"))
        yield* eventually(Effect.sync(() => slowPut.fired()), (n) => n > 0)

        world.kube.faults.failNext(100_000, 500, { match: { method: "PUT", path: "/leases/" } })
        const exit = yield* Fiber.await(a.fiber).pipe(Effect.timeoutFail({ duration: "10 seconds", onTimeout: () => new Error("the leader kept running") }))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) expect(Cause.pretty(exit.cause)).toContain("LeadershipLost")
        expect(reconcileWrites(b)).toEqual([])

        world.kube.faults.clear()
        slowPut.remove()
        yield* eventually(holder(world), (h) => h === b.identity)
        yield* untilReady(world, "default", "slow")
        expect(b.calls.apim).toContain("putApi")
      })
    ), 30_000)
})
