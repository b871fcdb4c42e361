import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Fiber, Metric, TestClock } from "effect"
import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { leaderStatus } from "../../src/Metrics.ts"
import { makeLeaderElector } from "../../src/programs/LeaderElection.ts"
import { formatMicroTime } from "../../src/programs/LeaseRecord.ts"
import type { LeaderElectionSettings } from "../../src/services/RuntimeSettings.ts"
import { type LeaseDoor, makeLeaseDoor } from "./LeaseDoor.ts"

/** client-go's defaults: lease 15 s, renew deadline 10 s, retry 2 s. */
const settings = (identity: string, overrides: Partial<LeaderElectionSettings> = {}): LeaderElectionSettings => ({
  namespace: "default",
  name: "oda-apim-operator",
  identity,
  leaseDuration: Duration.seconds(15),
  renewDeadline: Duration.seconds(10),
  retryPeriod: Duration.seconds(2),
  releaseOnCancel: true,
  ...overrides
})

const specOf = (lease: JsonObject | undefined): JsonObject => {
  const spec = lease?.["spec"]
  return isJsonObject(spec) ? spec : {}
}

const holderOf = (door: LeaseDoor) => specOf(door.lease("default", "oda-apim-operator"))["holderIdentity"]

/** Shorter than client-go's, for fewer timers on the TestClock: lease 4 s, renew deadline 3 s, retry 1 s. */
const short: Partial<LeaderElectionSettings> = { leaseDuration: Duration.seconds(4), renewDeadline: Duration.seconds(3), retryPeriod: Duration.seconds(1) }

/** Starts a candidate on the door; returns it and its running fiber. */
const candidate = (door: LeaseDoor, identity: string, overrides: Partial<LeaderElectionSettings> = short) =>
  Effect.gen(function*() {
    const elector = yield* makeLeaderElector(settings(identity, { ...short, ...overrides })).pipe(Effect.provide(door.layer))
    const fiber = yield* Effect.forkScoped(elector.run)
    yield* TestClock.adjust(0)
    return { elector, fiber }
  })

/** Lets `seconds` pass on the TestClock; every timer due in between fires, in order. */
const pass = (seconds: number) => TestClock.adjust(Duration.seconds(seconds))

describe("LeaderElection", () => {
  it("formats MicroTime with exactly six fractional digits, as the API server requires", () => {
    expect(formatMicroTime(1_700_000_000_123_456_789n)).toBe("2023-11-14T22:13:20.123456Z")
    expect(formatMicroTime(0n)).toBe("1970-01-01T00:00:00.000000Z")
    expect(formatMicroTime(5_000_000n)).toBe("1970-01-01T00:00:00.005000Z")
  })

  it.scoped("creates the Lease when there is none and leads, with MicroTime stamps the emulator accepts", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      yield* TestClock.setTime(Date.UTC(2030, 0, 2, 3, 4, 5, 678))
      const a = yield* candidate(door, "a", settings("a"))
      expect(yield* a.elector.isLeader).toBe(true)
      yield* a.elector.leading // completes
      const spec = specOf(door.lease("default", "oda-apim-operator"))
      expect(spec).toEqual({
        holderIdentity: "a",
        leaseDurationSeconds: 15,
        acquireTime: "2030-01-02T03:04:05.678000Z",
        renewTime: "2030-01-02T03:04:05.678000Z",
        leaseTransitions: 0
      })
      expect(yield* Metric.value(Metric.tagged(leaderStatus, "name", "oda-apim-operator"))).toEqual(expect.objectContaining({ value: 1 }))
    }))

  it.scoped("renews every retry period without reading first, keeping acquireTime and the transition count", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      yield* candidate(door, "a")
      door.requests.length = 0
      yield* pass(3)
      const spec = specOf(door.lease("default", "oda-apim-operator"))
      expect(spec["renewTime"]).toBe("1970-01-01T00:00:03.000000Z")
      expect(spec["acquireTime"]).toBe("1970-01-01T00:00:00.000000Z")
      expect(spec["leaseTransitions"]).toBe(0)
      expect(door.requests).toEqual(["replace", "replace", "replace"])
    }))

  it.scoped("a follower waits while the leader renews, and takes over one lease duration after the last renewal it saw", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      const a = yield* candidate(door, "a", { releaseOnCancel: false })
      const b = yield* candidate(door, "b")
      yield* pass(4)
      expect(yield* b.elector.isLeader).toBe(false)
      expect(yield* b.elector.inContact).toBe(true)
      // the leader dies without a word: its last renewal was at 4 s
      yield* Fiber.interrupt(a.fiber)
      // b first saw that renewal at its next try (by 6.2 s): not expired before 8 s for b
      yield* pass(3)
      expect(holderOf(door)).toBe("a")
      expect(yield* b.elector.isLeader).toBe(false)
      // expired by 10.2 s at the latest, taken at b's next try (at most 2.2 × 1 s later)
      yield* pass(6)
      expect(yield* b.elector.isLeader).toBe(true)
      const spec = specOf(door.lease("default", "oda-apim-operator"))
      expect(spec["holderIdentity"]).toBe("b")
      expect(spec["leaseTransitions"]).toBe(1)
    }))

  it.scoped("judges expiry on its own clock from when it saw the record, never by the holder's timestamps", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      // a holder whose clock is years behind ours: its renewTime looks long expired to a naive comparison
      door.door.create({
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: "oda-apim-operator", namespace: "default" },
        spec: { holderIdentity: "slow-clock", leaseDurationSeconds: 15, renewTime: "2001-01-01T00:00:00.000000Z", acquireTime: "2001-01-01T00:00:00.000000Z", leaseTransitions: 4 }
      })
      yield* TestClock.setTime(Date.UTC(2030, 0, 1))
      const b = yield* candidate(door, "b", { leaseDuration: Duration.seconds(15), renewDeadline: Duration.seconds(10), retryPeriod: Duration.seconds(2) })
      yield* pass(14)
      expect(yield* b.elector.isLeader).toBe(false)
      yield* pass(5)
      expect(yield* b.elector.isLeader).toBe(true)
      expect(specOf(door.lease("default", "oda-apim-operator"))["leaseTransitions"]).toBe(5)
    }))

  it.scoped("a leader whose renewals fail gives up after the renew deadline, before the lease could expire for others", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      const a = yield* candidate(door, "a")
      yield* pass(2) // last renewal at 2 s
      door.unreachable = true
      yield* pass(2)
      expect(yield* a.elector.isLeader).toBe(true)
      expect(a.fiber.unsafePoll()).toBeNull()
      yield* pass(2)
      const exit = yield* Fiber.await(a.fiber)
      expect(Exit.isFailure(exit) && exit.cause.toString()).toContain("LeadershipLost")
      expect(yield* a.elector.isLeader).toBe(false)
      expect(yield* Metric.value(Metric.tagged(leaderStatus, "name", "oda-apim-operator"))).toEqual(expect.objectContaining({ value: 0 }))
    }))

  it.scoped("a leader that finds another holder stops at once", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      const a = yield* candidate(door, "a")
      // someone writes between a's renewals: a's conditional write meets 409, its re-read finds the intruder
      door.beforeNextReplace = () => {
        const lease = door.lease("default", "oda-apim-operator")
        door.door.replace({ ...lease, spec: { ...specOf(lease), holderIdentity: "intruder", renewTime: "2030-01-01T00:00:00.000000Z" } })
      }
      yield* pass(1)
      const exit = yield* Fiber.await(a.fiber)
      expect(Exit.isFailure(exit) && exit.cause.toString()).toContain("the lease is now held by intruder")
      expect(door.requests.slice(-2)).toEqual(["replace", "get"])
    }))

  it.scoped("a candidate whose write meets 409 reads again and respects the writer that won", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      const a = yield* candidate(door, "a", { releaseOnCancel: false })
      yield* Fiber.interrupt(a.fiber)
      const b = yield* candidate(door, "b")
      // when b takes the expired lease over, c has just done the same: b's conditional write loses
      door.beforeNextReplace = () => {
        const lease = door.lease("default", "oda-apim-operator")
        door.door.replace({ ...lease, spec: { ...specOf(lease), holderIdentity: "c", renewTime: "2030-01-01T00:00:00.000000Z" } })
      }
      yield* pass(7)
      expect(door.beforeNextReplace).toBeUndefined()
      expect(holderOf(door)).toBe("c")
      expect(yield* b.elector.isLeader).toBe(false)
      // c's record is new to b (seen at 5 s at the earliest): b waits a full lease duration again
      yield* pass(1)
      expect(yield* b.elector.isLeader).toBe(false)
    }))

  it.scoped("releases the Lease when interrupted, so the next candidate takes it at once", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      const a = yield* candidate(door, "a")
      const b = yield* candidate(door, "b")
      yield* pass(2)
      yield* Fiber.interrupt(a.fiber)
      const released = specOf(door.lease("default", "oda-apim-operator"))
      expect(released["holderIdentity"]).toBeUndefined()
      expect(released["leaseDurationSeconds"]).toBe(1)
      expect(released["leaseTransitions"]).toBe(0)
      yield* pass(3)
      expect(yield* b.elector.isLeader).toBe(true)
      expect(specOf(door.lease("default", "oda-apim-operator"))["leaseTransitions"]).toBe(1)
    }))

  it.scoped("a follower that cannot reach the API server says so", () =>
    Effect.gen(function*() {
      const door = makeLeaseDoor()
      yield* candidate(door, "a")
      const b = yield* candidate(door, "b")
      expect(yield* b.elector.inContact).toBe(true)
      door.unreachable = true
      yield* pass(5)
      expect(yield* b.elector.inContact).toBe(false)
      door.unreachable = false
      yield* pass(3)
      expect(yield* b.elector.inContact).toBe(true)
    }))
})
