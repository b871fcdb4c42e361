import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventually, failureOf, mergePatch, type Harness } from "../Harness.ts"
import { failureStatus, startWidgetHarness, WatchRecorder, widget, widgets } from "./Contract.ts"

/** Tier 2 item 12: CRDs created through ApiextensionsV1Api — served versions, structural schemas, pruning, defaults. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"
const gadgets = { group: "gadgets.example.com", version: "v1", plural: "gadgets" } as const

/** A small CRD whose schema can gain a default later (defaults on read). */
const gadgetCrd = (modeDefault?: string): k8s.V1CustomResourceDefinition =>
  k8s.loadYaml<k8s.V1CustomResourceDefinition>(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: gadgets.gadgets.example.com }
spec:
  group: gadgets.example.com
  scope: Namespaced
  names: { plural: gadgets, singular: gadget, kind: Gadget }
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              mode: { type: string${modeDefault === undefined ? "" : `, default: ${modeDefault}`} }
              free: { type: object, x-kubernetes-preserve-unknown-fields: true }
`)

describe("served versions", () => {
  it("every served version reads and writes the same objects; a version that is not served is 404", async () => {
    await h.custom.createNamespacedCustomObject({
      ...widgets,
      version: "v1beta1",
      namespace: ns,
      body: { ...widget("versions"), apiVersion: `${widgets.group}/v1beta1` }
    })
    const v1 = await h.custom.getNamespacedCustomObject({ ...widgets, namespace: ns, name: "versions" })
    expect(v1.apiVersion).toBe(`${widgets.group}/v1`)
    const beta = await h.custom.getNamespacedCustomObject({ ...widgets, version: "v1beta1", namespace: ns, name: "versions" })
    expect(beta.apiVersion).toBe(`${widgets.group}/v1beta1`)
    const alpha = await failureOf(h.custom.getNamespacedCustomObject({ ...widgets, version: "v1alpha1", namespace: ns, name: "versions" }))
    expect(alpha.code).toBe(404)
    const wrongVersionInBody = await failureOf(h.custom.createNamespacedCustomObject({
      ...widgets,
      namespace: ns,
      body: { ...widget("mixed"), apiVersion: `${widgets.group}/v1beta1` }
    }))
    expect(wrongVersionInBody.code).toBe(400)
  })
})

describe("validation", () => {
  it("422 Invalid with field causes and the apiserver's message format", async () => {
    const failure = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: { ...widget("b"), spec: { size: "string" } } }))
    expect(failure).toEqual({
      code: 422,
      body: failureStatus(
        422,
        "Invalid",
        `Widget.${widgets.group} "b" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"`,
        {
          name: "b",
          group: widgets.group,
          kind: "Widget",
          causes: [{ reason: "FieldValueTypeInvalid", message: 'Invalid value: "string": spec.size in body must be of type integer: "string"', field: "spec.size" }]
        }
      )
    })
  })

  it("reports every violation: required, enum, minimum, maxLength, pattern", async () => {
    const failure = await failureOf(
      h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: { ...widget("many"), spec: { color: "pink", name: "ABC", tags: "x" } } })
    )
    expect(failure.code).toBe(422)
    const causes = (failure.body["details"] as { causes: ReadonlyArray<{ field: string; reason: string }> }).causes
    expect(causes.map((c) => `${c.field} ${c.reason}`).sort()).toEqual([
      "spec.color FieldValueNotSupported",
      "spec.name FieldValueInvalid",
      "spec.size FieldValueRequired",
      "spec.tags FieldValueTypeInvalid"
    ])
    expect(failure.body["message"]).toMatch(/^Widget\.test\.example\.com "many" is invalid: \[.*spec\.color: Unsupported value: "pink": supported values: "blue", "red", "green"/)
    const tooSmall = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("small", { size: 0 }) }))
    expect(tooSmall.body["message"]).toBe(`Widget.${widgets.group} "small" is invalid: spec.size: Invalid value: 0: spec.size in body should be greater than or equal to 1`)
    // like kube-openapi's string validator, the first failing keyword wins (maxLength before pattern)
    const tooLong = await failureOf(h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("long", { size: 1, name: "WAY-TOO-LONG" }) }))
    expect((tooLong.body["details"] as { causes: ReadonlyArray<{ reason: string }> }).causes.map((c) => c.reason)).toEqual(["FieldValueTooLong"])
  })

  it("validates updates too", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("valid-update") })
    const failure = await failureOf(h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "valid-update", body: { spec: { size: 11 } } }, mergePatch))
    expect(failure.code).toBe(422)
  })
})

describe("pruning", () => {
  it("fieldValidation Warn (the default): unknown fields are pruned and named in a Warning header", async () => {
    const created = await h.custom.createNamespacedCustomObjectWithHttpInfo({
      ...widgets, namespace: ns, body: { ...widget("pruned", { size: 1, extra: { anything: { goes: 1 } } }), unknownRoot: 1, spec: { size: 1, unknown: true, extra: { anything: { goes: 1 } } } }
    })
    expect(created.data.unknownRoot).toBeUndefined()
    expect(created.data.spec).toEqual({ size: 1, color: "blue", extra: { anything: { goes: 1 } } })
    expect(created.headers["warning"]).toBe('299 - "unknown field \\"spec.unknown\\"", 299 - "unknown field \\"unknownRoot\\""')
  })

  it("fieldValidation Strict: 400, nothing stored; Ignore: pruned silently", async () => {
    const strict = await failureOf(
      h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: { ...widget("strict"), spec: { size: 1, unknown: true } }, fieldValidation: "Strict" })
    )
    expect(strict.code).toBe(400)
    expect(strict.body["message"]).toBe('Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.unknown"')
    expect(h.emulator.objects.get(`${widgets.group}/v1`, "Widget", ns, "strict")).toBeUndefined()
    const ignored = await h.custom.createNamespacedCustomObjectWithHttpInfo({
      ...widgets, namespace: ns, body: { ...widget("ignored"), spec: { size: 1, unknown: true } }, fieldValidation: "Ignore"
    })
    expect(ignored.headers["warning"]).toBeUndefined()
    expect(ignored.data.spec.unknown).toBeUndefined()
  })
})

describe("defaults", () => {
  it("are applied on create and update", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("defaults", { size: 1 }) })
    expect(created.spec.color).toBe("blue")
    const updated = await h.custom.replaceNamespacedCustomObject({ ...widgets, namespace: ns, name: "defaults", body: { ...created, spec: { size: 2 } } })
    expect(updated.spec).toEqual({ size: 2, color: "blue" })
  })

  it("are applied on read to objects stored before the default existed", async () => {
    await h.extensions.createCustomResourceDefinition({ body: gadgetCrd() })
    await h.custom.createNamespacedCustomObject({
      ...gadgets,
      namespace: ns,
      body: { apiVersion: "gadgets.example.com/v1", kind: "Gadget", metadata: { name: "old" }, spec: {} }
    })
    const crd = await h.extensions.readCustomResourceDefinition({ name: "gadgets.gadgets.example.com" })
    const next = gadgetCrd("fast")
    await h.extensions.replaceCustomResourceDefinition({
      name: "gadgets.gadgets.example.com",
      body: { ...next, metadata: { ...next.metadata, resourceVersion: crd.metadata?.resourceVersion ?? "" } }
    })
    const read = await h.custom.getNamespacedCustomObject({ ...gadgets, namespace: ns, name: "old" })
    expect(read.spec.mode).toBe("fast")
    const listed = await h.custom.listNamespacedCustomObject({ ...gadgets, namespace: ns })
    expect(listed.items[0].spec.mode).toBe("fast")
  })
})

describe("the client-side pitfall with x-kubernetes-* keys", () => {
  it("a plain-object CRD loses x-kubernetes-preserve-unknown-fields in client-node's serializer; the model property name keeps it", async () => {
    const crd = (plural: string, preserve: Record<string, boolean>): k8s.V1CustomResourceDefinition => ({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${plural}.plain.example.com` },
      spec: {
        group: "plain.example.com",
        scope: "Namespaced",
        names: { plural, kind: plural === "plains" ? "Plain" : "Modeled" },
        versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", ...preserve } } } } }]
      }
    })
    await h.extensions.createCustomResourceDefinition({ body: crd("plains", { "x-kubernetes-preserve-unknown-fields": true }) })
    await h.extensions.createCustomResourceDefinition({ body: crd("modeleds", { x_kubernetes_preserve_unknown_fields: true }) })
    const sent = h.emulator.log.entries((e) => e.method === "POST" && e.path === "/apis/apiextensions.k8s.io/v1/customresourcedefinitions" && e.body.includes("plain.example.com"))
    expect(sent.filter((e) => e.body.includes("x-kubernetes-preserve-unknown-fields")).map((e) => JSON.parse(e.body).metadata.name)).toEqual([
      "modeleds.plain.example.com"
    ])
    const plain = await h.custom.createNamespacedCustomObject({
      group: "plain.example.com", version: "v1", plural: "plains", namespace: ns, body: { apiVersion: "plain.example.com/v1", kind: "Plain", metadata: { name: "p" }, spec: { kept: 1 } }
    })
    expect(plain.spec).toEqual({})
    const modeled = await h.custom.createNamespacedCustomObject({
      group: "plain.example.com", version: "v1", plural: "modeleds", namespace: ns, body: { apiVersion: "plain.example.com/v1", kind: "Modeled", metadata: { name: "m" }, spec: { kept: 1 } }
    })
    expect(modeled.spec).toEqual({ kept: 1 })
  })
})

describe("CRD deletion", () => {
  it("deletes every instance first, then the CRD; its paths stop being served", async () => {
    await h.extensions.createCustomResourceDefinition({ body: { ...gadgetCrd(), metadata: { name: "gizmos.gadgets.example.com" }, spec: { ...gadgetCrd().spec, names: { plural: "gizmos", kind: "Gizmo" } } } })
    const gizmos = { group: "gadgets.example.com", version: "v1", plural: "gizmos" } as const
    for (const name of ["g1", "g2"]) {
      await h.custom.createNamespacedCustomObject({
        ...gizmos,
        namespace: ns,
        body: { apiVersion: "gadgets.example.com/v1", kind: "Gizmo", metadata: { name }, spec: {} }
      })
    }
    const watch = await WatchRecorder.open(h.kc, `/apis/gadgets.example.com/v1/namespaces/${ns}/gizmos`, { resourceVersion: String(h.emulator.store.resourceVersion) })
    const marked = await h.extensions.deleteCustomResourceDefinition({ name: "gizmos.gadgets.example.com" })
    expect(marked.status).toBeDefined()
    await watch.nextAbout("DELETED", "g2")
    expect(watch.summary()).toEqual(["DELETED g1", "DELETED g2"])
    await eventually(async () => ((await failureOf(h.extensions.readCustomResourceDefinition({ name: "gizmos.gadgets.example.com" }))).code === 404 ? true : undefined))
    const list = await failureOf(h.custom.listNamespacedCustomObject({ ...gizmos, namespace: ns }))
    expect(list.code).toBe(404)
    watch.close()
  })
})
