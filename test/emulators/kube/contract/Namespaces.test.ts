import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventually, failureOf, mergePatch, type Harness } from "../Harness.ts"
import { failureStatus, startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 2 item 18: namespaces — existence, termination, and deletion of their content. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())

const namespaceGone = (name: string) =>
  eventually(async () => ((await failureOf(h.core.readNamespace({ name }))).code === 404 ? true : undefined))

describe("namespaces", () => {
  it("a new namespace is Active, labelled with its name, and held by the kubernetes finalizer", async () => {
    const created = await h.core.createNamespace({ body: { metadata: { name: "fresh" } } })
    expect(created.status?.phase).toBe("Active")
    expect(created.metadata?.labels).toEqual({ "kubernetes.io/metadata.name": "fresh" })
    expect(created.spec?.finalizers).toEqual(["kubernetes"])
  })

  it("creating in a missing namespace is 404 namespaces \"x\" not found", async () => {
    const failure = await failureOf(h.core.createNamespacedConfigMap({ namespace: "missing", body: { metadata: { name: "cm" } } }))
    expect(failure).toEqual({
      code: 404,
      body: failureStatus(404, "NotFound", 'namespaces "missing" not found', { name: "missing", kind: "namespaces" })
    })
    const cr = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: "missing", body: widget("w") }))
    expect(cr.code).toBe(404)
  })

  it("deletion marks it Terminating, refuses new content (403), deletes the content, waits for finalizers, then goes", async () => {
    await h.core.createNamespace({ body: { metadata: { name: "doomed" } } })
    await h.core.createNamespacedConfigMap({ namespace: "doomed", body: { metadata: { name: "plain" } } })
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: "doomed", body: widget("held", { size: 1 }, { finalizers: ["test/hold"] }) })
    const terminating = await h.core.deleteNamespace({ name: "doomed" })
    // the namespace REST storage answers with the Namespace itself, which client-node types as V1Status
    expect(terminating.kind).toBe("Namespace")
    const read = await h.core.readNamespace({ name: "doomed" })
    expect(read.status?.phase).toBe("Terminating")
    expect(read.metadata?.deletionTimestamp).toBeInstanceOf(Date)

    const refused = await failureOf(h.core.createNamespacedConfigMap({ namespace: "doomed", body: { metadata: { name: "late" } } }))
    expect(refused.code).toBe(403)
    expect(refused.body).toMatchObject({
      reason: "Forbidden",
      message: 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated'
    })

    await eventually(() => (h.emulator.objects.get("v1", "ConfigMap", "doomed", "plain") === undefined ? true : undefined))
    const held = await eventually(async () => {
      const w = await h.custom.getNamespacedCustomObject({ ...widgets, namespace: "doomed", name: "held" })
      return w.metadata.deletionTimestamp === undefined ? undefined : w
    })
    expect(held.metadata.finalizers).toEqual(["test/hold"])
    expect((await h.core.readNamespace({ name: "doomed" })).status?.phase).toBe("Terminating")

    // updates are still allowed in a terminating namespace: releasing the finalizer lets everything go
    await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: "doomed", name: "held", body: { metadata: { finalizers: null } } }, mergePatch)
    await namespaceGone("doomed")
    expect((await failureOf(h.custom.getNamespacedCustomObject({ ...widgets, namespace: "doomed", name: "held" }))).code).toBe(404)
  })

  it("an empty namespace goes at once (asynchronously)", async () => {
    await h.core.createNamespace({ body: { metadata: { name: "empty" } } })
    await h.core.deleteNamespace({ name: "empty" })
    await namespaceGone("empty")
  })
})
