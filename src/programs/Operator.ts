import type { HttpServer } from "@effect/platform"
import { Context, Deferred, Duration, Effect, Fiber, Layer, Option, Ref, type Scope } from "effect"
import type { Kubernetes } from "../services/Kubernetes.ts"
import * as PrometheusMetrics from "../services/PrometheusMetrics.ts"
import type { LeaderElectionSettings } from "../services/RuntimeSettings.ts"
import { exposedApiController } from "./ExposedApiController.ts"
import { type LeaderElector, type LeadershipLost, makeLeaderElector } from "./LeaderElection.ts"
import { type ProbeChecks, serveProbes } from "./Probes.ts"

/** Every service the ExposedAPI controller needs (what `operatorLayer` builds). */
export type OperatorServices = Exclude<Effect.Effect.Context<ReturnType<typeof exposedApiController>>, Scope.Scope> | Kubernetes

export interface OperatorOptions {
  /** None: this process reconciles without asking anyone (the sandbox, a single replica). */
  readonly leaderElection: Option.Option<LeaderElectionSettings>
  /** The probe and metrics port, already listening (so it answers while start-up checks run); none: no probes. */
  readonly probes?: HttpServer.HttpServer | undefined
  /** On interruption (SIGTERM), how long in-flight reconciles may finish before they are interrupted. */
  readonly shutdownGracePeriod: Duration.DurationInput
}

type Phase = "starting" | "running" | "stopping" | "stopped"

/** After the grace period, interrupted reconciles get this long to unwind before the process stops waiting. */
const INTERRUPT_BOUND = Duration.seconds(5)

/**
 * What `run` runs: the services (start-up checks included), then the ExposedAPI controller, whose informers start
 * at once and whose keys are taken only while this replica leads; probes and metrics on the probe port.
 *
 * - Leadership lost: the controller is interrupted at once (in-flight reconciles included) and the program fails
 *   with LeadershipLost, so the process exits 1 and Kubernetes restarts it as a follower, as controller-runtime's
 *   manager does. Starting afresh is simpler to trust than resuming with caches and queues of a former leader.
 * - Interrupted (SIGTERM through NodeRuntime.runMain): stop taking keys, let in-flight reconciles finish within
 *   the grace period (then interrupt them), release the Lease, end; the process exits 0.
 */
export const runOperator = <E, R>(
  services: Layer.Layer<OperatorServices, E, R>,
  options: OperatorOptions
): Effect.Effect<void, E | LeadershipLost, R> =>
  Effect.scoped(Effect.gen(function*() {
    const phase = yield* Ref.make<Phase>("starting")
    const synced = yield* Deferred.make<void>()
    const shutdown = yield* Deferred.make<void>()
    const hardStop = yield* Deferred.make<void>()
    const elector = yield* Ref.make<Option.Option<LeaderElector>>(Option.none())

    if (options.probes !== undefined) {
      const metrics = Context.get(yield* Layer.build(PrometheusMetrics.layer), PrometheusMetrics.PrometheusMetrics)
      yield* serveProbes(options.probes, probeChecks(phase, synced, elector, metrics.scrape))
    }

    const controller = Effect.raceFirst(
      Effect.scoped(exposedApiController({
        startTaking: Effect.flatMap(Ref.get(elector), Option.match({ onNone: () => Effect.void, onSome: (e) => e.leading })),
        stopTaking: Deferred.await(shutdown),
        synced
      })),
      Deferred.await(hardStop)
    )

    const body = Effect.gen(function*() {
      const leader = Option.isSome(options.leaderElection) ? Option.some(yield* makeLeaderElector(options.leaderElection.value)) : Option.none()
      yield* Ref.set(elector, leader)
      yield* Ref.set(phase, "running")
      // the controller ending (shutdown) interrupts the elector, which releases the Lease; the elector failing
      // (leadership lost) interrupts the controller at once
      return yield* Option.match(leader, { onNone: () => controller, onSome: (e) => Effect.raceFirst(controller, e.run) })
    }).pipe(Effect.provide(services))

    const stopGracefully = (fiber: Fiber.RuntimeFiber<void, E | LeadershipLost>) =>
      Effect.gen(function*() {
        const before = yield* Ref.getAndSet(phase, "stopping")
        if (before === "starting") return yield* Fiber.interrupt(fiber)
        yield* Effect.logInfo("shutting down: no new reconciles; waiting for those in flight").pipe(
          Effect.annotateLogs({ gracePeriod: Duration.format(options.shutdownGracePeriod) })
        )
        yield* Deferred.succeed(shutdown, undefined)
        const finished = yield* Fiber.await(fiber).pipe(Effect.timeout(options.shutdownGracePeriod), Effect.option)
        if (Option.isSome(finished)) return
        yield* Effect.logWarning("grace period over; interrupting the reconciles still in flight")
        yield* Deferred.succeed(hardStop, undefined)
        const unwound = yield* Fiber.await(fiber).pipe(Effect.timeout(INTERRUPT_BOUND), Effect.option)
        if (Option.isNone(unwound)) yield* Fiber.interrupt(fiber).pipe(Effect.timeout(INTERRUPT_BOUND), Effect.ignore)
      })

    // a daemon, so that interrupting this program starts a graceful stop instead of cutting the work off
    const fiber = yield* Effect.forkDaemon(body)
    return yield* Fiber.join(fiber).pipe(
      Effect.onInterrupt(() => stopGracefully(fiber)),
      Effect.ensuring(Ref.set(phase, "stopped"))
    )
  }))

const probeChecks = (
  phase: Ref.Ref<Phase>,
  synced: Deferred.Deferred<void>,
  elector: Ref.Ref<Option.Option<LeaderElector>>,
  metrics: Effect.Effect<string>
): ProbeChecks => ({
  live: Effect.map(Ref.get(phase), (p) => (p === "stopped" ? ["the controller has stopped"] : [])),
  ready: Effect.gen(function*() {
    const reasons: Array<string> = []
    const p = yield* Ref.get(phase)
    if (p === "starting") reasons.push("start-up checks are running")
    if (p === "stopping" || p === "stopped") reasons.push("shutting down")
    if (!(yield* Deferred.isDone(synced))) reasons.push("the informers have not listed yet")
    const candidate = yield* Ref.get(elector)
    if (Option.isSome(candidate) && !(yield* candidate.value.isLeader) && !(yield* candidate.value.inContact)) {
      reasons.push("follower without contact with the API server (no Lease read within the lease duration)")
    }
    return reasons
  }),
  metrics
})
