import { describe, expect, it } from "vitest"
import { desiredTags, isOperatorTag, planTags } from "../../src/domain/ApiTags.ts"

const segment = { id: "oda-segment-corefunction", displayName: "segment:coreFunction" }
const component = { id: "oda-component-r1-catalog", displayName: "component:r1-catalog" }

describe("API tags", () => {
  it("come from the segment and the Component label", () => {
    expect(desiredTags({ segment: "coreFunction", component: "r1-catalog" })).toEqual([segment, component])
    expect(desiredTags({ segment: "managementFunction" })).toEqual([{ id: "oda-segment-managementfunction", displayName: "segment:managementFunction" }])
  })

  it("plan nothing when the API carries them already (ids compared as APIM does, without case)", () => {
    expect(planTags([segment, component], [{ ...segment, id: "ODA-segment-coreFunction" }, component])).toEqual({ ensure: [], detach: [] })
  })

  it("assign what is missing, rename what was renamed, detach the operator's stale tags and leave others' alone", () => {
    const plan = planTags(
      [segment, component],
      [{ ...segment, displayName: "renamed" }, { id: "oda-component-r0-old", displayName: "component:r0-old" }, { id: "team-tag", displayName: "mine" }]
    )
    expect(plan.ensure).toEqual([{ ...segment, assign: false }, { ...component, assign: true }])
    expect(plan.detach).toEqual(["oda-component-r0-old"])
  })

  it("recognise only the operator's tag families", () => {
    expect(isOperatorTag("oda-segment-corefunction")).toBe(true)
    expect(isOperatorTag("oda-component-x")).toBe(true)
    expect(isOperatorTag("oda-something-else")).toBe(false)
    expect(isOperatorTag("segment")).toBe(false)
  })
})
