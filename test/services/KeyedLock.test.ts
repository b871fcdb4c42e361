import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Ref } from "effect"
import { convergeOnce, makeKeyedLock } from "../../src/services/KeyedLock.ts"

/** Counts the effects running at once, and the most seen. */
const overlapMeter = Effect.gen(function*() {
  const running = yield* Ref.make(0)
  const most = yield* Ref.make(0)
  const measured = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Ref.updateAndGet(running, (n) => n + 1).pipe(
      Effect.flatMap((now) => Ref.update(most, (m) => Math.max(m, now))),
      Effect.zipRight(Effect.yieldNow()),
      Effect.zipRight(effect),
      Effect.ensuring(Ref.update(running, (n) => n - 1))
    )
  return { measured, most: Ref.get(most) }
})

describe("KeyedLock", () => {
  it.effect("runs effects under one key one at a time, and under different keys together", () =>
    Effect.gen(function*() {
      const lock = makeKeyedLock()
      const same = yield* overlapMeter
      yield* Effect.all(Array.from({ length: 5 }, () => lock("tags/a")(same.measured(Effect.yieldNow()))), { concurrency: "unbounded" })
      expect(yield* same.most).toBe(1)

      const different = yield* overlapMeter
      yield* Effect.all(Array.from({ length: 5 }, (_, i) => lock(`tags/${i}`)(different.measured(Effect.yieldNow()))), { concurrency: "unbounded" })
      expect(yield* different.most).toBe(5)
    }))

  it.effect("convergeOnce: five reconciles finding a shared entity missing at once create it once", () =>
    Effect.gen(function*() {
      const lock = makeKeyedLock()
      const entity = yield* Ref.make(Option.none<string>())
      const reads = yield* Ref.make(0)
      const creations = yield* Ref.make(0)
      const read = Ref.update(reads, (n) => n + 1).pipe(Effect.zipRight(Effect.yieldNow()), Effect.zipRight(Ref.get(entity)))
      const create = () => Ref.update(creations, (n) => n + 1).pipe(Effect.zipRight(Ref.set(entity, Option.some("tag"))), Effect.as("created"))
      const results = yield* Effect.all(
        Array.from({ length: 5 }, () => convergeOnce(lock, "tags/a", read, Option.isSome, create)),
        { concurrency: "unbounded" }
      )
      expect(yield* Ref.get(creations)).toBe(1)
      expect(results.filter(Option.isSome)).toEqual([Option.some("created")])
      // each found it missing, then read again under the lock; only the first of those readings found it missing
      expect(yield* Ref.get(reads)).toBe(10)
    }))

  it.effect("convergeOnce: an entity in order costs one read and no lock", () =>
    Effect.gen(function*() {
      const reads = yield* Ref.make(0)
      const locked = yield* Ref.make(0)
      const lock = (key: string) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Ref.update(locked, (n) => n + 1).pipe(Effect.zipRight(makeKeyedLock()(key)(effect)))
      const result = yield* convergeOnce(lock, "tags/a", Ref.updateAndGet(reads, (n) => n + 1), () => true, () => Effect.die("not to be called"))
      expect(result).toEqual(Option.none())
      expect([yield* Ref.get(reads), yield* Ref.get(locked)]).toEqual([1, 0])
    }))
})
