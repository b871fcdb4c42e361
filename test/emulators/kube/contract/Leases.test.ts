import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, startHarness, type Harness } from "../Harness.ts"
import { failureStatus } from "./Contract.ts"

/**
 * Tier 2 item 14: Leases, as leader election uses them. The server has no clock and no holder logic: only
 * optimistic concurrency, create-on-update and validation. The test owns the clock (renewTime values).
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const renew = (seconds: number) => new k8s.V1MicroTime(Date.UTC(2024, 0, 1, 0, 0, seconds))
const spec = (holder: string, seconds: number, transitions = 0): k8s.V1LeaseSpec => ({
  holderIdentity: holder, leaseDurationSeconds: 15, acquireTime: renew(0), renewTime: renew(seconds), leaseTransitions: transitions
})

describe("leader election over Leases", () => {
  it("create, renew with the current resourceVersion, and the server never touches holder or times", async () => {
    const created = await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "leader" }, spec: spec("a", 0) } })
    expect(created.spec?.holderIdentity).toBe("a")
    const renewed = await h.coordination.replaceNamespacedLease({ namespace: ns, name: "leader", body: { ...created, spec: spec("a", 10) } })
    const renewTime: unknown = renewed.spec?.renewTime
    expect(renewTime).toBe("2024-01-01T00:00:10.000000Z")
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(Number(created.metadata?.resourceVersion))
  })

  it("two candidates racing on the same resourceVersion: one wins, the other gets 409 Conflict", async () => {
    const lease = await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "race" }, spec: spec("a", 0) } })
    const seenByB = await h.coordination.readNamespacedLease({ namespace: ns, name: "race" })
    const seenByC = await h.coordination.readNamespacedLease({ namespace: ns, name: "race" })
    expect(seenByB.metadata?.resourceVersion).toBe(lease.metadata?.resourceVersion)
    const b = await h.coordination.replaceNamespacedLease({ namespace: ns, name: "race", body: { ...seenByB, spec: spec("b", 20, 1) } })
    expect(b.spec?.holderIdentity).toBe("b")
    const c = await failureOf(h.coordination.replaceNamespacedLease({ namespace: ns, name: "race", body: { ...seenByC, spec: spec("c", 20, 1) } }))
    expect(c).toEqual({
      code: 409,
      body: failureStatus(
        409,
        "Conflict",
        'Operation cannot be fulfilled on leases.coordination.k8s.io "race": the object has been modified; please apply your changes to the latest version and try again',
        { name: "race", group: "coordination.k8s.io", kind: "leases" }
      )
    })
  })

  it("two candidates racing to create: the second gets 409 AlreadyExists", async () => {
    const [first, second] = await Promise.allSettled([
      h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "first" }, spec: spec("a", 0) } }),
      h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "first" }, spec: spec("b", 0) } })
    ])
    const outcomes = [first, second].map((r) => (r.status === "fulfilled" ? "created" : r.reason instanceof k8s.ApiException ? r.reason.code : "other"))
    expect(outcomes.sort()).toEqual([409, "created"].sort())
  })

  it("PUT to a missing Lease creates it (AllowCreateOnUpdate); PUT without resourceVersion to an existing one is 422", async () => {
    const created = await h.coordination.replaceNamespacedLeaseWithHttpInfo({ namespace: ns, name: "put", body: { metadata: { name: "put" }, spec: spec("a", 0) } })
    expect(created.httpStatusCode).toBe(201)
    const unconditional = await failureOf(h.coordination.replaceNamespacedLease({ namespace: ns, name: "put", body: { metadata: { name: "put" }, spec: spec("b", 5) } }))
    expect(unconditional.code).toBe(422)
  })

  it("deleting a Lease answers a V1Status", async () => {
    await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "bye" }, spec: spec("a", 0) } })
    const status = await h.coordination.deleteNamespacedLease({ namespace: ns, name: "bye" })
    expect(status.status).toBe("Success")
  })
})

describe("validation", () => {
  it("leaseDurationSeconds must be greater than 0 and leaseTransitions at least 0 (422)", async () => {
    const duration = await failureOf(h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "bad" }, spec: { leaseDurationSeconds: 0 } } }))
    expect(duration.code).toBe(422)
    expect(duration.body["message"]).toBe('Lease.coordination.k8s.io "bad" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0')
    const transitions = await failureOf(h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "bad" }, spec: { leaseTransitions: -1 } } }))
    expect(transitions.body["message"]).toBe('Lease.coordination.k8s.io "bad" is invalid: spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0')
    const onUpdate = await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "good" }, spec: spec("a", 0) } })
    const update = await failureOf(h.coordination.replaceNamespacedLease({
      namespace: ns,
      name: "good",
      body: { ...onUpdate, spec: { ...spec("a", 1), leaseDurationSeconds: -5 } }
    }))
    expect(update.code).toBe(422)
  })
})
