import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { applyPatch, failureOf, mergePatch, strategicPatch, type Harness } from "../Harness.ts"
import { failureStatus, startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 1 item 1: routing, success codes, Content-Type on every answer, Status bodies, 400 on mismatches, 415. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
  await h.core.createNamespace({ body: { metadata: { name: "other" } } })
})
afterAll(async () => h.emulator.close())

const ns = "default"

describe("success codes", () => {
  it("POST 201, PUT 200, PATCH 200, DELETE 200 with a Success Status; every answer is application/json", async () => {
    const created = await h.custom.createNamespacedCustomObjectWithHttpInfo({ ...widgets, namespace: ns, body: widget("codes") })
    expect(created.httpStatusCode).toBe(201)
    expect(created.headers["content-type"]).toBe("application/json")
    const replaced = await h.custom.replaceNamespacedCustomObjectWithHttpInfo({
      ...widgets, namespace: ns, name: "codes", body: { ...created.data, spec: { size: 2 } }
    })
    expect(replaced.httpStatusCode).toBe(200)
    const patched = await h.custom.patchNamespacedCustomObjectWithHttpInfo(
      { ...widgets, namespace: ns, name: "codes", body: { spec: { size: 3 } } },
      mergePatch
    )
    expect(patched.httpStatusCode).toBe(200)
    expect(patched.headers["content-type"]).toBe("application/json")
    const deleted = await h.custom.deleteNamespacedCustomObjectWithHttpInfo({ ...widgets, namespace: ns, name: "codes" })
    expect(deleted.httpStatusCode).toBe(200)
    expect(deleted.data).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Success",
      details: { name: "codes", group: widgets.group, kind: "widgets", uid: created.data.metadata.uid }
    })
  })

  it("PUT that creates (Lease) answers 201; server-side apply that creates answers 201, then 200", async () => {
    const lease = await h.coordination.replaceNamespacedLeaseWithHttpInfo({
      namespace: ns, name: "put-created", body: { metadata: { name: "put-created" }, spec: { holderIdentity: "a" } }
    })
    expect(lease.httpStatusCode).toBe(201)
    const applied = await h.custom.patchNamespacedCustomObjectWithHttpInfo(
      { ...widgets, namespace: ns, name: "ssa-codes", body: widget("ssa-codes"), fieldManager: "contract" },
      applyPatch
    )
    expect(applied.httpStatusCode).toBe(201)
    const again = await h.custom.patchNamespacedCustomObjectWithHttpInfo(
      { ...widgets, namespace: ns, name: "ssa-codes", body: widget("ssa-codes", { size: 4 }), fieldManager: "contract" },
      applyPatch
    )
    expect(again.httpStatusCode).toBe(200)
    expect(again.data.spec.size).toBe(4)
  })

  it("DELETE answers 202 only with orphanDependents=false when the object is not deleted at once", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("held", { size: 1 }, { finalizers: ["test/hold"] }) })
    const pending = await h.custom.deleteNamespacedCustomObjectWithHttpInfo({ ...widgets, namespace: ns, name: "held", orphanDependents: false })
    expect(pending.httpStatusCode).toBe(202)
    expect(pending.data.metadata.deletionTimestamp).toBeDefined()
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("free") })
    const immediate = await h.custom.deleteNamespacedCustomObjectWithHttpInfo({ ...widgets, namespace: ns, name: "free", orphanDependents: false })
    expect(immediate.httpStatusCode).toBe(200)
    expect(immediate.data.status).toBe("Success")
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("held2", { size: 1 }, { finalizers: ["test/hold"] }) })
    const plain = await h.custom.deleteNamespacedCustomObjectWithHttpInfo({ ...widgets, namespace: ns, name: "held2" })
    expect(plain.httpStatusCode).toBe(200)
  })
})

describe("routing", () => {
  it("serves namespaced, cluster-scoped and cross-namespace paths", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("route-a") })
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: "other", body: widget("route-b") })
    const all = await h.custom.listClusterCustomObject(widgets)
    const names = all.items.map((i: { metadata: { namespace: string; name: string } }) => `${i.metadata.namespace}/${i.metadata.name}`)
    expect(names).toEqual(expect.arrayContaining(["default/route-a", "other/route-b"]))
    const viaAllNamespaces = await h.custom.listCustomObjectForAllNamespaces({ group: widgets.group, version: widgets.version, resourcePlural: "widgets" })
    expect(viaAllNamespaces.items.length).toBe(all.items.length)
    const inOther = await h.custom.listNamespacedCustomObject({ ...widgets, namespace: "other" })
    expect(inOther.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["route-b"])
    const crd = await h.extensions.readCustomResourceDefinition({ name: `widgets.${widgets.group}` })
    expect(crd.spec.names.kind).toBe("Widget")
    const namespace = await h.core.readNamespace({ name: "other" })
    expect(namespace.status?.phase).toBe("Active")
  })

  it("answers an unknown resource with 404 and a Status", async () => {
    const failure = await failureOf(h.custom.listNamespacedCustomObject({ group: "nope.example.com", version: "v1", namespace: ns, plural: "things" }))
    expect(failure).toEqual({
      code: 404,
      body: failureStatus(404, "NotFound", "the server could not find the requested resource", {})
    })
  })
})

describe("Status bodies and 400s", () => {
  it("404 for a core kind has no group in its details, and carries Content-Type", async () => {
    try {
      await h.core.readNamespacedService({ namespace: ns, name: "absent" })
      expect.unreachable()
    } catch (error) {
      if (!(error instanceof k8s.ApiException)) throw error
      expect(error.code).toBe(404)
      expect(error.headers["content-type"]).toBe("application/json")
      expect(JSON.parse(String(error.body))).toEqual(failureStatus(
        404,
        "NotFound",
        'services "absent" not found',
        { name: "absent", kind: "services" }
      ))
    }
  })

  it("a URL/body name mismatch is 400", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("named") })
    const failure = await failureOf(
      h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "named", body: { ...created, metadata: { ...created.metadata, name: "renamed" } } })
    )
    expect(failure).toEqual({
      code: 400,
      body: failureStatus(400, "BadRequest", "the name of the object (renamed) does not match the name on the URL (named)")
    })
  })

  it("a URL/body namespace mismatch is 400, on create and on update", async () => {
    const create = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("ns-mismatch", { size: 1 }, { namespace: "other" }) }))
    expect(create.code).toBe(400)
    expect(create.body["message"]).toBe("the namespace of the provided object does not match the namespace sent on the request")
    const service = await failureOf(
      h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "svc-mismatch", namespace: "other" }, spec: { ports: [{ port: 80 }] } } })
    )
    expect(service.code).toBe(400)
  })

  it("a body of another kind or version is 400", async () => {
    const failure = await failureOf(
      h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: { ...widget("wrong-kind"), kind: "Gadget" } })
    )
    expect(failure.code).toBe(400)
    expect(failure.body["message"]).toBe("the kind in the data (Gadget) does not match the expected kind (Widget)")
  })

  it("strategic merge on a custom resource is 415 UnsupportedMediaType, exactly as the apiserver writes it", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("smp") })
    const failure = await failureOf(
      h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "smp", body: { spec: { size: 2 } } }, strategicPatch)
    )
    expect(failure).toEqual({
      code: 415,
      body: failureStatus(
        415,
        "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
      )
    })
  })

  it("KubernetesObjectApi.patch defaults to strategic merge: 415 for a custom resource, fine for a Service", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("koa") })
    const failure = await failureOf(
      h.objects.patch({ apiVersion: `${widgets.group}/v1`, kind: "Widget", metadata: { name: "koa", namespace: ns, labels: { a: "b" } } })
    )
    expect(failure.code).toBe(415)
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "koa-svc" }, spec: { ports: [{ port: 80 }] } } })
    const patched = await h.objects.patch({ apiVersion: "v1", kind: "Service", metadata: { name: "koa-svc", namespace: ns, labels: { a: "b" } } })
    expect(patched.metadata?.labels).toEqual({ a: "b" })
  })
})
