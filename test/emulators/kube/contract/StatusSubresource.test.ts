import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, mergePatch, odaExample, type Harness } from "../Harness.ts"
import { exposedApis, startWidgetHarness, widget, widgets } from "./Contract.ts"

/** Tier 1 item 5: the status subresource, only where declared (Widget has it, the ODA ExposedAPI CRD does not). */

let h: Harness
beforeAll(async () => {
  h = await startWidgetHarness({}, true)
})
afterAll(async () => h.emulator.close())

const ns = "default"
const oda = exposedApis

describe("a custom resource with subresources.status", () => {
  it("create strips status", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("strip", { size: 1 }, {}, { status: { phase: "Ready" } }) })
    expect(created.status).toBeUndefined()
  })

  it("the main endpoint keeps the old status and ignores the request's (PUT and PATCH)", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("main") })
    const withStatus = await h.custom.patchNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "main", body: { status: { phase: "Ready" } } }, mergePatch)
    const put = await h.custom.replaceNamespacedCustomObject({
      ...widgets, namespace: ns, name: "main", body: { ...withStatus, spec: { size: 2 }, status: { phase: "Hacked" } }
    })
    expect(put.spec.size).toBe(2)
    expect(put.status).toEqual({ phase: "Ready" })
    const patched = await h.custom.patchNamespacedCustomObject({ ...widgets, namespace: ns, name: "main", body: { status: null, spec: { size: 3 } } }, mergePatch)
    expect(patched.status).toEqual({ phase: "Ready" })
    expect(patched.spec.size).toBe(3)
  })

  it("/status takes only .status: spec, labels, annotations and finalizers sent there are ignored", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("status-only", { size: 1 }, { labels: { a: "1" } }) })
    const put = await h.custom.replaceNamespacedCustomObjectStatus({
      ...widgets, namespace: ns, name: "status-only",
      body: {
        ...created,
        metadata: { ...created.metadata, labels: { a: "2" }, annotations: { x: "y" }, finalizers: ["test/f"] },
        spec: { size: 9 },
        status: { phase: "Ready", observedGeneration: 1 }
      }
    })
    expect(put.status).toEqual({ phase: "Ready", observedGeneration: 1 })
    expect(put.spec).toEqual({ size: 1, color: "blue" })
    expect(put.metadata.labels).toEqual({ a: "1" })
    expect(put.metadata.annotations).toBeUndefined()
    expect(put.metadata.finalizers).toBeUndefined()
    expect(put.metadata.generation).toBe(1)
    const patched = await h.custom.patchNamespacedCustomObjectStatus(
      { ...widgets, namespace: ns, name: "status-only", body: { metadata: { labels: { b: "2" } }, status: { phase: "Done" } } },
      mergePatch
    )
    expect(patched.status.phase).toBe("Done")
    expect(patched.metadata.labels).toEqual({ a: "1" })
  })

  it("/status keeps the resourceVersion precondition (409 on a stale PUT)", async () => {
    const created = await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("status-rv") })
    await h.custom.replaceNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "status-rv", body: { ...created, status: { n: 1 } } })
    const stale = await failureOf(h.custom.replaceNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "status-rv", body: { ...created, status: { n: 2 } } }))
    expect(stale.code).toBe(409)
  })

  it("GET /status returns the whole object; /status of a missing object is 404", async () => {
    await h.custom.createNamespacedCustomObject({ ...widgets, namespace: ns, body: widget("status-get") })
    const read = await h.custom.getNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "status-get" })
    expect(read.spec.size).toBe(1)
    const missing = await failureOf(h.custom.patchNamespacedCustomObjectStatus({ ...widgets, namespace: ns, name: "nope", body: { status: {} } }, mergePatch))
    expect(missing.code).toBe(404)
  })
})

describe("a custom resource without the subresource (the ODA ExposedAPI CRD)", () => {
  it("/status is 404 for GET, PUT and PATCH; status is an ordinary field of the main endpoint", async () => {
    const created = await h.custom.createNamespacedCustomObject({
      ...oda, namespace: ns, body: { ...odaExample(), metadata: { name: "no-sub" }, status: { apiStatus: { url: "https://a" } } }
    })
    expect(created.status).toEqual({ apiStatus: { url: "https://a" } })
    for (const call of [
      h.custom.getNamespacedCustomObjectStatus({ ...oda, namespace: ns, name: "no-sub" }),
      h.custom.replaceNamespacedCustomObjectStatus({ ...oda, namespace: ns, name: "no-sub", body: created }),
      h.custom.patchNamespacedCustomObjectStatus({ ...oda, namespace: ns, name: "no-sub", body: { status: {} } }, mergePatch)
    ]) {
      const failure = await failureOf(call)
      expect(failure.code).toBe(404)
      expect(failure.body["message"]).toBe("the server could not find the requested resource")
    }
    const patched = await h.custom.patchNamespacedCustomObject({
      ...oda,
      namespace: ns,
      name: "no-sub",
      body: { status: { apiStatus: { url: "https://b" } } }
    }, mergePatch)
    expect(patched.status.apiStatus.url).toBe("https://b")
  })
})

describe("built-in status subresources", () => {
  const ingress = (name: string, host: string): k8s.V1Ingress => ({
    metadata: { name },
    spec: { rules: [{ host, http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "svc", port: { number: 80 } } } }] } }] }
  })

  it("Ingress: the main endpoint keeps the old status; /status keeps the old spec but keeps metadata edits", async () => {
    await h.networking.createNamespacedIngress({ namespace: ns, body: ingress("web", "a.example.com") })
    const withStatus = await h.networking.patchNamespacedIngressStatus(
      { namespace: ns, name: "web", body: { status: { loadBalancer: { ingress: [{ ip: "10.0.0.1" }] } } } },
      mergePatch
    )
    expect(withStatus.status?.loadBalancer?.ingress?.[0]?.ip).toBe("10.0.0.1")
    const main = await h.networking.replaceNamespacedIngress({
      namespace: ns, name: "web", body: { ...ingress("web", "b.example.com"), status: { loadBalancer: { ingress: [{ ip: "6.6.6.6" }] } } }
    })
    expect(main.spec?.rules?.[0]?.host).toBe("b.example.com")
    expect(main.status?.loadBalancer?.ingress?.[0]?.ip).toBe("10.0.0.1")
    const viaStatus = await h.networking.replaceNamespacedIngressStatus({
      namespace: ns,
      name: "web",
      body: {
        ...ingress("web", "c.example.com"),
        metadata: { ...main.metadata, labels: { edited: "yes" } },
        status: { loadBalancer: { ingress: [{ ip: "10.0.0.2" }] } }
      }
    })
    expect(viaStatus.spec?.rules?.[0]?.host).toBe("b.example.com")
    expect(viaStatus.status?.loadBalancer?.ingress?.[0]?.ip).toBe("10.0.0.2")
    expect(viaStatus.metadata?.labels).toEqual({ edited: "yes" })
    expect(viaStatus.metadata?.generation).toBe(main.metadata?.generation)
  })

  it("Service: /status keeps the spec (clusterIP and ports)", async () => {
    const created = await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "svc-status" }, spec: { ports: [{ port: 80 }] } } })
    const updated = await h.core.patchNamespacedServiceStatus(
      { namespace: ns, name: "svc-status", body: { spec: { ports: [{ port: 99 }] }, status: { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } } } },
      mergePatch
    )
    expect(updated.spec?.clusterIP).toBe(created.spec?.clusterIP)
    expect(updated.spec?.ports?.[0]?.port).toBe(80)
    expect(updated.status?.loadBalancer?.ingress?.[0]?.ip).toBe("1.2.3.4")
  })
})
