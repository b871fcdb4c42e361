import * as k8s from "@kubernetes/client-node"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { failureOf, mergePatch, startHarness, type Harness } from "../Harness.ts"

/** The built-in kinds the operator touches, through their typed client-node APIs. */

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => h.emulator.close())

const ns = "default"

describe("Service", () => {
  it("gets a clusterIP and port defaults; a PUT that leaves the clusterIP out keeps it", async () => {
    const created = await h.core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: "api" }, spec: { selector: { app: "api" }, ports: [{ port: 8080 }] } }
    })
    expect(created.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/)
    expect(created.spec?.clusterIPs).toEqual([created.spec?.clusterIP])
    expect(created.spec?.type).toBe("ClusterIP")
    expect(created.spec?.ports).toEqual([{ port: 8080, protocol: "TCP", targetPort: 8080 }])
    const replaced = await h.core.replaceNamespacedService({
      namespace: ns, name: "api", body: { metadata: { name: "api", labels: { v: "2" } }, spec: { selector: { app: "api" }, ports: [{ port: 8080 }] } }
    })
    expect(replaced.spec?.clusterIP).toBe(created.spec?.clusterIP)
    expect(replaced.spec?.clusterIPs).toEqual(created.spec?.clusterIPs)
    expect(replaced.metadata?.labels).toEqual({ v: "2" })
  })

  it("ExternalName gets no clusterIP; headless keeps None", async () => {
    const external = await h.core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: "ext" }, spec: { type: "ExternalName", externalName: "example.com" } }
    })
    expect(external.spec?.clusterIP).toBeUndefined()
    const headless = await h.core.createNamespacedService({
      namespace: ns,
      body: { metadata: { name: "headless" }, spec: { clusterIP: "None", selector: { app: "x" } } }
    })
    expect(headless.spec?.clusterIP).toBe("None")
  })

  it("validates: ports required, names are DNS-1035 labels", async () => {
    const noPorts = await failureOf(h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "no-ports" }, spec: {} } }))
    expect(noPorts.code).toBe(422)
    expect(noPorts.body["message"]).toBe('Service "no-ports" is invalid: spec.ports: Required value')
    const badName = await failureOf(h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "1api" }, spec: { ports: [{ port: 80 }] } } }))
    expect(badName.code).toBe(422)
    expect(badName.body["message"]).toMatch(/^Service "1api" is invalid: metadata.name: Invalid value: "1api": a DNS-1035 label must consist of/)
  })

  it("DELETE answers the deleted Service, typed V1Service", async () => {
    await h.core.createNamespacedService({ namespace: ns, body: { metadata: { name: "to-delete" }, spec: { ports: [{ port: 80 }] } } })
    const deleted: k8s.V1Service = await h.core.deleteNamespacedService({ namespace: ns, name: "to-delete" })
    expect(deleted.kind).toBe("Service")
    expect(deleted.metadata?.name).toBe("to-delete")
    expect(deleted.spec?.clusterIP).toMatch(/^10\.96\./)
  })
})

describe("Secret", () => {
  it("folds stringData into base64 data and defaults the type to Opaque", async () => {
    const created = await h.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: "creds" }, stringData: { password: "s3cret" }, data: { user: Buffer.from("op").toString("base64") } }
    })
    expect(created.type).toBe("Opaque")
    expect(created.stringData).toBeUndefined()
    expect(created.data).toEqual({ user: "b3A=", password: Buffer.from("s3cret").toString("base64") })
    const patched = await h.core.patchNamespacedSecret({ namespace: ns, name: "creds", body: { stringData: { password: "n3w" } } }, mergePatch)
    expect(patched.data?.["password"]).toBe(Buffer.from("n3w").toString("base64"))
  })

  it("refuses data that is not base64 (400)", async () => {
    const failure = await failureOf(h.core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: "bad" }, data: { k: "not base64!" } } }))
    expect(failure.code).toBe(400)
  })
})

describe("ConfigMap", () => {
  it("create, read, replace, list, delete", async () => {
    await h.core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "cfg", labels: { app: "op" } }, data: { a: "1" } } })
    const read = await h.core.readNamespacedConfigMap({ namespace: ns, name: "cfg" })
    const replaced = await h.core.replaceNamespacedConfigMap({ namespace: ns, name: "cfg", body: { ...read, data: { a: "2" } } })
    expect(replaced.data).toEqual({ a: "2" })
    const list = await h.core.listNamespacedConfigMap({ namespace: ns, labelSelector: "app=op" })
    expect(list.items.map((c) => c.metadata?.name)).toEqual(["cfg"])
    const status = await h.core.deleteNamespacedConfigMap({ namespace: ns, name: "cfg" })
    expect(status.status).toBe("Success")
  })
})

describe("Ingress", () => {
  // the model class lets a path leave out pathType, which its type declares required
  const rule = (host: string, pathType?: string): k8s.V1IngressRule => ({
    host,
    http: {
      paths: [
        Object.assign(new k8s.V1HTTPIngressPath(), {
          path: "/api",
          ...(pathType === undefined ? {} : { pathType }),
          backend: { service: { name: "api", port: { number: 8080 } } }
        })
      ]
    }
  })

  it("create, list by label (typed V1IngressList), status through /status, delete answers V1Status", async () => {
    const created = await h.networking.createNamespacedIngress({
      namespace: ns,
      body: { metadata: { name: "web", labels: { owner: "op" } }, spec: { ingressClassName: "nginx", rules: [rule("a.example.com", "Prefix")] } }
    })
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date)
    const list = await h.networking.listNamespacedIngress({ namespace: ns, labelSelector: "owner=op" })
    expect(list.items.map((i) => i.spec?.rules?.[0]?.host)).toEqual(["a.example.com"])
    const withStatus = await h.networking.patchNamespacedIngressStatus({
      namespace: ns,
      name: "web",
      body: { status: { loadBalancer: { ingress: [{ hostname: "lb.example.com" }] } } }
    }, mergePatch)
    expect(withStatus.status?.loadBalancer?.ingress?.[0]?.hostname).toBe("lb.example.com")
    const status: k8s.V1Status = await h.networking.deleteNamespacedIngress({ namespace: ns, name: "web" })
    expect(status.status).toBe("Success")
  })

  it("validates paths: pathType is required", async () => {
    const failure = await failureOf(h.networking.createNamespacedIngress({
      namespace: ns,
      body: { metadata: { name: "no-type" }, spec: { rules: [rule("b.example.com")] } }
    }))
    expect(failure.code).toBe(422)
    expect(failure.body["message"]).toBe('Ingress.networking.k8s.io "no-type" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified')
  })
})

describe("EndpointSlice", () => {
  it("lists by the kubernetes.io/service-name label; addressType is required", async () => {
    const slice = (name: string, service: string): k8s.V1EndpointSlice => ({
      metadata: { name, labels: { "kubernetes.io/service-name": service } },
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.0.0.1"], conditions: { ready: true } }],
      ports: [{ port: 8080, protocol: "TCP" }]
    })
    await h.discovery.createNamespacedEndpointSlice({ namespace: ns, body: slice("api-abcde", "api") })
    await h.discovery.createNamespacedEndpointSlice({ namespace: ns, body: slice("other-fghij", "other") })
    const list = await h.discovery.listNamespacedEndpointSlice({ namespace: ns, labelSelector: "kubernetes.io/service-name=api" })
    expect(list.items.map((s) => s.metadata?.name)).toEqual(["api-abcde"])
    expect(list.items[0]?.endpoints?.[0]?.conditions?.ready).toBe(true)
    const failure = await failureOf(h.discovery.createNamespacedEndpointSlice({ namespace: ns, body: { ...slice("bad", "api"), addressType: "IPv5" } }))
    expect(failure.code).toBe(422)
  })
})
