import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { makePacer } from "../../src/services/ArmBudget.ts"

/** Starts `count` callers of the pacer at once; returns when each one was let through (TestClock ms). */
const release = (pace: Effect.Effect<void>, count: number) =>
  Effect.gen(function*() {
    const passed = yield* Ref.make<ReadonlyArray<readonly [number, number]>>([])
    const fiber = yield* Effect.forEach(
      Array.from({ length: count }, (_, i) => i),
      (i) => pace.pipe(Effect.zipRight(TestClock.currentTimeMillis), Effect.flatMap((at) => Ref.update(passed, (p) => [...p, [i, at] as const]))),
      { concurrency: "unbounded", discard: true }
    ).pipe(Effect.fork)
    return { passed, fiber }
  })

describe("ARM budget pacer", () => {
  it.effect("lets the burst through at once, then one caller per refill interval, in arrival order", () =>
    Effect.gen(function*() {
      const pace = yield* makePacer({ burst: 3, perSecond: 10 })
      const { fiber, passed } = yield* release(pace, 7)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(fiber)
      const at = yield* Ref.get(passed)
      expect(at.map(([i]) => i)).toEqual([0, 1, 2, 3, 4, 5, 6])
      expect(at.map(([, ms]) => ms)).toEqual([0, 0, 0, 100, 200, 300, 400])
    }))

  it.effect("keeps the exact rate over a long run, and refills while idle up to the burst", () =>
    Effect.gen(function*() {
      const pace = yield* makePacer({ burst: 20, perSecond: 9.5 })
      const first = yield* release(pace, 200)
      yield* TestClock.adjust("10 minutes")
      yield* Fiber.join(first.fiber)
      const last = (yield* Ref.get(first.passed)).at(-1)?.[1] ?? 0
      // (200 − 20) tokens at 9.5 per second
      expect(Math.round(last)).toBe(Math.round((180 / 9.5) * 1000))
      // idle long enough to refill completely: the next 20 pass at once, the 21st waits one interval
      const idleUntil = (yield* TestClock.currentTimeMillis) + 60_000
      yield* TestClock.setTime(idleUntil)
      const second = yield* release(pace, 21)
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(second.fiber)
      const times = (yield* Ref.get(second.passed)).map(([, ms]) => ms - idleUntil)
      expect(times.filter((t) => t === 0).length).toBe(20)
      expect(Math.round(times.at(-1) ?? 0)).toBe(Math.round(1000 / 9.5))
    }))
})
