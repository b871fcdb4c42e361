import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, startHarness, type Harness } from "../Harness.ts"

/** Tier 2 item 15: core/v1 and events.k8s.io/v1 Events — one resource, two shapes, two validations. */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await h.core.createNamespace({ body: { metadata: { name: "ev" } } })
})
afterAll(async () => h.emulator.close())

const ns = "ev"
const eventTime = new k8s.V1MicroTime(Date.UTC(2024, 0, 1, 12))

const coreEvent = (name: string, involvedNamespace: string | undefined): k8s.CoreV1Event => ({
  metadata: { name },
  involvedObject: { kind: "ExposedAPI", name: "api", ...(involvedNamespace === undefined ? {} : { namespace: involvedNamespace }) },
  reason: "Published",
  message: "published to APIM",
  type: "Normal",
  source: { component: "apim-operator" }
})

const v1Event = (name: string, overrides: Partial<k8s.EventsV1Event> = {}): k8s.EventsV1Event => ({
  metadata: { name },
  eventTime,
  type: "Warning",
  reason: "PublishFailed",
  action: "Publish",
  note: "APIM said no",
  reportingController: "oda.tmforum.org/apim-operator",
  reportingInstance: "apim-operator-0",
  regarding: { kind: "ExposedAPI", name: "api", namespace: ns },
  ...overrides
})

describe("core/v1 (legacy validation)", () => {
  it("the event's namespace must equal involvedObject.namespace", async () => {
    await h.core.createNamespacedEvent({ namespace: ns, body: coreEvent("same-ns", ns) })
    const failure = await failureOf(h.core.createNamespacedEvent({ namespace: ns, body: coreEvent("other-ns", "default") }))
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toBe('Event "other-ns" is invalid: involvedObject.namespace: Invalid value: "default": does not match event.namespace')
  })

  it("an empty involvedObject.namespace is allowed only in default", async () => {
    await h.core.createNamespacedEvent({ namespace: "default", body: coreEvent("cluster-scoped", undefined) })
    const failure = await failureOf(h.core.createNamespacedEvent({ namespace: ns, body: coreEvent("cluster-scoped", undefined) }))
    expect(failure.code).toBe(422)
  })
})

describe("events.k8s.io/v1", () => {
  const causesOf = (failure: { readonly body: Record<string, unknown> }) =>
    (failure.body["details"] as { causes: ReadonlyArray<{ field: string; message: string }> }).causes.map((c) => `${c.field}: ${c.message}`)

  it("requires eventTime and a type of Normal or Warning; 422s name the core kind Event", async () => {
    // the model class lets a body leave out what its type declares required
    const empty = Object.assign(new k8s.EventsV1Event(), { metadata: { name: "empty" }, regarding: { kind: "ExposedAPI", name: "api", namespace: ns } })
    const failure = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: empty }))
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toBe('Event "empty" is invalid: [eventTime: Required value, type: Invalid value: "": has invalid value: ]')
    expect(failure.body["details"]).toMatchObject({ name: "empty", kind: "Event" })
    const badType = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: v1Event("bad-type", { type: "Error" }) }))
    expect(badType.body["message"]).toBe('Event "bad-type" is invalid: type: Invalid value: "": has invalid value: Error')
  })

  it("with eventTime set, requires reportingController (a qualified name), reportingInstance, action and reason", async () => {
    const failure = await failureOf(
      h.events.createNamespacedEvent({ namespace: ns, body: v1Event("no-reporting", { reportingController: "", reportingInstance: "", action: "", reason: "" }) })
    )
    expect(causesOf(failure)).toEqual([
      "reportingController: Required value",
      'reportingController: Invalid value: "": name part must be non-empty',
      "reportingController: Invalid value: \"\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "reportingInstance: Required value",
      "action: Required value",
      "reason: Required value"
    ])
  })

  it("refuses the deprecated core fields (named by their core names) and a note over 1024 characters", async () => {
    const deprecated = await failureOf(
      h.events.createNamespacedEvent({ namespace: ns, body: v1Event("deprecated", { deprecatedCount: 3, deprecatedSource: { component: "x" } }) })
    )
    expect(causesOf(deprecated)).toEqual(['count: Invalid value: "": needs to be unset', 'source: Invalid value: "": needs to be unset'])
    const longNote = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: v1Event("long-note", { note: "x".repeat(1025) }) }))
    expect(causesOf(longNote)).toEqual(['message: Invalid value: "": can have at most 1024 characters'])
  })

  it("on update, every field but series is immutable (core/v1 updates stay unrestricted)", async () => {
    const regarding = { kind: "ExposedAPI", name: "immutable-api", namespace: ns }
    const created = await h.events.createNamespacedEvent({ namespace: ns, body: v1Event("immutable", { regarding }) })
    const changedNote = await failureOf(h.events.replaceNamespacedEvent({ namespace: ns, name: "immutable", body: { ...created, note: "changed" } }))
    expect(changedNote.code).toBe(422)
    expect(changedNote.body["message"]).toBe('Event "immutable" is invalid: message: Invalid value: "changed": field is immutable')
    const withSeries = await h.events.replaceNamespacedEvent({
      namespace: ns, name: "immutable", body: { ...created, series: { count: 2, lastObservedTime: new k8s.V1MicroTime(Date.UTC(2024, 0, 1, 13)) } }
    })
    expect(withSeries.series?.count).toBe(2)
    const badSeries = await failureOf(h.events.replaceNamespacedEvent({ namespace: ns, name: "immutable", body: { ...withSeries, series: { count: 1, lastObservedTime: new k8s.V1MicroTime(Date.UTC(2024, 0, 1, 14)) } } }))
    expect(causesOf(badSeries)).toEqual(['series.count: Invalid value: "": should be at least 2'])
    const viaCore = await h.core.readNamespacedEvent({ namespace: ns, name: "immutable" })
    const coreUpdate = await h.core.replaceNamespacedEvent({ namespace: ns, name: "immutable", body: { ...viaCore, message: "changed through core/v1" } })
    expect(coreUpdate.message).toBe("changed through core/v1")
  })
})

describe("one resource, two API groups", () => {
  it("an event created through one group is listed, watched and deleted through the other, in that group's shape", async () => {
    await h.core.createNamespacedEvent({ namespace: ns, body: coreEvent("from-core", ns) })
    await h.events.createNamespacedEvent({ namespace: ns, body: v1Event("from-v1") })
    const viaV1 = await h.events.listNamespacedEvent({ namespace: ns })
    const fromCore = viaV1.items.find((e) => e.metadata?.name === "from-core")
    expect(fromCore?.regarding?.name).toBe("api")
    expect(fromCore?.note).toBe("published to APIM")
    const viaCore = await h.core.listNamespacedEvent({ namespace: ns, fieldSelector: "involvedObject.name=api,type=Warning" })
    expect(viaCore.items.map((e) => e.metadata?.name)).toEqual(["from-v1"])
    const fromV1 = viaCore.items[0]
    expect(fromV1?.involvedObject.kind).toBe("ExposedAPI")
    expect(fromV1?.message).toBe("APIM said no")
    expect(fromV1?.reportingComponent).toBe("oda.tmforum.org/apim-operator")
    expect(viaCore.metadata?.resourceVersion).toBe(viaV1.metadata?.resourceVersion)
    const status = await h.events.deleteNamespacedEvent({ namespace: ns, name: "from-core" })
    expect(status.status).toBe("Success")
    expect((await failureOf(h.core.readNamespacedEvent({ namespace: ns, name: "from-core" }))).code).toBe(404)
  })
})
