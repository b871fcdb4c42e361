import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest"
import { failureOf, type Harness } from "../Harness.ts"
import { failureStatus, startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 1 item 8: metadata the server sets on create and keeps on update. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())
afterEach(() => {
  vi.restoreAllMocks()
})

const ns = "default"
const generated = (base: string) => ({ apiVersion: `${widgets.group}/v1`, kind: "Widget", metadata: { generateName: base }, spec: { size: 1 } })

describe("on create", () => {
  it("sets uid, creationTimestamp (RFC 3339, whole seconds) and the namespace from the URL", async () => {
    const created = await h.custom.createNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      body: widget("meta", { size: 1 }, { uid: "client-uid", creationTimestamp: "2001-01-01T00:00:00Z" })
    })
    expect(created.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(created.metadata.uid).not.toBe("client-uid")
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(created.metadata.creationTimestamp).not.toBe("2001-01-01T00:00:00Z")
    expect(created.metadata.namespace).toBe(ns)
    const cm = await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "meta-cm" } } })
    expect(cm.metadata?.creationTimestamp).toBeInstanceOf(Date) // metav1.Time is revived by typed APIs
    expect(cm.metadata?.creationTimestamp?.getMilliseconds()).toBe(0)
  })

  it("generateName: base plus 5 characters from the apiserver's alphabet; the base is cut at 58", async () => {
    for (let i = 0; i < 10; i++) {
      const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: generated("gen-") })
      expect(created.metadata.name).toMatch(/^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/)
    }
    const long = "x".repeat(70)
    const created = await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { generateName: long } } })
    expect(created.metadata?.name).toMatch(new RegExp(`^${"x".repeat(58)}[bcdfghjklmnpqrstvwxz2456789]{5}$`))
  })

  it("generateName: retries a name that is taken, and answers 409 once the server cannot find a free one", async () => {
    const random = vi.spyOn(Math, "random").mockReturnValue(0) // every suffix is "bbbbb"
    const first = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: generated("seeded-") })
    expect(first.metadata.name).toBe("seeded-bbbbb")
    const failure = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: generated("seeded-") }))
    expect(failure).toEqual({
      code: 409,
      body: failureStatus(
        409,
        "AlreadyExists",
        `widgets.${widgets.group} "seeded-bbbbb" already exists, the server was not able to generate a unique name for the object`,
        { name: "seeded-bbbbb", group: widgets.group, kind: "widgets", retryAfterSeconds: 1 }
      )
    })
    // one collision, then a fresh suffix: the create succeeds
    let calls = 0
    random.mockImplementation(() => (calls++ < 5 ? 0 : 0.99))
    const retried = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: generated("seeded-") })
    expect(retried.metadata.name).toBe("seeded-99999")
  })

  it("a create with neither name nor generateName is 422", async () => {
    const failure = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: { ...widget(""), metadata: {} } }))
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toBe(`Widget.${widgets.group} "" is invalid: metadata.name: Required value: name or generateName is required`)
  })
})

describe("on update", () => {
  it("keeps creationTimestamp; a changed uid is a failed precondition (409); a changed name or namespace is 400", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("immutable") })
    const put = await h.custom.replaceNamespacedCustomObject({
      ...widgets, namespace: ns, name: "immutable", body: { ...created, metadata: { ...created.metadata, creationTimestamp: "2001-01-01T00:00:00Z" }, spec: { size: 2 } }
    })
    expect(put.metadata.creationTimestamp).toBe(created.metadata.creationTimestamp)
    expect(put.metadata.uid).toBe(created.metadata.uid)
    const uid = await failureOf(
      h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "immutable", body: { ...put, metadata: { ...put.metadata, uid: "other" } } })
    )
    expect(uid.code).toBe(409)
    expect(uid.body["message"]).toBe(
      `Operation cannot be fulfilled on widgets.${widgets.group} "immutable": Precondition failed: UID in precondition: other, UID in object meta: ${created.metadata.uid}`
    )
    const name = await failureOf(
      h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "immutable", body: { ...put, metadata: { ...put.metadata, name: "moved" } } })
    )
    expect(name.code).toBe(400)
    const namespace = await failureOf(
      h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "immutable", body: { ...put, metadata: { ...put.metadata, namespace: "kube-system" } } })
    )
    expect(namespace.code).toBe(400)
  })

  it("an update without uid keeps the stored one", async () => {
    const created = await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "no-uid" }, data: { a: "1" } } })
    const put = await h.core.replaceNamespacedConfigMap({ namespace: ns, name: "no-uid", body: { metadata: { name: "no-uid" }, data: { a: "2" } } })
    expect(put.metadata?.uid).toBe(created.metadata?.uid)
    expect(put.metadata?.creationTimestamp).toEqual(created.metadata?.creationTimestamp)
  })
})
