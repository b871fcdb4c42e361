import { Clock, Deferred, Duration, Effect, Metric, Option, Ref, Schedule, Schema } from "effect"
import { leaderStatus } from "../Metrics.ts"
import { type KubeError, type KubeObject, Leases } from "../services/KubeResources.ts"
import { Kubernetes } from "../services/Kubernetes.ts"
import type { LeaderElectionSettings } from "../services/RuntimeSettings.ts"
import { formatMicroTime, leaseBody, leaseDurationSeconds, type LeaseSpec, leaseSpecOf, recordKey } from "./LeaseRecord.ts"

/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's leaderelection semantics: a candidate takes
 * the Lease when it is free or expired, expiry judged on the candidate's own clock from the moment it first saw
 * the holder's current record (clocks are never compared across machines); the leader renews every retry
 * period and gives up when no renewal has succeeded for the renew deadline, which is shorter than the lease
 * duration, so it has stopped before anyone may take over. Every write is conditional on the resourceVersion
 * read (409: someone else wrote first; read again on the next try).
 */

export class LeadershipLost extends Schema.TaggedError<LeadershipLost>()("LeadershipLost", {
  lease: Schema.String,
  identity: Schema.String,
  message: Schema.String
}) {}

export interface LeaderElector {
  readonly identity: string
  /**
   * Acquires the Lease (retrying forever), then renews it; never succeeds. Fails with LeadershipLost when
   * renewals lapse or another holder is seen. Interrupted while leading, it releases the Lease first when
   * `releaseOnCancel` is set, so a follower takes over without waiting out the lease duration.
   */
  readonly run: Effect.Effect<never, LeadershipLost>
  /** Completes once this instance leads. */
  readonly leading: Effect.Effect<void>
  readonly isLeader: Effect.Effect<boolean>
  /** Whether the API server answered a Lease request within the last lease duration (a healthy follower). */
  readonly inContact: Effect.Effect<boolean>
}

/** What one try found: we hold the Lease, someone else does, or the API server could not be asked. */
type Attempt =
  | { readonly _tag: "Leading" }
  | { readonly _tag: "HeldByOther"; readonly holder: string }
  | { readonly _tag: "Failed"; readonly reason: string }

interface Observation {
  readonly spec: LeaseSpec
  readonly key: string
  /** Our clock (ms) when this record was first seen: the start of its lease duration for us. */
  readonly at: number
}

interface ElectorState {
  readonly leader: boolean
  readonly observed: Observation | undefined
  /** The Lease as last read or written, for the resourceVersion of the next conditional write. */
  readonly lease: KubeObject | undefined
  readonly contactAt: number
}

const leading: Attempt = { _tag: "Leading" }

/**
 * client-go's JitterUntil: the retry period plus up to 1.2 times as much, so candidates do not collide; whole
 * milliseconds, so clocks (the TestClock too) keep integral times.
 */
const candidateRetry = (retryPeriod: Duration.Duration) =>
  Schedule.spaced(retryPeriod).pipe(
    Schedule.jitteredWith({ min: 1, max: 2.2 }),
    Schedule.modifyDelay((delay) => Duration.millis(Math.round(Duration.toMillis(delay))))
  )

export const makeLeaderElector = (settings: LeaderElectionSettings): Effect.Effect<LeaderElector, never, Kubernetes> =>
  Effect.gen(function*() {
    const kube = yield* Kubernetes
    const where = { namespace: settings.namespace, name: settings.name }
    const leaseName = `${settings.namespace}/${settings.name}`
    const durationSeconds = leaseDurationSeconds(Duration.toMillis(settings.leaseDuration))
    const renewDeadlineMs = Duration.toMillis(settings.renewDeadline)
    const state = yield* Ref.make<ElectorState>({ leader: false, observed: undefined, lease: undefined, contactAt: Number.NEGATIVE_INFINITY })
    const acquired = yield* Deferred.make<void>()
    const status = Metric.tagged(leaderStatus, "name", settings.name)
    yield* Metric.set(status, 0) // followers export 0 rather than nothing
    const annotate = Effect.annotateLogs({ lease: leaseName, identity: settings.identity })

    const failed = (operation: string) => (error: KubeError): Effect.Effect<Attempt> =>
      Effect.logDebug(`lease ${operation} failed`, error.message).pipe(Effect.as({ _tag: "Failed", reason: `${operation}: ${error.message}` }))

    /** Remembers a Lease we wrote (or read) and notes that the API server answered. */
    const remember = (lease: KubeObject, now: number, wrote: boolean) =>
      Ref.update(state, (s): ElectorState => {
        const spec = leaseSpecOf(lease)
        const key = recordKey(spec)
        const observed = !wrote && s.observed?.key === key ? s.observed : { spec, key, at: now }
        return { ...s, lease, observed, contactAt: now }
      })

    const write = (spec: LeaseSpec, current: KubeObject | undefined, now: number): Effect.Effect<Attempt> =>
      (current === undefined
        ? kube.create(Leases, settings.namespace, leaseBody(where, spec))
        : kube.replace(Leases, settings.namespace, settings.name, leaseBody(where, spec, current))).pipe(
          Effect.tap((lease) => remember(lease, now, true)),
          Effect.as(leading),
          Effect.catchAll(failed(current === undefined ? "create" : "update"))
        )

    /** The record we write: a renewal keeps acquireTime and the transition count, a takeover counts one more. */
    const ourRecord = (previous: LeaseSpec | undefined, stamp: string): LeaseSpec => {
      const renewal = previous?.holderIdentity === settings.identity
      return {
        holderIdentity: settings.identity,
        leaseDurationSeconds: durationSeconds,
        acquireTime: renewal ? previous?.acquireTime ?? stamp : stamp,
        renewTime: stamp,
        leaseTransitions: previous === undefined ? 0 : (previous.leaseTransitions ?? 0) + (renewal ? 0 : 1)
      }
    }

    /** client-go's tryAcquireOrRenew: one read (skipped while our last renewal is valid), at most one write. */
    const attempt: Effect.Effect<Attempt> = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const stamp = formatMicroTime(yield* Clock.currentTimeNanos)
      const before = yield* Ref.get(state)
      if (before.leader && before.lease !== undefined && before.observed !== undefined && before.observed.at + durationSeconds * 1000 > now) {
        const renewed = yield* write(ourRecord(before.observed.spec, stamp), before.lease, now)
        if (renewed._tag === "Leading") return renewed
      }
      const found = yield* kube.get(Leases, settings.namespace, settings.name).pipe(Effect.either)
      if (found._tag === "Left") return yield* failed("read")(found.left)
      if (Option.isNone(found.right)) return yield* write(ourRecord(undefined, stamp), undefined, now)
      const current = found.right.value
      yield* remember(current, now, false)
      const observed = (yield* Ref.get(state)).observed
      const spec = observed?.spec ?? {}
      const holder = spec.holderIdentity ?? ""
      const expiresAt = (observed?.at ?? now) + (spec.leaseDurationSeconds ?? 0) * 1000
      if (holder !== "" && holder !== settings.identity && expiresAt > now) return { _tag: "HeldByOther", holder }
      return yield* write(ourRecord(spec, stamp), current, now)
    })

    const setLeader = (leader: boolean) =>
      Ref.update(state, (s): ElectorState => ({ ...s, leader })).pipe(Effect.zipRight(Metric.set(status, leader ? 1 : 0)))

    const acquire = Effect.gen(function*() {
      let lastHolder = ""
      yield* attempt.pipe(
        Effect.tap((a) => {
          if (a._tag !== "HeldByOther" || a.holder === lastHolder) return Effect.void
          lastHolder = a.holder
          return Effect.logInfo("another replica leads; waiting for the lease").pipe(Effect.annotateLogs({ holder: a.holder }))
        }),
        Effect.repeat({ schedule: candidateRetry(settings.retryPeriod), until: (a) => a._tag === "Leading" })
      )
      yield* setLeader(true)
      yield* Deferred.succeed(acquired, undefined)
      yield* Effect.logInfo("became the leader")
    })

    const lost = (message: string) =>
      setLeader(false).pipe(Effect.zipRight(Effect.fail(new LeadershipLost({ lease: leaseName, identity: settings.identity, message }))))

    /** Renews every retry period; each try is bounded by what is left of the renew deadline. */
    const renew: Effect.Effect<never, LeadershipLost> = Effect.gen(function*() {
      let lastRenewal = yield* Clock.currentTimeMillis
      while (true) {
        yield* Effect.sleep(settings.retryPeriod)
        const left = renewDeadlineMs - ((yield* Clock.currentTimeMillis) - lastRenewal)
        const outcome: Attempt = left <= 0
          ? { _tag: "Failed", reason: "no time left" }
          : yield* attempt.pipe(Effect.timeoutTo({ duration: Duration.millis(left), onSuccess: (a): Attempt => a, onTimeout: (): Attempt => ({ _tag: "Failed", reason: "timed out" }) }))
        const now = yield* Clock.currentTimeMillis
        if (outcome._tag === "Leading") lastRenewal = now
        else if (outcome._tag === "HeldByOther") return yield* lost(`the lease is now held by ${outcome.holder}`)
        else if (now - lastRenewal >= renewDeadlineMs) {
          return yield* lost(`no renewal succeeded within the renew deadline (${Duration.format(settings.renewDeadline)}); last failure: ${outcome.reason}`)
        } else yield* Effect.logWarning("lease renewal failed; retrying", outcome.reason)
      }
    })

    /** client-go's ReleaseOnCancel: an empty holder and a one-second duration, so the next candidate takes it at once. */
    const release = Effect.gen(function*() {
      const s = yield* Ref.get(state)
      yield* setLeader(false)
      if (!s.leader || !settings.releaseOnCancel || s.lease === undefined) return
      const stamp = formatMicroTime(yield* Clock.currentTimeNanos)
      const spec: LeaseSpec = { leaseDurationSeconds: 1, acquireTime: stamp, renewTime: stamp, leaseTransitions: s.observed?.spec.leaseTransitions ?? 0 }
      const releaseFrom = (lease: KubeObject) => kube.replace(Leases, settings.namespace, settings.name, leaseBody(where, spec, lease))
      yield* releaseFrom(s.lease).pipe(
        // a renewal interrupted in flight may have landed after all: release from the Lease as it now is, if still ours
        Effect.catchTag("KubeConflict", () =>
          kube.get(Leases, settings.namespace, settings.name).pipe(
            Effect.flatMap(Option.match({
              onNone: () => Effect.void,
              onSome: (current) => (leaseSpecOf(current).holderIdentity === settings.identity ? releaseFrom(current) : Effect.void)
            }))
          )),
        Effect.timeout(settings.renewDeadline),
        Effect.zipRight(Effect.logInfo("released the lease")),
        Effect.catchAll((error) => Effect.logWarning("could not release the lease; followers wait for it to expire", error.message))
      )
    })

    const run: Effect.Effect<never, LeadershipLost> = acquire.pipe(
      Effect.zipRight(renew),
      Effect.tapError((e) => Effect.logError("lost the leadership; stopping", e.message)),
      Effect.onInterrupt(() => release),
      annotate
    )

    return {
      identity: settings.identity,
      run,
      leading: Deferred.await(acquired),
      isLeader: Effect.map(Ref.get(state), (s) => s.leader),
      inContact: Effect.zipWith(Ref.get(state), Clock.currentTimeMillis, (s, now) => now - s.contactAt <= Duration.toMillis(settings.leaseDuration))
    }
  })
