import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, mergePatch, strategicPatch, type Harness } from "../Harness.ts"
import { failureStatus, startWidgetHarness, WatchRecorder, widget, widgets } from "./Contract.ts"

/** Tier 1 items 2 and 3: one global resourceVersion, no-op writes, optimistic concurrency and preconditions. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const service = (name: string): k8s.V1Service => ({ metadata: { name }, spec: { ports: [{ port: 80 }] } })

describe("one global resourceVersion", () => {
  it("is a decimal string shared by every kind, bumped by each write; a list carries the counter at read time", async () => {
    const a = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("rv-a") })
    const cm = await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "rv-cm" }, data: { k: "v" } } })
    const svc = await h.core.createNamespacedService({ namespace: ns, body: service("rv-svc") })
    const rvs = [a.metadata.resourceVersion, cm.metadata?.resourceVersion, svc.metadata?.resourceVersion]
    for (const rv of rvs) expect(rv).toMatch(/^[1-9]\d*$/)
    expect(rvs.map(Number)).toEqual([Number(rvs[0]), Number(rvs[0]) + 1, Number(rvs[0]) + 2])
    // a list of another kind still reports the latest revision
    const leases = await h.coordination.listNamespacedLease({ namespace: ns })
    expect(leases.metadata?.resourceVersion).toBe(svc.metadata?.resourceVersion)
    expect(leases.metadata?.resourceVersion).toBe(String(h.emulator.store.resourceVersion))
  })

  it("refuses a create that carries a resourceVersion (400, the storage layer's message)", async () => {
    const failure = await failureOf(h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "with-rv", resourceVersion: "3" } } }))
    expect(failure.code).toBe(400)
    expect(failure.body["message"]).toBe("resourceVersion should not be set on objects to be created")
  })
})

describe("no-op writes", () => {
  it("change nothing and emit no watch event (PUT, merge, JSON and strategic patch, /status)", async () => {
    const created = await h.custom.createNamespacedCustomObject({
      ...widgets, namespace: ns, body: widget("noop", { size: 2, tags: ["a"] }, { labels: { app: "x" } })
    })
    const svc = await h.core.createNamespacedService({ namespace: ns, body: service("noop-svc") })
    const widgetsWatch = await WatchRecorder.open(h.kc, `/apis/${widgets.group}/v1/namespaces/${ns}/widgets`, { resourceVersion: created.metadata.resourceVersion })
    const servicesWatch = await WatchRecorder.open(h.kc, `/api/v1/namespaces/${ns}/services`, { resourceVersion: svc.metadata?.resourceVersion })
    const before = h.emulator.store.resourceVersion

    const put = await h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "noop", body: created })
    const merge = await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "noop", body: { spec: { size: 2 } } }, mergePatch)
    const json = await h.custom.patchNamespacedCustomObject({
      ...widgets, namespace: ns, name: "noop", body: [{ op: "replace", path: "/metadata/labels/app", value: "x" }]
    })
    const status = await h.custom.patchNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "noop", body: { status: null } }, mergePatch)
    const strategic = await h.core.patchNamespacedService({ namespace: ns, name: "noop-svc", body: { spec: { ports: [{ port: 80 }] } } }, strategicPatch)
    const putService = await h.core.replaceNamespacedService({ namespace: ns, name: "noop-svc", body: svc })
    for (const result of [put, merge, json, status]) expect(result.metadata.resourceVersion).toBe(created.metadata.resourceVersion)
    for (const result of [strategic, putService]) expect(result.metadata?.resourceVersion).toBe(svc.metadata?.resourceVersion)
    expect(h.emulator.store.resourceVersion).toBe(before)

    // markers: once they arrive, anything the no-op writes had emitted would have arrived before them
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("noop-marker") })
    await h.core.createNamespacedService({ namespace: ns, body: service("noop-svc-marker") })
    await widgetsWatch.nextAbout("ADDED", "noop-marker")
    await servicesWatch.nextAbout("ADDED", "noop-svc-marker")
    expect(widgetsWatch.summary()).toEqual(["ADDED noop-marker"])
    expect(servicesWatch.summary()).toEqual(["ADDED noop-svc-marker"])
    widgetsWatch.close()
    servicesWatch.close()
  })
})

describe("optimistic concurrency", () => {
  it("409 Conflict on a stale resourceVersion, with the apiserver's Status", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("occ") })
    await h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "occ", body: { ...created, spec: { size: 3 } } })
    const stale = await failureOf(h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "occ", body: { ...created, spec: { size: 4 } } }))
    expect(stale).toEqual({
      code: 409,
      body: failureStatus(
        409,
        "Conflict",
        `Operation cannot be fulfilled on widgets.${widgets.group} "occ": the object has been modified; please apply your changes to the latest version and try again`,
        { name: "occ", group: widgets.group, kind: "widgets" }
      )
    })
  })

  it("422 for an update without resourceVersion on custom resources and Leases", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("uncond") })
    const { resourceVersion: _rv, ...metadata } = created.metadata
    const cr = await failureOf(h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "uncond", body: { ...created, metadata, spec: { size: 5 } } }))
    expect(cr.code).toBe(422)
    expect(cr.body).toMatchObject({
      reason: "Invalid",
      // store.Update passes the resource where a kind belongs, and Go prints the uint64 0 as 0x0
      message: 'widgets.test.example.com "uncond" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
      details: {
        name: "uncond",
        group: widgets.group,
        kind: "widgets",
        causes: [{ reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion" }]
      }
    })
    await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "uncond-lease" }, spec: { holderIdentity: "a" } } })
    const lease = await failureOf(
      h.coordination.replaceNamespacedLease({ namespace: ns, name: "uncond-lease", body: { metadata: { name: "uncond-lease" }, spec: { holderIdentity: "b" } } })
    )
    expect(lease.code).toBe(422)
    expect(lease.body["message"]).toBe('leases.coordination.k8s.io "uncond-lease" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update')
  })

  it("last write wins for Service, Ingress, ConfigMap and Event updates without resourceVersion", async () => {
    await h.core.createNamespacedService({ namespace: ns, body: service("lww-svc") })
    const svc = await h.core.replaceNamespacedService({
      namespace: ns,
      name: "lww-svc",
      body: { metadata: { name: "lww-svc", labels: { v: "2" } }, spec: { ports: [{ port: 81 }] } }
    })
    expect(svc.spec?.ports?.[0]?.port).toBe(81)
    const ingress = (name: string, host: string): k8s.V1Ingress => ({ metadata: { name }, spec: { rules: [{ host }] } })
    await h.networking.createNamespacedIngress({ namespace: ns, body: ingress("lww-ing", "a.example.com") })
    const ing = await h.networking.replaceNamespacedIngress({ namespace: ns, name: "lww-ing", body: ingress("lww-ing", "b.example.com") })
    expect(ing.spec?.rules?.[0]?.host).toBe("b.example.com")
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "lww-cm" }, data: { a: "1" } } })
    const cm = await h.core.replaceNamespacedConfigMap({ namespace: ns, name: "lww-cm", body: { metadata: { name: "lww-cm" }, data: { a: "2" } } })
    expect(cm.data).toEqual({ a: "2" })
    const event = (message: string): k8s.CoreV1Event => ({
      metadata: { name: "lww-ev" }, involvedObject: { kind: "Widget", name: "x", namespace: ns }, reason: "Test", message
    })
    await h.core.createNamespacedEvent({ namespace: ns, body: event("one") })
    const ev = await h.core.replaceNamespacedEvent({ namespace: ns, name: "lww-ev", body: event("two") })
    expect(ev.message).toBe("two")
  })

  it("a patch is unconditional unless its body carries metadata.resourceVersion, which is then a precondition", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("patch-pre") })
    const first = await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "patch-pre", body: { spec: { size: 2 } } }, mergePatch)
    const stale = await failureOf(
      h.custom.patchNamespacedCustomObject(
        { ...widgets, namespace: ns, name: "patch-pre", body: { metadata: { resourceVersion: created.metadata.resourceVersion }, spec: { size: 3 } } },
        mergePatch
      )
    )
    expect(stale.code).toBe(409)
    expect(stale.body["reason"]).toBe("Conflict")
    const current = await h.custom.patchNamespacedCustomObject(
      { ...widgets, namespace: ns, name: "patch-pre", body: { metadata: { resourceVersion: first.metadata.resourceVersion }, spec: { size: 3 } } },
      mergePatch
    )
    expect(current.spec.size).toBe(3)
    // the usual JSON-patch guard: test the resourceVersion, then replace
    const guarded = await failureOf(
      h.custom.patchNamespacedCustomObject({
        ...widgets, namespace: ns, name: "patch-pre",
        body: [{ op: "test", path: "/metadata/resourceVersion", value: first.metadata.resourceVersion }, { op: "replace", path: "/spec/size", value: 4 }]
      })
    )
    expect(guarded.code).toBe(422)
  })

  it("JSON patch: a failed test or a bad path is 422; an object body (the default content type trap) is 400", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("jp") })
    const failedTest = await failureOf(h.custom.patchNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      name: "jp",
      body: [{ op: "test", path: "/spec/size", value: 9 }]
    }))
    expect(failedTest.code).toBe(422)
    expect(failedTest.body["reason"]).toBe("Invalid")
    const badPath = await failureOf(h.custom.patchNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      name: "jp",
      body: [{ op: "replace", path: "/spec/missing/deep", value: 1 }]
    }))
    expect(badPath.code).toBe(422)
    const objectBody = await failureOf(h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "jp", body: { spec: { size: 2 } } }))
    expect(objectBody.code).toBe(400)
    expect(objectBody.body["message"]).toBe(
      "error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp"
    )
    const log = h.emulator.log.entries((e) => e.method === "PATCH" && e.path.endsWith("/widgets/jp"))
    expect(log.every((e) => e.contentType === "application/json-patch+json")).toBe(true)
  })

  it("a duplicate create is 409 AlreadyExists", async () => {
    await h.core.createNamespacedService({ namespace: ns, body: service("dup-svc") })
    const failure = await failureOf(h.core.createNamespacedService({ namespace: ns, body: service("dup-svc") }))
    expect(failure).toEqual({
      code: 409,
      body: failureStatus(409, "AlreadyExists", 'services "dup-svc" already exists', { name: "dup-svc", kind: "services" })
    })
  })

  it("DeleteOptions preconditions: a uid or resourceVersion mismatch is 409, a match deletes", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("pre-del") })
    const wrongUid = await failureOf(
      h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "pre-del", body: { preconditions: { uid: "00000000-0000-0000-0000-000000000000" } } })
    )
    expect(wrongUid.code).toBe(409)
    expect(wrongUid.body["message"]).toBe(
      `Operation cannot be fulfilled on widgets.${widgets.group} "pre-del": Precondition failed: UID in precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: ${created.metadata.uid}`
    )
    const wrongRv = await failureOf(
      h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "pre-del", body: { preconditions: { resourceVersion: "1" } } })
    )
    expect(wrongRv.code).toBe(409)
    const deleted = await h.custom.deleteNamespacedCustomObject({
      ...widgets, namespace: ns, name: "pre-del", body: { preconditions: { uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion } }
    })
    expect(deleted.status).toBe("Success")
  })

  it("PUT to a missing object: 404 for custom resources, Services and Ingresses; Leases and Events are created", async () => {
    const cr = await failureOf(h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "absent", body: widget("absent") }))
    expect(cr.code).toBe(404)
    expect(cr.body["message"]).toBe(`widgets.${widgets.group} "absent" not found`)
    const svc = await failureOf(h.core.replaceNamespacedService({ namespace: ns, name: "absent", body: service("absent") }))
    expect(svc.code).toBe(404)
    const ing = await failureOf(h.networking.replaceNamespacedIngress({ namespace: ns, name: "absent", body: { metadata: { name: "absent" }, spec: {} } }))
    expect(ing.code).toBe(404)
    const lease = await h.coordination.replaceNamespacedLeaseWithHttpInfo({ namespace: ns, name: "put-lease", body: { metadata: { name: "put-lease" }, spec: {} } })
    expect(lease.httpStatusCode).toBe(201)
    expect(lease.data.metadata?.uid).toBeDefined()
    const event = await h.core.replaceNamespacedEventWithHttpInfo({
      namespace: ns, name: "put-event", body: { metadata: { name: "put-event" }, involvedObject: { kind: "Widget", name: "x", namespace: ns } }
    })
    expect(event.httpStatusCode).toBe(201)
  })
})
