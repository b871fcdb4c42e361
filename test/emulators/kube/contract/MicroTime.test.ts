import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, startHarness, type Harness } from "../Harness.ts"
import { failureStatus } from "./Contract.ts"

/**
 * Tier 2 item 13: MicroTime fields (Lease acquireTime/renewTime, events.k8s.io eventTime and series.lastObservedTime)
 * decode only with exactly six fractional digits; client-node sends six only for `new V1MicroTime(...)`.
 */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const at = new Date("2024-01-02T03:04:05.678Z")
const micro = "2024-01-02T03:04:05.678000Z"
const parseError = (kind: string) =>
  `${kind} in version "v1" cannot be handled as a ${kind}: parsing time "2024-01-02T03:04:05.678Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".678Z" as ".000000"`

const eventsV1 = (name: string, eventTime: Date): k8s.EventsV1Event => ({
  metadata: { name },
  eventTime,
  type: "Normal",
  reason: "Published",
  action: "Publish",
  note: "published",
  reportingController: "oda.tmforum.org/apim-operator",
  reportingInstance: "apim-operator-0",
  regarding: { kind: "ExposedAPI", name: "x", namespace: ns }
})

describe("Lease", () => {
  it("accepts V1MicroTime (6 digits on the wire) and reads it back as a string", async () => {
    await h.coordination.createNamespacedLease({
      namespace: ns, body: { metadata: { name: "micro" }, spec: { holderIdentity: "a", acquireTime: new k8s.V1MicroTime(at), renewTime: new k8s.V1MicroTime(at) } }
    })
    const [sent] = h.emulator.log.entries((e) => e.method === "POST" && e.path.endsWith("/leases"))
    expect(JSON.parse(sent?.body ?? "{}").spec.renewTime).toBe(micro)
    const read = await h.coordination.readNamespacedLease({ namespace: ns, name: "micro" })
    const renewTime: unknown = read.spec?.renewTime
    expect(renewTime).toBe(micro) // typed as V1MicroTime, a string at runtime
    expect(typeof read.spec?.acquireTime).toBe("string")
    expect(read.metadata?.creationTimestamp).toBeInstanceOf(Date) // metav1.Time is revived
  })

  it("refuses a plain Date (3 digits) with the apiserver's 400", async () => {
    const failure = await failureOf(h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "millis" }, spec: { renewTime: at } } }))
    expect(failure).toEqual({
      code: 400,
      body: failureStatus(400, "BadRequest", parseError("Lease"))
    })
    const onUpdate = await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "millis-update" }, spec: {} } })
    const update = await failureOf(h.coordination.replaceNamespacedLease({ namespace: ns, name: "millis-update", body: { ...onUpdate, spec: { acquireTime: at } } }))
    expect(update.code).toBe(400)
  })
})

describe("events.k8s.io Event", () => {
  it("accepts eventTime as V1MicroTime and refuses a plain Date", async () => {
    const created = await h.events.createNamespacedEvent({ namespace: ns, body: eventsV1("micro-ev", new k8s.V1MicroTime(at)) })
    const eventTime: unknown = created.eventTime
    expect(eventTime).toBe(micro)
    const failure = await failureOf(h.events.createNamespacedEvent({ namespace: ns, body: eventsV1("millis-ev", at) }))
    expect(failure.code).toBe(400)
    expect(failure.body["message"]).toBe(parseError("Event"))
  })

  it("series.lastObservedTime is a MicroTime too", async () => {
    const failure = await failureOf(
      h.events.createNamespacedEvent({ namespace: ns, body: { ...eventsV1("series-ev", new k8s.V1MicroTime(at)), series: { count: 2, lastObservedTime: at } } })
    )
    expect(failure.code).toBe(400)
    expect(failure.body["message"]).toBe(parseError("Event"))
  })
})

describe("core v1 Event", () => {
  it("eventTime is a MicroTime there as well", async () => {
    const event = (name: string, eventTime: Date): k8s.CoreV1Event => ({
      metadata: { name }, involvedObject: { kind: "ExposedAPI", name: "x", namespace: ns }, eventTime, reportingComponent: "op", reportingInstance: "op-0", action: "Publish", reason: "Published"
    })
    const created = await h.core.createNamespacedEvent({ namespace: ns, body: event("core-micro", new k8s.V1MicroTime(at)) })
    const eventTime: unknown = created.eventTime
    expect(eventTime).toBe(micro)
    const failure = await failureOf(h.core.createNamespacedEvent({ namespace: ns, body: event("core-millis", at) }))
    expect(failure.code).toBe(400)
    expect(failure.body["message"]).toBe(parseError("Event"))
  })
})

describe("metav1.Time", () => {
  it("accepts any RFC 3339 and is emitted with whole seconds (core Event firstTimestamp/lastTimestamp)", async () => {
    const created = await h.core.createNamespacedEvent({
      namespace: ns,
      body: { metadata: { name: "whole-seconds" }, involvedObject: { kind: "ExposedAPI", name: "x", namespace: ns }, firstTimestamp: at, lastTimestamp: at, count: 1 }
    })
    const [sent] = h.emulator.log.entries((e) => e.method === "POST" && e.path === `/api/v1/namespaces/${ns}/events` && e.body.includes("whole-seconds"))
    expect(JSON.parse(sent?.body ?? "{}").firstTimestamp).toBe("2024-01-02T03:04:05.678Z")
    expect(created.firstTimestamp?.toISOString()).toBe("2024-01-02T03:04:05.000Z")
    const read = await h.core.readNamespacedEvent({ namespace: ns, name: "whole-seconds" })
    expect(read.lastTimestamp?.toISOString()).toBe("2024-01-02T03:04:05.000Z")
  })
})
