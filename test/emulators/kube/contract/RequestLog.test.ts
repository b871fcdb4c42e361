import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, mergePatch, type Harness } from "../Harness.ts"
import { startWidgetHarness, WatchRecorder, widget, widgets } from "./Contract.ts"

/** The request log: what client-node put on the wire, for tests that assert an operator's wire behaviour. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const base = `/apis/${widgets.group}/v1/namespaces/${ns}/widgets`

describe("the request log", () => {
  it("records method, path, query, content type, body, user agent and the answer's status", async () => {
    const since = Date.now()
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("logged"), fieldManager: "apim-operator" })
    const [entry] = h.emulator.log.entries((e) => e.at >= since && e.method === "POST" && e.path === base)
    expect(entry).toMatchObject({
      method: "POST",
      path: base,
      query: { fieldManager: "apim-operator" },
      contentType: "application/json",
      userAgent: "kubernetes-client-javascript/2.0.1",
      status: 201
    })
    expect(JSON.parse(entry?.body ?? "")).toEqual(widget("logged"))
  })

  it("shows client-node's content types: json-patch by default, merge-patch on request, application/json on DELETE with an empty body", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("wire") })
    await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "wire", body: [{ op: "replace", path: "/spec/size", value: 2 }] })
    await h.custom.patchNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "wire", body: { status: { phase: "Ready" } } }, mergePatch)
    await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "wire", propagationPolicy: "Background" })
    const wire = h.emulator.log.entries((e) => e.path.startsWith(`${base}/wire`)).map((e) => [e.method, e.path.slice(base.length), e.contentType, e.body === "" ? "" : "body", e.status])
    expect(wire).toEqual([
      ["PATCH", "/wire", "application/json-patch+json", "body", 200],
      ["PATCH", "/wire/status", "application/merge-patch+json", "body", 200],
      ["DELETE", "/wire", "application/json", "", 200]
    ])
    const [deletion] = h.emulator.log.entries((e) => e.method === "DELETE" && e.path === `${base}/wire`)
    expect(deletion?.query).toEqual({ propagationPolicy: "Background" })
  })

  it("records failures with their status, and watches with 200 and their query", async () => {
    await failureOf(h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "absent" }))
    const watch = await WatchRecorder.open(h.kc, base, { labelSelector: "app=x", resourceVersion: "0" })
    watch.close()
    const [missing] = h.emulator.log.entries((e) => e.path === `${base}/absent`)
    expect(missing?.status).toBe(404)
    const [watched] = h.emulator.log.entries((e) => e.path === base && e.query["watch"] === "true")
    expect(watched).toMatchObject({ method: "GET", status: 200, query: { watch: "true", labelSelector: "app=x", resourceVersion: "0" } })
    // Watch requests carry no content type
    expect(watched?.contentType).toBeUndefined()
  })

  it("writes(since) answers 'did the operator write anything?' — a read-only pass logs none", async () => {
    const since = Date.now()
    await h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "logged" })
    await h.custom.listNamespacedCustomObject({ ...widgets, namespace: ns })
    expect(h.emulator.log.writes(since)).toEqual([])
    await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "logged", body: { metadata: { labels: { seen: "yes" } } } }, mergePatch)
    expect(h.emulator.log.writes(since).map((e) => e.method)).toEqual(["PATCH"])
  })

  it("clear() empties it", async () => {
    await h.core.listNamespace()
    h.emulator.log.clear()
    expect(h.emulator.log.entries()).toEqual([])
    await h.core.listNamespace({ labelSelector: "a" })
    expect(h.emulator.log.entries().map((e) => e.query)).toEqual([{ labelSelector: "a" }])
  })
})
