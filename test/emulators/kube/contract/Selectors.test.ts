import type * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, type Harness } from "../Harness.ts"
import { startWidgetHarness, WatchRecorder, widget, widgets } from "./Contract.ts"

/** Tier 2 item 10: label and field selectors on list, watch and deletecollection. */

let h: Harness
const ns = "sel"
beforeAll(async () => {
  h = await startWidgetHarness()
  await h.core.createNamespace({ body: { metadata: { name: ns } } })
  const labelled: ReadonlyArray<readonly [string, Record<string, string>]> = [
    ["a", { app: "web", tier: "front" }],
    ["b", { app: "web", tier: "back" }],
    ["c", { app: "db", tier: "back" }],
    ["d", { app: "cache" }],
    ["e", {}]
  ]
  for (const [name, labels] of labelled) {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget(name, { size: 1 }, { labels }) })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels } } })
  }
})
afterAll(async () => h.emulator.close())

const names = (list: { readonly items: ReadonlyArray<{ readonly metadata?: { readonly name?: string } }> }) => list.items.map((i) => i.metadata?.name)

describe("label selectors", () => {
  it.each([
    ["app=web", ["a", "b"]],
    ["app==web", ["a", "b"]],
    ["app!=web", ["c", "d", "e"]],
    ["tier in (front,back)", ["a", "b", "c"]],
    ["tier notin (back)", ["a", "d", "e"]],
    ["tier", ["a", "b", "c"]],
    ["!tier", ["d", "e"]],
    ["app=web,tier=back", ["b"]],
    ["app in (web,db),!missing,tier!=front", ["b", "c"]]
  ])("%s selects %j on custom resource and built-in lists", async (labelSelector, expected) => {
    expect(names(await h.custom.listNamespacedCustomObject({ ...widgets, namespace: ns, labelSelector }))).toEqual(expected)
    expect(names(await h.core.listNamespacedConfigMap({ namespace: ns, labelSelector }))).toEqual(expected)
  })

  it("a malformed selector is 400", async () => {
    const failure = await failureOf(h.core.listNamespacedConfigMap({ namespace: ns, labelSelector: "app in web" }))
    expect(failure.code).toBe(400)
    expect(failure.body["reason"]).toBe("BadRequest")
  })

  it("applies to watches", async () => {
    const watch = await WatchRecorder.open(h.kc, `/api/v1/namespaces/${ns}/configmaps`, { labelSelector: "tier notin (front),app" })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "w-front", labels: { app: "x", tier: "front" } } } })
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "w-back", labels: { app: "x", tier: "back" } } } })
    await watch.nextAbout("ADDED", "w-back")
    expect(watch.summary()).toEqual(["ADDED b", "ADDED c", "ADDED d", "ADDED w-back"])
    watch.close()
  })

  it("applies to deletecollection", async () => {
    for (const name of ["dc-1", "dc-2", "dc-3"]) {
      await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name, labels: { batch: name === "dc-3" ? "keep" : "drop" } } } })
    }
    await h.core.deleteCollectionNamespacedConfigMap({ namespace: ns, labelSelector: "batch=drop" })
    expect(names(await h.core.listNamespacedConfigMap({ namespace: ns, labelSelector: "batch" }))).toEqual(["dc-3"])
  })
})

describe("field selectors", () => {
  it("metadata.name and metadata.namespace work for every kind", async () => {
    expect(names(await h.custom.listNamespacedCustomObject({ ...widgets, namespace: ns, fieldSelector: "metadata.name=c" }))).toEqual(["c"])
    expect(names(await h.custom.listNamespacedCustomObject({ ...widgets, namespace: ns, fieldSelector: "metadata.name!=c,metadata.name!=e" }))).toEqual(["a", "b", "d"])
    const cluster = await h.custom.listClusterCustomObject({ ...widgets, fieldSelector: `metadata.namespace=${ns}` })
    expect(cluster.items).toHaveLength(5)
    const core = await h.core.listConfigMapForAllNamespaces({ fieldSelector: `metadata.namespace=${ns},metadata.name=a` })
    expect(names(core)).toEqual(["a"])
  })

  it("an unsupported field label is 400 BadRequest, for custom resources and built-ins", async () => {
    const cr = await failureOf(h.custom.listNamespacedCustomObject({ ...widgets, namespace: ns, fieldSelector: "spec.size=1" }))
    expect(cr.code).toBe(400)
    expect(cr.body["message"]).toBe("field label not supported: spec.size")
    // kinds without registered field label conversions (ConfigMap) fall back to DefaultMetaV1FieldSelectorConversion
    const builtin = await failureOf(h.core.listNamespacedConfigMap({ namespace: ns, fieldSelector: "data.k=v" }))
    expect(builtin.code).toBe(400)
    expect(builtin.body["message"]).toBe('"data.k" is not a known field selector: only "metadata.name", "metadata.namespace"')
    const events = await failureOf(h.core.listNamespacedEvent({ namespace: ns, fieldSelector: "message=x" }))
    expect(events.body["message"]).toBe("field label not supported: message")
    const onWatch = await WatchRecorder.open(h.kc, `/api/v1/namespaces/${ns}/configmaps`, { fieldSelector: "data.k=v" })
    expect((await onWatch.untilEnded()) as { statusCode?: number }).toMatchObject({ statusCode: 400 })
  })

  it("Events: involvedObject.*, reason, type and source", async () => {
    const event = (name: string, kind: string, object: string, reason: string, type: string): k8s.CoreV1Event => ({
      metadata: { name },
      involvedObject: { apiVersion: `${widgets.group}/v1`, kind, name: object, namespace: ns, uid: `uid-${object}` },
      reason,
      type,
      message: name,
      source: { component: "apim-operator" }
    })
    await h.core.createNamespacedEvent({ namespace: ns, body: event("ev-1", "Widget", "a", "Published", "Normal") })
    await h.core.createNamespacedEvent({ namespace: ns, body: event("ev-2", "Widget", "b", "Failed", "Warning") })
    await h.core.createNamespacedEvent({ namespace: ns, body: event("ev-3", "ExposedAPI", "a", "Published", "Normal") })
    const list = (fieldSelector: string) => h.core.listNamespacedEvent({ namespace: ns, fieldSelector }).then(names)
    expect(await list("involvedObject.name=a,involvedObject.kind=Widget")).toEqual(["ev-1"])
    expect(await list("involvedObject.uid=uid-b")).toEqual(["ev-2"])
    expect(await list(`involvedObject.namespace=${ns},reason=Published`)).toEqual(["ev-1", "ev-3"])
    expect(await list("type=Warning")).toEqual(["ev-2"])
    expect(await list("source=apim-operator,involvedObject.apiVersion=test.example.com/v1")).toEqual(["ev-1", "ev-2", "ev-3"])
    const watch = await WatchRecorder.open(h.kc, `/api/v1/namespaces/${ns}/events`, { fieldSelector: "involvedObject.name=b" })
    await watch.nextAbout("ADDED", "ev-2")
    expect(watch.summary()).toEqual(["ADDED ev-2"])
    watch.close()
  })
})
