import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { applyPatch, failureOf, mergePatch, strategicPatch, type Harness } from "../Harness.ts"
import { startWidgetHarness, widget, widgets } from "./Contract.ts"

/**
 * Tier 2 item 11: merge, JSON, strategic merge and server-side apply, with the content types client-node sends.
 * Server-side apply is a documented approximation (a merge of the applied configuration plus create): the tests
 * below pin what the emulator does where it differs from a real apiserver.
 */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const jsonPatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch)

describe("merge patch (RFC 7386)", () => {
  it("null deletes a key, objects merge, arrays replace", async () => {
    await h.custom.createNamespacedCustomObject({
      ...widgets, namespace: ns, body: widget("merge", { size: 1, tags: ["a", "b"], extra: { keep: 1, drop: 2 } }, { labels: { a: "1", b: "2" } })
    })
    const patched = await h.custom.patchNamespacedCustomObject(
      { ...widgets, namespace: ns, name: "merge", body: { metadata: { labels: { b: null, c: "3" } }, spec: { tags: ["z"], extra: { drop: null, add: 3 } } } },
      mergePatch
    )
    expect(patched.metadata.labels).toEqual({ a: "1", c: "3" })
    expect(patched.spec.tags).toEqual(["z"])
    expect(patched.spec.extra).toEqual({ keep: 1, add: 3 })
    const [logged] = h.emulator.log.entries((e) => e.method === "PATCH" && e.path.endsWith("/widgets/merge"))
    expect(logged?.contentType).toBe("application/merge-patch+json")
  })
})

describe("JSON patch (RFC 6902), client-node's default", () => {
  it("applies add, replace, remove, copy and move in order", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("json", { size: 1, tags: ["a"] }) })
    const patched = await h.custom.patchNamespacedCustomObject({
      ...widgets, namespace: ns, name: "json",
      body: [
        { op: "add", path: "/spec/tags/-", value: "b" },
        { op: "replace", path: "/spec/size", value: 2 },
        { op: "add", path: "/metadata/annotations", value: { "a~b/c": "x" } },
        { op: "copy", from: "/spec/tags/0", path: "/spec/name" },
        { op: "remove", path: "/spec/tags/0" }
      ]
    })
    expect(patched.spec).toMatchObject({ size: 2, tags: ["b"], name: "a" })
    expect(patched.metadata.annotations).toEqual({ "a~b/c": "x" })
  })

  it("a failed test is 422; a body that is not a list of operations is 400", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("json-err") })
    const failed = await failureOf(h.custom.patchNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      name: "json-err",
      body: [{ op: "test", path: "/spec/size", value: 5 }]
    }))
    expect(failed.code).toBe(422)
    const malformed = await failureOf(h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "json-err", body: "not a patch" }))
    expect(malformed.code).toBe(400)
  })

  it("works on built-ins too (default content type of every typed patch method)", async () => {
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "json-cm" }, data: { a: "1" } } })
    const patched = await h.core.patchNamespacedConfigMap({ namespace: ns, name: "json-cm", body: [{ op: "add", path: "/data/b", value: "2" }] }, jsonPatch)
    expect(patched.data).toEqual({ a: "1", b: "2" })
  })
})

describe("strategic merge patch", () => {
  it("merges a Service's ports by port and keeps the rest of the spec", async () => {
    const created = await h.core.createNamespacedService({
      namespace: ns, body: { metadata: { name: "smp-svc" }, spec: { selector: { app: "a" }, ports: [{ name: "http", port: 80 }, { name: "https", port: 443 }] } }
    })
    const patched = await h.core.patchNamespacedService(
      { namespace: ns, name: "smp-svc", body: { spec: { ports: [{ name: "http", port: 80, targetPort: 8080 }, { name: "metrics", port: 9090 }] } } },
      strategicPatch
    )
    expect(patched.spec?.ports?.map((p) => [p.name, p.port, p.targetPort])).toEqual([
      ["http", 80, 8080],
      ["metrics", 9090, 9090],
      ["https", 443, 443]
    ])
    expect(patched.spec?.clusterIP).toBe(created.spec?.clusterIP)
    expect(patched.spec?.selector).toEqual({ app: "a" })
  })

  it("the $patch: delete directive removes one list entry", async () => {
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "smp-del" }, spec: { ports: [{ name: "a", port: 1 }, { name: "b", port: 2 }] } } })
    const patched = await h.core.patchNamespacedService({ namespace: ns, name: "smp-del", body: { spec: { ports: [{ port: 1, $patch: "delete" }] } } }, strategicPatch)
    expect(patched.spec?.ports?.map((p) => p.port)).toEqual([2])
  })

  it("is 415 on custom resources (see WireFormat for the exact Status)", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("smp-cr") })
    const failure = await failureOf(h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "smp-cr", body: { spec: { size: 2 } } }, strategicPatch))
    expect(failure.code).toBe(415)
  })
})

describe("server-side apply", () => {
  it("requires fieldManager (422 from PatchOptions validation)", async () => {
    const failure = await failureOf(h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "ssa-nofm", body: widget("ssa-nofm") }, applyPatch))
    expect(failure.code).toBe(422)
    expect(failure.body).toMatchObject({
      reason: "Invalid",
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: { group: "meta.k8s.io", kind: "PatchOptions", causes: [{ reason: "FieldValueRequired", field: "fieldManager" }] }
    })
  })

  it("allows force only for apply (422 on a merge patch with force)", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("ssa-force") })
    const failure = await failureOf(
      h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "ssa-force", body: { spec: { size: 2 } }, force: true }, mergePatch)
    )
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch')
    const forceFalse = await failureOf(
      h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "ssa-force", body: [{ op: "replace", path: "/spec/size", value: 2 }], force: false })
    )
    expect(forceFalse.code).toBe(422)
  })

  it("creates an absent object (201), then updates it (200); the request is JSON under application/apply-patch+yaml", async () => {
    const created = await h.custom.patchNamespacedCustomObjectWithHttpInfo(
      { ...widgets, namespace: ns, name: "ssa", body: widget("ssa", { size: 2, tags: ["a"] }), fieldManager: "op", force: true },
      applyPatch
    )
    expect(created.httpStatusCode).toBe(201)
    expect(created.data.metadata.uid).toBeDefined()
    const updated = await h.custom.patchNamespacedCustomObject(
      { ...widgets, namespace: ns, name: "ssa", body: widget("ssa", { size: 3 }), fieldManager: "op", force: true },
      applyPatch
    )
    expect(updated.spec.size).toBe(3)
    const [logged] = h.emulator.log.entries((e) => e.method === "PATCH" && e.path.endsWith("/widgets/ssa"))
    expect(logged?.contentType).toBe("application/apply-patch+yaml")
    expect(logged?.query).toEqual({ fieldManager: "op", force: "true" })
    expect(JSON.parse(logged?.body ?? "")).toMatchObject({ kind: "Widget" })
  })

  it("approximation: fields the manager stops sending are kept (a real apiserver would remove them)", async () => {
    const updated = await h.custom.patchNamespacedCustomObject(
      { ...widgets, namespace: ns, name: "ssa", body: widget("ssa", { size: 4 }), fieldManager: "op" },
      applyPatch
    )
    expect(updated.spec.tags).toEqual(["a"])
  })

  it("the body must carry apiVersion and kind (400), on update and on create", async () => {
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "ssa-cm" } } })
    const update = await failureOf(h.core.patchNamespacedConfigMap({
      namespace: ns,
      name: "ssa-cm",
      body: { metadata: { name: "ssa-cm" }, data: { a: "1" } },
      fieldManager: "op"
    }, applyPatch))
    expect(update.code).toBe(400)
    const create = await failureOf(h.core.patchNamespacedConfigMap({
      namespace: ns,
      name: "ssa-cm-new",
      body: { metadata: { name: "ssa-cm-new" }, data: { a: "1" } },
      fieldManager: "op"
    }, applyPatch))
    expect(create.code).toBe(400)
    expect(h.emulator.objects.get("v1", "ConfigMap", ns, "ssa-cm-new")).toBeUndefined()
  })

  it("works for built-ins: creates a Service with a clusterIP", async () => {
    const applied = await h.core.patchNamespacedServiceWithHttpInfo(
      { namespace: ns, name: "ssa-svc", body: { apiVersion: "v1", kind: "Service", metadata: { name: "ssa-svc" }, spec: { ports: [{ port: 80 }] } }, fieldManager: "op" },
      applyPatch
    )
    expect(applied.httpStatusCode).toBe(201)
    expect(applied.data.spec?.clusterIP).toMatch(/^10\.96\./)
  })
})
