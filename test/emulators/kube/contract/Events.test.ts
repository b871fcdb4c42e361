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
  it("requires eventTime, type in {Normal, Warning}, reportingController, reportingInstance, action and reason", async () => {
    // the model class lets a body leave out what its type declares required
    const empty = Object.assign(new k8s.EventsV1Event(), { metadata: { name: "empty" }, regarding: { kind: "ExposedAPI", name: "api", namespace: ns } })
    const failure = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: empty }))
    expect(failure.code).toBe(422)
    const fields = (failure.body["details"] as { causes: ReadonlyArray<{ field: string }> }).causes.map((c) => c.field).sort()
    expect(fields).toEqual(["action", "eventTime", "reason", "reportingController", "reportingInstance", "type"])
    const badType = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: v1Event("bad-type", { type: "Error" }) }))
    expect(badType.body["message"]).toBe('Event.events.k8s.io "bad-type" is invalid: type: Unsupported value: "Error": supported values: "Normal", "Warning"')
  })

  it("refuses the deprecated core fields and a note over 1024 bytes", async () => {
    const deprecated = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: v1Event("deprecated", { deprecatedCount: 3 }) }))
    expect(deprecated.code).toBe(422)
    expect((deprecated.body["details"] as { causes: ReadonlyArray<{ field: string }> }).causes.map((c) => c.field)).toEqual(["deprecatedCount"])
    const longNote = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: v1Event("long-note", { note: "x".repeat(1025) }) }))
    expect(longNote.code).toBe(422)
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
