import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { makePermits } from "../../src/programs/Controller.ts"

describe("Controller permits", () => {
  it.effect("run at most `concurrency` effects at once, the waiting ones in arrival order, hundreds waiting", () =>
    Effect.gen(function*() {
      const withPermit = yield* makePermits(4)
      const inFlight = yield* Ref.make(0)
      const peak = yield* Ref.make(0)
      const started = yield* Ref.make<ReadonlyArray<number>>([])
      const work = (i: number) =>
        withPermit(
          Ref.update(started, (s) => [...s, i]).pipe(
            Effect.zipRight(Ref.updateAndGet(inFlight, (n) => n + 1)),
            Effect.tap((n) => Ref.update(peak, (p) => Math.max(p, n))),
            Effect.zipRight(Effect.sleep("1 second")),
            Effect.zipRight(Ref.update(inFlight, (n) => n - 1))
          )
        )
      const fiber = yield* Effect.forEach(Array.from({ length: 200 }, (_, i) => i), work, { concurrency: "unbounded", discard: true }).pipe(Effect.fork)
      yield* TestClock.adjust("60 seconds")
      yield* fiber
      expect(yield* Ref.get(peak)).toBe(4)
      expect(yield* Ref.get(started)).toEqual(Array.from({ length: 200 }, (_, i) => i))
    }))

  it.effect("give the permit back when the effect fails or is interrupted while waiting", () =>
    Effect.gen(function*() {
      const withPermit = yield* makePermits(1)
      const failed = yield* withPermit(Effect.fail("boom")).pipe(Effect.flip)
      expect(failed).toBe("boom")
      const holder = yield* withPermit(Effect.never).pipe(Effect.fork)
      const waiter = yield* withPermit(Effect.void).pipe(Effect.fork)
      yield* TestClock.adjust("1 second")
      yield* Fiber.interrupt(waiter)
      yield* Fiber.interrupt(holder)
      expect(yield* withPermit(Effect.succeed("again"))).toBe("again")
    }))
})
