import { describe, expect, it } from "vitest"
import { componentOwnerOf, componentStatusUpdate } from "../../src/domain/ComponentStatus.ts"

const api = { name: "r1-catalog-productcatalogmanagement", uid: "uid-1" }
const report = { url: "https://gw.example/r1/catalog", developerUI: "https://gw.example/r1/catalog/docs", ready: true }

/** A Component's status as the Canvas's Component operator leaves it after creating its ExposedAPIs. */
const canvasStatus = () => ({
  summary: { deployment_status: "In-Progress-CompCon" },
  coreAPIs: [
    { name: "r1-catalog-productcatalogmanagement", uid: "uid-1", ready: false },
    { name: "r1-catalog-other", uid: "uid-2", ready: true, url: "https://gw.example/other" }
  ],
  managementAPIs: [{ name: "r1-catalog-metrics", uid: "uid-3", ready: false }],
  securityAPIs: []
})

describe("componentOwnerOf", () => {
  it("finds the owning Component and the version to address it with", () => {
    const owners = [
      { apiVersion: "apps/v1", kind: "Deployment", name: "d", uid: "u0" },
      { apiVersion: "oda.tmforum.org/v1", kind: "Component", name: "r1-catalog", uid: "c1", controller: true }
    ]
    expect(componentOwnerOf(owners)).toEqual({ name: "r1-catalog", uid: "c1", version: "v1" })
  })

  it("ignores owners that are not ODA Components", () => {
    expect(componentOwnerOf(undefined)).toBeUndefined()
    expect(componentOwnerOf([{ apiVersion: "example.com/v1", kind: "Component", name: "x", uid: "u" }])).toBeUndefined()
  })
})

describe("componentStatusUpdate", () => {
  it("sets url, developerUI and ready on this API's entry (matched by uid) and leaves every other entry and list alone", () => {
    const update = componentStatusUpdate(canvasStatus(), api, report)
    expect(update).toEqual({
      _tag: "Changed",
      lists: {
        coreAPIs: [
          { name: "r1-catalog-productcatalogmanagement", uid: "uid-1", ready: true, url: report.url, developerUI: report.developerUI },
          { name: "r1-catalog-other", uid: "uid-2", ready: true, url: "https://gw.example/other" }
        ]
      }
    })
  })

  it("changes nothing when the entry already says it", () => {
    const status = canvasStatus()
    const written = componentStatusUpdate(status, api, report)
    const lists = written._tag === "Changed" ? written.lists : {}
    expect(componentStatusUpdate({ ...status, ...lists }, api, report)).toEqual({ _tag: "Unchanged" })
  })

  it("finds the entry in managementAPIs and securityAPIs too", () => {
    const update = componentStatusUpdate(canvasStatus(), { name: "r1-catalog-metrics", uid: "uid-3" }, { url: "", developerUI: undefined, ready: true })
    expect(update).toEqual({ _tag: "Changed", lists: { managementAPIs: [{ name: "r1-catalog-metrics", uid: "uid-3", ready: true, url: "" }] } })
  })

  it("matches an entry without uid by name, but never an entry of another uid with the same name", () => {
    const byName = componentStatusUpdate({ coreAPIs: [{ name: api.name, ready: false }] }, api, report)
    expect(byName._tag).toBe("Changed")
    expect(componentStatusUpdate({ coreAPIs: [{ name: api.name, uid: "someone-else", ready: false }] }, api, report)).toEqual({ _tag: "NoEntry" })
  })

  it("drops a developerUI the spec no longer has, and reports readiness going away", () => {
    const status = { coreAPIs: [{ name: api.name, uid: "uid-1", ready: true, url: report.url, developerUI: report.developerUI }] }
    expect(componentStatusUpdate(status, api, { url: report.url, developerUI: undefined, ready: false })).toEqual({
      _tag: "Changed",
      lists: { coreAPIs: [{ name: api.name, uid: "uid-1", ready: false, url: report.url }] }
    })
  })

  it("adds no entry the Component operator has not listed", () => {
    expect(componentStatusUpdate(undefined, api, report)).toEqual({ _tag: "NoEntry" })
    expect(componentStatusUpdate({ coreAPIs: "not a list" }, api, report)).toEqual({ _tag: "NoEntry" })
    expect(componentStatusUpdate({ coreAPIs: [{ name: "other", uid: "u9" }] }, api, report)).toEqual({ _tag: "NoEntry" })
  })
})
