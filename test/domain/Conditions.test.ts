import { Schema } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import {
  API_PUBLISHED,
  Condition,
  type ConditionUpdate,
  conditionsEqual,
  conditionsOf,
  hasReadyEndpoint,
  IMPLEMENTATION_READY,
  INGRESS_READY,
  POLICIES_APPLIED,
  READY,
  readyFrom,
  rfc3339Seconds,
  setCondition,
  toReason
} from "../../src/domain/Conditions.ts"

const t0 = new Date("2025-03-01T10:00:00.789Z")
const t1 = new Date("2025-03-01T10:05:00.123Z")

const update = (fields: Partial<ConditionUpdate> = {}): ConditionUpdate => ({
  type: INGRESS_READY,
  status: "True",
  reason: "AddressPublished",
  message: "the ingress controller published 20.50.1.2",
  observedGeneration: 1,
  ...fields
})

describe("setCondition", () => {
  it("adds a condition stamped with the time in whole seconds", () => {
    expect(setCondition([], update(), t0)).toEqual([
      {
        type: INGRESS_READY,
        status: "True",
        reason: "AddressPublished",
        message: "the ingress controller published 20.50.1.2",
        observedGeneration: 1,
        lastTransitionTime: "2025-03-01T10:00:00Z"
      }
    ])
  })

  it("returns the very same array when nothing changed", () => {
    const conditions = setCondition([], update(), t0)
    expect(setCondition(conditions, update(), t1)).toBe(conditions)
  })

  it("keeps lastTransitionTime when only the reason, message or generation change", () => {
    const conditions = setCondition([], update(), t0)
    const next = setCondition(conditions, update({ reason: "Other", message: "m", observedGeneration: 2 }), t1)
    expect(next).not.toBe(conditions)
    expect(next[0]).toMatchObject({ reason: "Other", message: "m", observedGeneration: 2, lastTransitionTime: "2025-03-01T10:00:00Z" })
  })

  it("moves lastTransitionTime when the status changes", () => {
    const conditions = setCondition([], update(), t0)
    expect(setCondition(conditions, update({ status: "False" }), t1)[0]?.lastTransitionTime).toBe("2025-03-01T10:05:00Z")
  })

  it("replaces in place and keeps the other conditions untouched", () => {
    const a = setCondition([], update({ type: "A" }), t0)
    const ab = setCondition(a, update({ type: "B" }), t0)
    const next = setCondition(ab, update({ type: "A", status: "False" }), t1)
    expect(next.map((condition) => condition.type)).toEqual(["A", "B"])
    expect(next[1]).toBe(ab[1])
  })

  it("makes the reason and message acceptable to the API server", () => {
    const [condition] = setCondition([], update({ reason: "Invalid spec!", message: "x".repeat(40_000) }), t0)
    expect(condition?.reason).toBe("Invalidspec")
    expect(condition?.message).toHaveLength(32768)
    expect(Schema.is(Condition)(condition)).toBe(true)
  })

  it("always yields valid conditions, one per type", () => {
    const updates = fc.array(
      fc.record({
        type: fc.constantFrom(READY, INGRESS_READY, API_PUBLISHED),
        status: fc.constantFrom("True", "False", "Unknown" as const),
        reason: fc.string(),
        message: fc.string(),
        observedGeneration: fc.nat()
      }),
      { maxLength: 20 }
    )
    fc.assert(
      fc.property(updates, fc.date({ min: new Date(0), max: new Date("9999-12-31"), noInvalidDate: true }), (steps, now) => {
        const conditions = steps.reduce<ReadonlyArray<Condition>>((acc, step) => setCondition(acc, step, now), [])
        expect(conditions.every(Schema.is(Condition))).toBe(true)
        expect(new Set(conditions.map((condition) => condition.type)).size).toBe(conditions.length)
      })
    )
  })
})

describe("toReason and rfc3339Seconds", () => {
  it.each([
    ["InvalidSpec", "InvalidSpec"],
    ["ApimError", "ApimError"],
    ["Address_Pending", "Address_Pending"],
    ["a:b,c", "a:b,c"],
    ["trailing:", "trailing"],
    ["42Answer", "Answer"],
    ["not ready", "notready"],
    ["", "Unspecified"],
    ["!!!", "Unspecified"]
  ])("%j becomes %j", (text, reason) => {
    expect(toReason(text)).toBe(reason)
  })

  it("drops sub-second precision", () => {
    expect(rfc3339Seconds(new Date("2025-01-02T03:04:05.999Z"))).toBe("2025-01-02T03:04:05Z")
  })
})

describe("conditionsEqual", () => {
  const one = setCondition([], update({ type: "A" }), t0)
  const two = setCondition(one, update({ type: "B" }), t0)

  it("compares by value, whatever the order", () => {
    expect(conditionsEqual(two, JSON.parse(JSON.stringify(two)))).toBe(true)
    expect(conditionsEqual(two, [...two].reverse())).toBe(true)
  })

  it("sees any difference", () => {
    expect(conditionsEqual(two, one)).toBe(false)
    expect(conditionsEqual(two, setCondition(two, update({ type: "B", message: "other" }), t0))).toBe(false)
    expect(conditionsEqual(two, setCondition(two, update({ type: "B", status: "False" }), t1))).toBe(false)
    expect(conditionsEqual([], [])).toBe(true)
  })
})

describe("conditionsOf", () => {
  it("reads the well-formed conditions of an opaque status and drops the rest", () => {
    const valid = setCondition([], update(), t0)
    const status = { conditions: [...valid, { type: "Broken" }, "text", { ...valid[0], reason: "not valid!" }], apiStatus: {} }
    expect(conditionsOf(status)).toEqual(valid)
    expect(conditionsOf(undefined)).toEqual([])
    expect(conditionsOf({ conditions: "none" })).toEqual([])
  })

  it("accepts conditions from other writers without observedGeneration", () => {
    const foreign = { type: "Synced", status: "True", reason: "Ok", message: "", lastTransitionTime: "2025-01-01T00:00:00+01:00" }
    expect(conditionsOf({ conditions: [foreign] })).toEqual([foreign])
  })
})

describe("readyFrom", () => {
  const gates = (status: "True" | "False" | "Unknown", generation = 2) =>
    [INGRESS_READY, API_PUBLISHED, POLICIES_APPLIED].reduce<ReadonlyArray<Condition>>(
      (acc, type) => setCondition(acc, update({ type, status, reason: `${type}Reason`, message: `${type} message`, observedGeneration: generation }), t0),
      []
    )

  it("is True when every gate is True for this generation", () => {
    expect(readyFrom(gates("True"), 2)).toMatchObject({ type: READY, status: "True", reason: "Published", observedGeneration: 2 })
  })

  it("does not wait for the implementation", () => {
    const withImplementation = setCondition(gates("True"), update({ type: IMPLEMENTATION_READY, status: "False", observedGeneration: 2 }), t0)
    expect(readyFrom(withImplementation, 2).status).toBe("True")
  })

  it("is False with the first failing gate's reason and message", () => {
    const conditions = setCondition(
      setCondition(gates("True"), update({ type: API_PUBLISHED, status: "False", reason: "ApimError", message: "503 from ARM", observedGeneration: 2 }), t0),
      update({ type: INGRESS_READY, status: "False", reason: "AddressPending", message: "no address yet", observedGeneration: 2 }),
      t0
    )
    expect(readyFrom(conditions, 2)).toEqual({
      type: READY,
      status: "False",
      reason: "AddressPending",
      message: "IngressReady: no address yet",
      observedGeneration: 2
    })
  })

  it("is Unknown while a gate is missing, Unknown, or from an older generation", () => {
    expect(readyFrom([], 1)).toMatchObject({ status: "Unknown", reason: "Reconciling", message: "waiting for IngressReady, ApiPublished, PoliciesApplied" })
    expect(readyFrom(gates("Unknown"), 2).status).toBe("Unknown")
    expect(readyFrom(gates("True", 1), 2)).toMatchObject({ status: "Unknown", message: "waiting for IngressReady, ApiPublished, PoliciesApplied" })
  })
})

describe("hasReadyEndpoint", () => {
  const slice = (...conditions: ReadonlyArray<unknown>) => ({ endpoints: conditions.map((c) => ({ addresses: ["10.0.0.1"], conditions: c })) })

  it.each([
    ["a ready endpoint", [slice({ ready: true })], true],
    ["an endpoint without conditions (ready by the API's rule)", [{ endpoints: [{ addresses: ["10.0.0.1"] }] }], true],
    ["ready: null", [slice({ ready: null })], true],
    ["one ready among unready ones, in another slice", [slice({ ready: false }), slice({ ready: false }, { ready: true })], true],
    ["no slices", [], false],
    ["a slice without endpoints", [{ endpoints: null }, {}], false],
    ["only unready (terminating) endpoints", [slice({ ready: false, serving: true, terminating: true })], false],
    ["garbage", ["x", null, { endpoints: ["y"] }], false]
  ])("%s: %s", (_, slices, expected) => {
    expect(hasReadyEndpoint(slices)).toBe(expected)
  })
})
