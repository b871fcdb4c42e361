import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, mergePatch, odaCrd, odaExample, startHarness, type Harness } from "./Harness.ts"

let h: Harness
beforeAll(async () => {
  h = await startHarness()
  await h.extensions.createCustomResourceDefinition({ body: odaCrd() })
})
afterAll(async () => h.emulator.close())

const group = "oda.tmforum.org"
const plural = "exposedapis"

const exampleSpec = (): Record<string, unknown> => {
  const spec = odaExample()["spec"]
  return typeof spec === "object" && spec !== null ? { ...spec } : {}
}

const exposedApi = (name: string, overrides: Record<string, unknown> = {}) => ({
  ...odaExample(),
  metadata: { name },
  ...overrides
})

describe("resourceVersion, preconditions and Status bodies", () => {
  it("creates with server-set metadata and one global resourceVersion", async () => {
    const before = h.emulator.store.resourceVersion
    const created = await h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("a1") })
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(created.metadata.generation).toBe(1)
    expect(Number(created.metadata.resourceVersion)).toBe(before + 1)
    const svc = await h.core.createNamespacedService({
      namespace: "default",
      body: { metadata: { name: "s1" }, spec: { ports: [{ port: 80 }] } }
    })
    expect(Number(svc.metadata?.resourceVersion)).toBe(before + 2)
  })

  it("answers 404 with the apiserver's Status", async () => {
    const failure = await failureOf(h.custom.getNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "missing" }))
    expect(failure.code).toBe(404)
    expect(failure.body).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'exposedapis.oda.tmforum.org "missing" not found',
      reason: "NotFound",
      details: { name: "missing", group, kind: plural },
      code: 404
    })
  })

  it("refuses a duplicate create (409 AlreadyExists) and a create carrying a resourceVersion (400)", async () => {
    await h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("dup") })
    const duplicate = await failureOf(h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("dup") }))
    expect(duplicate.code).toBe(409)
    expect(duplicate.body["reason"]).toBe("AlreadyExists")
    const withRv = await failureOf(
      h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: { ...exposedApi("rv"), metadata: { name: "rv", resourceVersion: "5" } } })
    )
    expect(withRv.code).toBe(400)
    expect(withRv.body["message"]).toBe("resourceVersion should not be set on objects to be created")
  })

  it("409 on a stale resourceVersion, 422 on a custom resource update without one", async () => {
    const created = await h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("occ") })
    const first = await h.custom.replaceNamespacedCustomObject({
      group, version: "v1", namespace: "default", plural, name: "occ",
      body: { ...created, spec: { ...created.spec, port: 9090 } }
    })
    expect(first.metadata.generation).toBe(2)
    const stale = await failureOf(
      h.custom.replaceNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "occ", body: { ...created, spec: { ...created.spec, port: 9091 } } })
    )
    expect(stale.code).toBe(409)
    expect(stale.body["message"]).toBe(
      'Operation cannot be fulfilled on exposedapis.oda.tmforum.org "occ": the object has been modified; please apply your changes to the latest version and try again'
    )
    const { resourceVersion: _rv, ...metadataWithoutRv } = first.metadata
    const unconditional = await failureOf(
      h.custom.replaceNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "occ", body: { ...first, metadata: metadataWithoutRv } })
    )
    expect(unconditional.code).toBe(422)
    expect(unconditional.body["reason"]).toBe("Invalid")
  })

  it("a no-op write changes nothing and emits no event", async () => {
    const created = await h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("noop") })
    const before = h.emulator.store.resourceVersion
    const same = await h.custom.replaceNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "noop", body: created })
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion)
    const patched = await h.custom.patchNamespacedCustomObject(
      { group, version: "v1", namespace: "default", plural, name: "noop", body: { spec: { port: created.spec.port } } },
      mergePatch
    )
    expect(patched.metadata.resourceVersion).toBe(created.metadata.resourceVersion)
    expect(h.emulator.store.resourceVersion).toBe(before)
  })
})

describe("custom resource definitions", () => {
  it("serves every served version and validates against its schema with field causes", async () => {
    await h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("versions") })
    const beta = await h.custom.getNamespacedCustomObject({ group, version: "v1beta3", namespace: "default", plural, name: "versions" })
    expect(beta.apiVersion).toBe("oda.tmforum.org/v1beta3")
    const body = exposedApi("bad")
    const { path: _path, ...specWithoutPath } = exampleSpec()
    const failure = await failureOf(
      h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: { ...body, spec: { ...specWithoutPath, port: "eighty" } } })
    )
    expect(failure.code).toBe(422)
    const causes = (failure.body["details"] as { causes: ReadonlyArray<{ field: string; reason: string }> }).causes
    expect(causes.map((c) => c.field).sort()).toEqual(["spec.path", "spec.port"])
  })

  it("has no status subresource for the ODA CRD: /status is 404 and status is an ordinary field", async () => {
    const created = await h.custom.createNamespacedCustomObject({
      group, version: "v1", namespace: "default", plural, body: { ...exposedApi("st"), status: { apiStatus: { url: "https://x" } } }
    })
    expect(created.status).toEqual({ apiStatus: { url: "https://x" } })
    const status = await failureOf(h.custom.getNamespacedCustomObjectStatus({ group, version: "v1", namespace: "default", plural, name: "st" }))
    expect(status.code).toBe(404)
    const patched = await h.custom.patchNamespacedCustomObject(
      { group, version: "v1", namespace: "default", plural, name: "st", body: { status: { implementation: { ready: true } } } },
      mergePatch
    )
    expect(patched.status.implementation.ready).toBe(true)
    expect(patched.metadata.generation).toBe(2) // without the subresource, status changes bump generation
  })

  it("prunes unknown root fields and keeps unknown spec fields (preserve-unknown-fields)", async () => {
    const created = await h.custom.createNamespacedCustomObject({
      group, version: "v1", namespace: "default", plural,
      body: { ...exposedApi("prune"), extra: 1, spec: { ...exampleSpec(), custom: "kept" } }
    })
    expect(created.extra).toBeUndefined()
    expect(created.spec.custom).toBe("kept")
  })
})

describe("finalizers and deletion", () => {
  it("marks an object with finalizers, refuses new finalizers, and deletes it when the last one goes", async () => {
    await h.custom.createNamespacedCustomObject({
      group, version: "v1", namespace: "default", plural, body: { ...exposedApi("fin"), metadata: { name: "fin", finalizers: ["oda.tmforum.org/apim"] } }
    })
    const marked = await h.custom.deleteNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "fin" })
    expect(marked.metadata.deletionTimestamp).toBeDefined()
    expect(marked.metadata.generation).toBe(2)
    const again = await h.custom.getNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "fin" })
    expect(again.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp)
    const added = await failureOf(
      h.custom.patchNamespacedCustomObject(
        { group, version: "v1", namespace: "default", plural, name: "fin", body: { metadata: { finalizers: ["oda.tmforum.org/apim", "x.io/other"] } } },
        mergePatch
      )
    )
    expect(added.code).toBe(422)
    await h.custom.patchNamespacedCustomObject(
      { group, version: "v1", namespace: "default", plural, name: "fin", body: { metadata: { finalizers: null } } },
      mergePatch
    )
    const gone = await failureOf(h.custom.getNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "fin" }))
    expect(gone.code).toBe(404)
  })

  it("answers a delete without finalizers with a Success Status, and a Service delete with the Service", async () => {
    await h.custom.createNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, body: exposedApi("plain") })
    const status = await h.custom.deleteNamespacedCustomObject({ group, version: "v1", namespace: "default", plural, name: "plain" })
    expect(status).toMatchObject({ kind: "Status", status: "Success", details: { name: "plain", group, kind: plural } })
    await h.core.createNamespacedService({ namespace: "default", body: { metadata: { name: "gone" }, spec: { ports: [{ port: 80 }] } } })
    const deleted: k8s.V1Service = await h.core.deleteNamespacedService({ namespace: "default", name: "gone" })
    expect(deleted.metadata?.name).toBe("gone")
    expect(deleted.spec?.clusterIP).toMatch(/^10\.96\./)
  })
})
