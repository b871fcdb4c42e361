import { Cause, Data, Duration, Effect, FiberMap, FiberSet, Metric, Queue, Random, type Scope, Stream } from "effect"
import { queueDepth, reconcileDuration, reconcileTotal } from "../Metrics.ts"

/** What a reconcile asks of the queue when it succeeds. */
export type Outcome = Data.TaggedEnum<{
  Done: {}
  RequeueAfter: { readonly after: Duration.DurationInput }
}>
export const Outcome = Data.taggedEnum<Outcome>()

/** Every error a reconcile can fail with says whether trying again can help, and may say when. */
export interface Retryable {
  readonly retryable: boolean
  /** A wait the other side asked for (Retry-After), honoured as a floor for the next attempt. */
  readonly retryAfter?: Duration.Duration | undefined
}

export interface Backoff {
  readonly base: Duration.DurationInput
  readonly max: Duration.DurationInput
}

export interface Options<K extends string, E, R, E2 extends Retryable, R2> {
  readonly name: string
  readonly triggers: Stream.Stream<K, E, R>
  readonly reconcile: (key: K) => Effect.Effect<Outcome, E2, R2>
  readonly concurrency: number
  /** Per-key exponential backoff for retryable failures: base * 2^(failures-1), jittered, capped at max. */
  readonly backoff: Backoff
  /** Stops taking keys when this completes (graceful shutdown): in-flight reconciles finish, then `run` returns. */
  readonly stopTaking?: Effect.Effect<void> | undefined
}

/** Full jitter between half and all of the exponential delay, so keys that failed together spread out. */
export const backoffDelay = (backoff: Backoff, failures: number): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (r) => {
    const exponential = Duration.toMillis(backoff.base) * 2 ** Math.max(0, failures - 1)
    const capped = Math.min(exponential, Duration.toMillis(backoff.max))
    return Duration.millis(capped / 2 + (r * capped) / 2)
  })

/**
 * client-go's work-queue semantics on Effect: each key has at most one reconcile in flight and at most one pending
 * (bursts coalesce), at most `concurrency` keys run at once, a retryable failure comes back after a per-key
 * exponential backoff (a new trigger for that key cuts the wait short), a non-retryable one waits for the next
 * trigger, and RequeueAfter schedules one timer per key (a newer one replaces it).
 *
 * Like client-go, it holds waiting keys in a queue served by `concurrency` workers: a waiting key costs a queue slot,
 * not a fiber (a parked fiber with its span and annotations is some 15 kB: 150 MB for 10,000 new ExposedAPIs, which
 * put the heap against the Deployment's limit). Effect's Semaphore is avoided for the same reason as in ArmBudget:
 * in effect 3.22 each release wakes every waiter, and the losers wait again one level deeper.
 */
export const run = <K extends string, E, R, E2 extends Retryable, R2>(
  options: Options<K, E, R, E2, R2>
): Effect.Effect<void, E, R | R2 | Scope.Scope> =>
  Effect.gen(function*() {
    const workers = yield* FiberSet.make()
    const timers = yield* FiberMap.make<K>()
    const waiting = yield* Queue.unbounded<K>()
    // mutated only inside synchronous Effect.sync/suspend blocks, never across a yield: a key is waiting in the queue,
    // running, or running with a trigger that came in meanwhile (it goes round once more)
    const state = new Map<K, "waiting" | "running" | "dirty">()
    const failures = new Map<K, number>()
    // data-first Metric.tagged: the data-last overload cannot infer the metric's input type in 3.22
    const count = (result: string) =>
      Metric.increment(Metric.tagged(Metric.tagged(reconcileTotal, "controller", options.name), "result", result))
    const depth = Metric.tagged(queueDepth, "controller", options.name)
    const duration = Metric.tagged(reconcileDuration, "controller", options.name)
    const reportDepth = Effect.suspend(() => Metric.set(depth, state.size))

    const scheduleIn = (key: K, delay: Duration.Duration): Effect.Effect<void, never, R2> =>
      FiberMap.run(timers, key, Effect.delay(enqueue(key), delay)).pipe(Effect.asVoid)

    const onFailure = (key: K, error: E2): Effect.Effect<void, never, R2> => {
      if (!error.retryable) {
        return Effect.logError("reconcile failed; waiting for the next change", error).pipe(
          Effect.zipRight(Effect.sync(() => failures.delete(key))),
          Effect.zipRight(count("abandoned"))
        )
      }
      const attempt = (failures.get(key) ?? 0) + 1
      return Effect.sync(() => failures.set(key, attempt)).pipe(
        Effect.zipRight(backoffDelay(options.backoff, attempt)),
        Effect.map((delay) => (error.retryAfter !== undefined && Duration.greaterThan(error.retryAfter, delay) ? error.retryAfter : delay)),
        Effect.tap((delay) =>
          Effect.logWarning("reconcile failed; retrying", error).pipe(Effect.annotateLogs({ attempt, retryIn: Duration.format(delay) }))
        ),
        Effect.flatMap((delay) => scheduleIn(key, delay)),
        Effect.zipRight(count("error"))
      )
    }

    const reconcileOnce = (key: K): Effect.Effect<void, never, R2> =>
      FiberMap.remove(timers, key).pipe(
        Effect.zipRight(
          options.reconcile(key).pipe(
            Metric.trackDuration(duration),
            Effect.withSpan(`${options.name}.reconcile`, { attributes: { key } })
          )
        ),
        Effect.matchCauseEffect({
          onSuccess: Outcome.$match({
            Done: () => Effect.sync(() => failures.delete(key)).pipe(Effect.zipRight(count("success"))),
            RequeueAfter: ({ after }) =>
              Effect.sync(() => failures.delete(key)).pipe(
                Effect.zipRight(scheduleIn(key, Duration.decode(after))),
                Effect.zipRight(count("requeue_after"))
              )
          }),
          onFailure: (cause) => {
            if (Cause.isInterruptedOnly(cause)) return Effect.interrupt
            const failure = Cause.failureOption(cause)
            return failure._tag === "Some"
              ? onFailure(key, failure.value)
              : Effect.logError("reconcile died; retrying after a backoff", cause).pipe(
                Effect.zipRight(scheduleIn(key, Duration.decode(options.backoff.max))),
                Effect.zipRight(count("error"))
              )
          }
        }),
        Effect.annotateLogs({ controller: options.name, key })
      )

    const enqueue = (key: K): Effect.Effect<void> =>
      Effect.suspend(() => {
        const current = state.get(key)
        if (current === "running") state.set(key, "dirty") // coalesce: it goes round once more
        if (current !== undefined) return Effect.void // waiting keys read the latest state when their turn comes
        state.set(key, "waiting")
        return Queue.offer(waiting, key).pipe(Effect.zipRight(reportDepth))
      })

    // one key at a time; a key triggered while it ran goes to the back of the queue
    const work = (key: K): Effect.Effect<void, never, R2> =>
      Effect.sync(() => state.set(key, "running")).pipe(
        Effect.zipRight(reconcileOnce(key)),
        Effect.zipRight(Effect.suspend(() => {
          if (state.get(key) === "dirty") {
            state.set(key, "waiting")
            return Queue.offer(waiting, key)
          }
          state.delete(key)
          return reportDepth
        }))
      )

    // shutting the queue down ends the workers between two keys, never in the middle of one
    const worker = Queue.take(waiting).pipe(Effect.flatMap(work), Effect.forever)
    for (let i = 0; i < Math.max(1, options.concurrency); i++) yield* FiberSet.run(workers, worker)

    yield* Effect.logInfo("controller started").pipe(Effect.annotateLogs({ controller: options.name }))
    // triggers that end (tests) leave the workers running; only stopTaking ends the controller
    const taking = Stream.runForEach(options.triggers, enqueue).pipe(Effect.zipRight(Effect.never))
    yield* Effect.race(taking, options.stopTaking ?? Effect.never)
    yield* FiberMap.clear(timers)
    yield* Effect.logInfo("controller stopped taking keys; finishing in-flight reconciles").pipe(
      Effect.annotateLogs({ controller: options.name, inFlight: [...state.values()].filter((s) => s !== "waiting").length })
    )
    yield* Queue.shutdown(waiting)
    yield* FiberSet.awaitEmpty(workers)
  })
