import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mergePatch, odaExample, type Harness } from "../Harness.ts"
import { exposedApis, startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 1 item 6: metadata.generation. */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness({}, true)
})
afterAll(async () => h.emulator.close())

const ns = "default"
const oda = exposedApis
const patchWidget = (name: string, body: object) => h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name, body }, mergePatch)

describe("custom resources", () => {
  it("create sets 1, whatever the client sends", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("gen-create", { size: 1 }, { generation: 7 }) })
    expect(created.metadata.generation).toBe(1)
  })

  it("a spec change bumps it by one; labels, annotations, finalizers and /status writes do not", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("gen") })
    expect((await patchWidget("gen", { spec: { size: 2 } })).metadata.generation).toBe(2)
    expect((await patchWidget("gen", { metadata: { labels: { a: "b" } } })).metadata.generation).toBe(2)
    expect((await patchWidget("gen", { metadata: { annotations: { a: "b" } } })).metadata.generation).toBe(2)
    expect((await patchWidget("gen", { metadata: { finalizers: ["test/f"] } })).metadata.generation).toBe(2)
    const status = await h.custom.patchNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "gen", body: { status: { phase: "x" } } }, mergePatch)
    expect(status.metadata.generation).toBe(2)
    // status sent to the main endpoint is reset, so it changes nothing
    const mainStatus = await patchWidget("gen", { status: { phase: "y" } })
    expect(mainStatus.metadata.generation).toBe(2)
    expect(mainStatus.metadata.resourceVersion).toBe(status.metadata.resourceVersion)
    expect((await patchWidget("gen", { spec: { size: 3 } })).metadata.generation).toBe(3)
    await patchWidget("gen", { metadata: { finalizers: null } })
  })

  it("ignores a client-supplied generation on update", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("gen-client") })
    const put = await h.custom.replaceNamespacedCustomObject({
      ...widgets, namespace: ns, name: "gen-client", body: { ...created, metadata: { ...created.metadata, generation: 42 } }
    })
    expect(put.metadata.generation).toBe(1)
    const patched = await patchWidget("gen-client", { metadata: { generation: 42 }, spec: { size: 5 } })
    expect(patched.metadata.generation).toBe(2)
  })

  it("without the status subresource, a status change bumps it", async () => {
    await h.custom.createNamespacedCustomObject({ ...oda, namespace: ns, body: { ...odaExample(), metadata: { name: "gen-oda" } } })
    const patched = await h.custom.patchNamespacedCustomObject({ ...oda, namespace: ns, name: "gen-oda", body: { status: { ready: true } } }, mergePatch)
    expect(patched.metadata.generation).toBe(2)
  })

  it("bumps by one when deletionTimestamp is first set, not on a repeated delete", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("gen-del", { size: 1 }, { finalizers: ["test/f"] }) })
    const marked = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "gen-del" })
    expect(marked.metadata.generation).toBe(2)
    const again = await h.custom.deleteNamespacedCustomObject({ ...widgets, namespace: ns, name: "gen-del" })
    expect(again.metadata.generation).toBe(2)
    await patchWidget("gen-del", { metadata: { finalizers: null } })
  })
})

describe("built-ins", () => {
  it("Ingress tracks it: spec changes bump, label changes do not", async () => {
    const created = await h.networking.createNamespacedIngress({ namespace: ns, body: { metadata: { name: "gen-ing" }, spec: { ingressClassName: "a" } } })
    expect(created.metadata?.generation).toBe(1)
    const spec = await h.networking.patchNamespacedIngress({ namespace: ns, name: "gen-ing", body: { spec: { ingressClassName: "b" } } }, mergePatch)
    expect(spec.metadata?.generation).toBe(2)
    const labels = await h.networking.patchNamespacedIngress({ namespace: ns, name: "gen-ing", body: { metadata: { labels: { a: "b" } } } }, mergePatch)
    expect(labels.metadata?.generation).toBe(2)
  })

  it("Service, Lease and Event have none, even when the client sends one", async () => {
    const svc = await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "gen-svc", generation: 3 }, spec: { ports: [{ port: 80 }] } } })
    expect(svc.metadata?.generation).toBeUndefined()
    const changed = await h.core.patchNamespacedService({ namespace: ns, name: "gen-svc", body: { spec: { ports: [{ port: 81 }] } } }, mergePatch)
    expect(changed.metadata?.generation).toBeUndefined()
    const lease = await h.coordination.createNamespacedLease({ namespace: ns, body: { metadata: { name: "gen-lease" }, spec: { holderIdentity: "a" } } })
    expect(lease.metadata?.generation).toBeUndefined()
    const event: k8s.CoreV1Event = await h.core.createNamespacedEvent({
      namespace: ns, body: { metadata: { name: "gen-ev" }, involvedObject: { kind: "Widget", name: "x", namespace: ns } }
    })
    expect(event.metadata?.generation).toBeUndefined()
  })
})
