import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Queue, Ref, Stream, TestClock } from "effect"
import * as Controller from "../../src/programs/Controller.ts"

class Flaky {
  readonly _tag = "Flaky"
  readonly retryable: boolean
  readonly retryAfter: Duration.Duration | undefined
  constructor(retryable: boolean, retryAfter?: Duration.Duration) {
    this.retryable = retryable
    this.retryAfter = retryAfter
  }
}

const backoff = { base: Duration.seconds(1), max: Duration.seconds(60) }

/** Starts a controller over a queue of triggers; returns the queue and a log of reconcile starts. */
const start = (reconcile: (key: string, n: number) => Effect.Effect<Controller.Outcome, Flaky>, concurrency = 2) =>
  Effect.gen(function*() {
    const triggers = yield* Queue.unbounded<string>()
    const runs = yield* Ref.make<ReadonlyArray<string>>([])
    const stop = yield* Deferred.make<void>()
    const fiber = yield* Controller.run({
      name: "test",
      triggers: Stream.fromQueue(triggers),
      concurrency,
      backoff,
      stopTaking: Deferred.await(stop),
      reconcile: (key) =>
        Ref.updateAndGet(runs, (r) => [...r, key]).pipe(
          Effect.flatMap((r) => reconcile(key, r.filter((k) => k === key).length))
        )
    }).pipe(Effect.forkScoped)
    return { triggers, runs, stop, fiber }
  })

const runsOf = (runs: Ref.Ref<ReadonlyArray<string>>, key: string) => Ref.get(runs).pipe(Effect.map((r) => r.filter((k) => k === key).length))

describe("Controller", () => {
  it.scoped("coalesces bursts per key and never runs more than `concurrency` keys at once", () =>
    Effect.gen(function*() {
      const inFlight = yield* Ref.make(0)
      const peak = yield* Ref.make(0)
      const { triggers, runs } = yield* start(() =>
        Ref.updateAndGet(inFlight, (n) => n + 1).pipe(
          Effect.tap((n) => Ref.update(peak, (p) => Math.max(p, n))),
          Effect.zipRight(Effect.sleep("1 second")),
          Effect.zipRight(Ref.update(inFlight, (n) => n - 1)),
          Effect.as(Controller.Outcome.Done())
        )
      )
      yield* Queue.offerAll(triggers, ["a", "b", "c"])
      yield* TestClock.adjust("0 millis") // a and b run, c waits for a worker
      yield* Queue.offerAll(triggers, ["a", "a", "a", "c", "c"])
      yield* TestClock.adjust("10 seconds")
      expect(yield* runsOf(runs, "a")).toBe(2) // the first run, then one coalesced re-run
      expect(yield* runsOf(runs, "b")).toBe(1)
      expect(yield* runsOf(runs, "c")).toBe(1) // triggers for a waiting key read the latest state when it runs
      expect(yield* Ref.get(peak)).toBe(2)
    }))

  it.scoped("retries a retryable failure with exponential backoff, and honours Retry-After as a floor", () =>
    Effect.gen(function*() {
      const { triggers, runs } = yield* start((_, n) =>
        n === 1 ? Effect.fail(new Flaky(true)) : n === 2 ? Effect.fail(new Flaky(true, Duration.seconds(30))) : Effect.succeed(Controller.Outcome.Done())
      )
      yield* Queue.offer(triggers, "k")
      yield* TestClock.adjust("0 millis")
      expect(yield* runsOf(runs, "k")).toBe(1)
      yield* TestClock.adjust("1 second") // first backoff: between 0.5 s and 1 s
      expect(yield* runsOf(runs, "k")).toBe(2)
      yield* TestClock.adjust("29 seconds") // Retry-After 30 s beats the 2 s backoff
      expect(yield* runsOf(runs, "k")).toBe(2)
      yield* TestClock.adjust("1 second")
      expect(yield* runsOf(runs, "k")).toBe(3)
    }))

  it.scoped("does not retry a non-retryable failure, but a new trigger runs it again", () =>
    Effect.gen(function*() {
      const { triggers, runs } = yield* start(() => Effect.fail(new Flaky(false)))
      yield* Queue.offer(triggers, "bad")
      yield* TestClock.adjust("10 minutes")
      expect(yield* runsOf(runs, "bad")).toBe(1)
      yield* Queue.offer(triggers, "bad")
      yield* TestClock.adjust("0 millis")
      expect(yield* runsOf(runs, "bad")).toBe(2)
    }))

  it.scoped("a trigger during a backoff runs the key at once", () =>
    Effect.gen(function*() {
      const { triggers, runs } = yield* start((_, n) => (n === 1 ? Effect.fail(new Flaky(true)) : Effect.succeed(Controller.Outcome.Done())))
      yield* Queue.offer(triggers, "k")
      yield* TestClock.adjust("0 millis")
      yield* Queue.offer(triggers, "k")
      yield* TestClock.adjust("0 millis")
      expect(yield* runsOf(runs, "k")).toBe(2)
      yield* TestClock.adjust("5 minutes") // the cancelled backoff timer does not fire a third run
      expect(yield* runsOf(runs, "k")).toBe(2)
    }))

  it.scoped("RequeueAfter schedules one run later", () =>
    Effect.gen(function*() {
      const { triggers, runs } = yield* start((_, n) =>
        Effect.succeed(n === 1 ? Controller.Outcome.RequeueAfter({ after: "30 seconds" }) : Controller.Outcome.Done())
      )
      yield* Queue.offer(triggers, "k")
      yield* TestClock.adjust("29 seconds")
      expect(yield* runsOf(runs, "k")).toBe(1)
      yield* TestClock.adjust("1 second")
      expect(yield* runsOf(runs, "k")).toBe(2)
    }))

  it.scoped("stops taking keys on request and returns once in-flight reconciles finish", () =>
    Effect.gen(function*() {
      const { triggers, runs, stop, fiber } = yield* start(() => Effect.sleep("5 seconds").pipe(Effect.as(Controller.Outcome.Done())))
      yield* Queue.offer(triggers, "slow")
      yield* TestClock.adjust("1 second")
      yield* Deferred.succeed(stop, undefined)
      yield* TestClock.adjust("0 millis") // let the controller see the stop
      yield* Queue.offer(triggers, "late")
      yield* TestClock.adjust("1 second")
      expect(fiber.unsafePoll()).toBeNull() // still finishing "slow"
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(runs)).toEqual(["slow"])
    }))
})
