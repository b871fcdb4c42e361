import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { DRIFT_MODE_ANNOTATION, driftModeOf, isDrift, type WriteReason, writesIn } from "../../src/domain/DriftMode.ts"

describe("driftModeOf", () => {
  it("is the operator's default without the annotation", () => {
    expect(driftModeOf(undefined, "correct")).toEqual(Either.right("correct"))
    expect(driftModeOf({ other: "x" }, "report-only")).toEqual(Either.right("report-only"))
  })

  it("reads each mode from the annotation, whatever the case and surrounding blanks", () => {
    expect(driftModeOf({ [DRIFT_MODE_ANNOTATION]: "paused" }, "correct")).toEqual(Either.right("paused"))
    expect(driftModeOf({ [DRIFT_MODE_ANNOTATION]: " Report-Only " }, "correct")).toEqual(Either.right("report-only"))
    expect(driftModeOf({ [DRIFT_MODE_ANNOTATION]: "CORRECT" }, "paused")).toEqual(Either.right("correct"))
  })

  it("names the annotation, the choices and the value when the value is not a mode", () => {
    const invalid = driftModeOf({ [DRIFT_MODE_ANNOTATION]: "pause" }, "correct")
    expect(Either.isLeft(invalid)).toBe(true)
    const message = Either.isLeft(invalid) ? invalid.left : ""
    expect(message).toContain(`metadata.annotations["oda.tmforum.org/drift-mode"]`)
    expect(message).toContain(`"correct", "report-only", "paused"`)
    expect(message).toContain(`"pause"`)
  })
})

describe("writesIn", () => {
  const reasons: ReadonlyArray<WriteReason> = ["absent", "changed", "drift", "missing"]

  it("correct writes every difference", () => {
    expect(reasons.filter((r) => writesIn("correct", r))).toEqual(reasons)
  })

  it("report-only writes what the spec asks for (first publication, changes) and leaves drift as it is", () => {
    expect(reasons.filter((r) => writesIn("report-only", r))).toEqual(["absent", "changed"])
    expect(reasons.filter(isDrift)).toEqual(["drift", "missing"])
  })

  it("paused writes nothing", () => {
    expect(reasons.filter((r) => writesIn("paused", r))).toEqual([])
  })
})
