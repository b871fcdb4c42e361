import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, mergePatch, type Harness } from "../Harness.ts"
import { at, rvOf, startWidgetHarness, WatchRecorder, widget, widgets } from "./Contract.ts"

/** Tier 1 item 7: finalizers, deletionTimestamp and what DELETE answers. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const widgetsPath = `/apis/${widgets.group}/v1/namespaces/${ns}/widgets`
const held = (name: string, finalizers: ReadonlyArray<string> = ["test/hold"]) => widget(name, { size: 1 }, { finalizers })

describe("DELETE of an object with finalizers", () => {
  it("sets deletionTimestamp (whole seconds) and deletionGracePeriodSeconds 0, writes it (MODIFIED, new RV) and answers 200 with it", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: held("mark") })
    const watch = await WatchRecorder.open(h.kc, widgetsPath, { resourceVersion: created.metadata.resourceVersion })
    const response = await h.custom.deleteNamespacedCustomObjectWithHttpInfo({ ...widgets, namespace: ns, name: "mark" })
    expect(response.httpStatusCode).toBe(200)
    const marked = response.data
    expect(marked.metadata.deletionTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0)
    expect(marked.metadata.finalizers).toEqual(["test/hold"])
    expect(Number(marked.metadata.resourceVersion)).toBeGreaterThan(Number(created.metadata.resourceVersion))
    const modified = await watch.nextAbout("MODIFIED", "mark")
    expect(rvOf(modified.object)).toBe(marked.metadata.resourceVersion)
    expect(at(modified.object, "metadata", "deletionTimestamp")).toBe(marked.metadata.deletionTimestamp)
    // still readable and listable
    const read = await h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "mark" })
    expect(read.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp)
    const list = await h.custom.listNamespacedCustomObject({ ...widgets, namespace: ns, fieldSelector: "metadata.name=mark" })
    expect(list.items).toHaveLength(1)
    watch.close()
  })

  it("a repeated DELETE returns the object unchanged", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: held("twice") })
    const first = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "twice" })
    const second = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "twice" })
    expect(second).toEqual(first)
  })

  it("updates may remove finalizers but not add new ones (422 with the apiserver's message)", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: held("no-new", ["test/a", "test/b"]) })
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "no-new" })
    const added = await failureOf(
      h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "no-new", body: { metadata: { finalizers: ["test/a", "test/b", "test/c"] } } }, mergePatch)
    )
    expect(added.code).toBe(422)
    expect(added.body["message"]).toBe(
      `Widget.${widgets.group} "no-new" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"test/c"}`
    )
    const removed = await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "no-new", body: { metadata: { finalizers: ["test/b"] } } }, mergePatch)
    expect(removed.metadata.finalizers).toEqual(["test/b"])
  })

  it("an update cannot clear or change deletionTimestamp: the server keeps the old one", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: held("keep-ts") })
    const marked = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "keep-ts" })
    const cleared = await h.custom.replaceNamespacedCustomObject({
      ...widgets, namespace: ns, name: "keep-ts",
      body: { ...marked, metadata: { ...marked.metadata, deletionTimestamp: undefined, labels: { a: "b" } } }
    })
    expect(cleared.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp)
    const changed = await h.custom.patchNamespacedCustomObject(
      { ...widgets, namespace: ns, name: "keep-ts", body: { metadata: { deletionTimestamp: "2001-01-01T00:00:00Z" } } },
      mergePatch
    )
    expect(changed.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp)
  })

  it("emptying the finalizers deletes it: 200 with the submitted object, and watchers get DELETED with the last stored state and a new RV", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: held("release") })
    const marked = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "release" })
    const watch = await WatchRecorder.open(h.kc, widgetsPath, { resourceVersion: marked.metadata.resourceVersion })
    const response = await h.custom.patchNamespacedCustomObjectWithHttpInfo(
      { ...widgets, namespace: ns, name: "release", body: { metadata: { finalizers: null } } },
      mergePatch
    )
    expect(response.httpStatusCode).toBe(200)
    expect(response.data.metadata.finalizers).toBeUndefined()
    expect(response.data.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp)
    const deleted = await watch.nextAbout("DELETED", "release")
    expect(at(deleted.object, "metadata", "finalizers")).toEqual(["test/hold"])
    expect(Number(rvOf(deleted.object))).toBeGreaterThan(Number(marked.metadata.resourceVersion))
    expect((await failureOf(h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "release" }))).code).toBe(404)
    watch.close()
  })
})

describe("DELETE of an object without finalizers", () => {
  it("removes it at once and emits DELETED", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("at-once") })
    const watch = await WatchRecorder.open(h.kc, widgetsPath, { resourceVersion: created.metadata.resourceVersion })
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "at-once" })
    await watch.nextAbout("DELETED", "at-once")
    expect(watch.summary()).toEqual(["DELETED at-once"])
    watch.close()
  })

  it("answers a Success Status (name, group, plural, uid) for custom resources, Ingresses, Leases, Events and EndpointSlices", async () => {
    const cr = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("st-cr") })
    expect(await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "st-cr" })).toEqual({
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", details: { name: "st-cr", group: widgets.group, kind: "widgets", uid: cr.metadata.uid }
    })
    const ing = await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: "st-ing" }, spec: {} } })
    const ingStatus: k8s.V1Status = await h.networking.deleteNamespacedIngress({ namespace: ns, name: "st-ing" })
    expect(ingStatus.status).toBe("Success")
    expect(ingStatus.details).toEqual({ name: "st-ing", group: "networking.k8s.io", kind: "ingresses", uid: ing.metadata?.uid })
    await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "st-lease" }, spec: {} } })
    const leaseStatus = await h.coordination.deleteNamespacedLease({ namespace: ns, name: "st-lease" })
    expect(leaseStatus.details?.kind).toBe("leases")
    expect(leaseStatus.details?.group).toBe("coordination.k8s.io")
    await h.core.createNamespacedEvent({ namespace: ns, body: { metadata: { name: "st-ev" }, involvedObject: { namespace: ns, name: "x" } } })
    const eventStatus = await h.core.deleteNamespacedEvent({ namespace: ns, name: "st-ev" })
    expect(eventStatus.details).toMatchObject({ name: "st-ev", kind: "events" })
    expect(eventStatus.details?.group).toBeUndefined()
    await h.discovery.createNamespacedEndpointSlice({ namespace: ns, body: { metadata: { name: "st-eps" }, addressType: "IPv4", endpoints: [] } })
    const sliceStatus = await h.discovery.deleteNamespacedEndpointSlice({ namespace: ns, name: "st-eps" })
    expect(sliceStatus.details).toMatchObject({ name: "st-eps", group: "discovery.k8s.io", kind: "endpointslices" })
  })

  it("answers the deleted object for a Service (typed V1Service)", async () => {
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "st-svc" }, spec: { ports: [{ port: 80 }] } } })
    const deleted: k8s.V1Service = await h.core.deleteNamespacedService({ namespace: ns, name: "st-svc" })
    expect(deleted.metadata?.name).toBe("st-svc")
    expect(deleted.spec?.ports?.[0]?.port).toBe(80)
  })
})

describe("deletionTimestamp is the server's", () => {
  it("create ignores a client-supplied deletionTimestamp", async () => {
    const created = await h.custom.createNamespacedCustomObject({
      ...widgets, namespace: ns, body: widget("born-deleting", { size: 1 }, { deletionTimestamp: "2020-01-01T00:00:00Z", deletionGracePeriodSeconds: 5 })
    })
    expect(created.metadata.deletionTimestamp).toBeUndefined()
    expect(created.metadata.deletionGracePeriodSeconds).toBeUndefined()
  })

  it("an update that sets deletionTimestamp on a live object is 422 (immutable), and does not delete it", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("sneaky") })
    const failure = await failureOf(
      h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "sneaky", body: { metadata: { deletionTimestamp: "2020-01-01T00:00:00Z" } } }, mergePatch)
    )
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toBe(`Widget.${widgets.group} "sneaky" is invalid: metadata.deletionTimestamp: Invalid value: 2020-01-01 00:00:00 +0000 UTC: field is immutable`)
    const still = await h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "sneaky" })
    expect(still.metadata.deletionTimestamp).toBeUndefined()
  })
})
