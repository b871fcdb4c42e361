import { Either } from "effect"
import { describe, expect, it } from "vitest"
import { COMPONENT_LABEL } from "../../src/domain/ExposedApi.ts"
import {
  formatMatchLabels,
  implementationTarget,
  ISTIO_GATEWAY,
  networkPolicyFor,
  networkPolicyName,
  parseMatchLabels
} from "../../src/domain/NetworkPolicy.ts"
import { exposedApi, intentOf, metadata } from "./Fixtures.ts"

const api = exposedApi({}, { labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" } })
const intent = intentOf(api)

const service = (spec: Record<string, unknown>) => ({ metadata: { name: "r1-prodcatapi" }, spec })

describe("implementationTarget", () => {
  it("names the Service's pods and the container port behind spec.port", () => {
    const target = implementationTarget(service({ selector: { app: "catalog" }, ports: [{ port: 8080, targetPort: 9090, protocol: "TCP" }] }), 8080)
    expect(target).toEqual(Either.right({ podSelector: { app: "catalog" }, port: 9090, protocol: "TCP" }))
  })

  it("keeps a named target port, and defaults the target port to the port and the protocol to TCP", () => {
    expect(implementationTarget(service({ selector: { app: "a" }, ports: [{ port: 80, targetPort: "http" }] }), 80)).toEqual(
      Either.right({ podSelector: { app: "a" }, port: "http", protocol: "TCP" })
    )
    expect(implementationTarget(service({ selector: { app: "a" }, ports: [{ port: 80 }] }), 80)).toEqual(
      Either.right({ podSelector: { app: "a" }, port: 80, protocol: "TCP" })
    )
  })

  it("reports a Service without selector instead of guessing its pods", () => {
    for (const spec of [{ ports: [{ port: 80 }] }, { selector: {}, ports: [{ port: 80 }] }, { type: "ExternalName", externalName: "x.example" }]) {
      const target = implementationTarget(service(spec), 80)
      expect(Either.isLeft(target) ? target.left.reason : undefined).toBe("ServiceWithoutSelector")
    }
  })

  it("reports a Service that has no such port", () => {
    const target = implementationTarget(service({ selector: { app: "a" }, ports: [{ port: 81 }] }), 80)
    expect(Either.isLeft(target) ? target.left : undefined).toMatchObject({ reason: "PortNotFound", message: expect.stringContaining("no port 80") })
  })
})

describe("networkPolicyFor", () => {
  const target = { podSelector: { app: "catalog" }, port: 9090, protocol: "TCP" }

  it("admits traffic to the implementation's pods on its port only from the gateway's pods in the gateway's namespaces, owned by the ExposedAPI", () => {
    const policy = networkPolicyFor(api, intent, target, ISTIO_GATEWAY)
    expect(policy).toEqual({
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: {
        name: `${metadata.name}-gateway-only`,
        namespace: metadata.namespace,
        labels: {
          "app.kubernetes.io/managed-by": "oda-apim-operator",
          "oda.tmforum.org/exposedapi": metadata.name,
          "oda.tmforum.org/componentName": "r1-productcatalogmanagement"
        },
        annotations: { "oda.tmforum.org/spec-hash": expect.stringMatching(/^[0-9a-f]{16}$/) },
        ownerReferences: [
          { apiVersion: "oda.tmforum.org/v1", kind: "ExposedAPI", name: metadata.name, uid: metadata.uid, controller: true, blockOwnerDeletion: true }
        ]
      },
      spec: {
        podSelector: { matchLabels: { app: "catalog" } },
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-system" } },
                podSelector: { matchLabels: { istio: "ingressgateway" } }
              }
            ],
            ports: [{ protocol: "TCP", port: 9090 }]
          }
        ]
      }
    })
  })

  it("changes its content hash with what it admits, and only then", () => {
    const hash = (t: typeof target, gateway = ISTIO_GATEWAY) => networkPolicyFor(api, intent, t, gateway).metadata.annotations["oda.tmforum.org/spec-hash"]
    expect(hash(target)).toBe(hash({ ...target }))
    expect(hash({ ...target, port: 9091 })).not.toBe(hash(target))
    expect(hash({ ...target, podSelector: { app: "other" } })).not.toBe(hash(target))
    expect(hash(target, { ...ISTIO_GATEWAY, podSelector: { app: "gw" } })).not.toBe(hash(target))
  })

  it("keeps its name within 253 characters for the longest ExposedAPI names, distinct per name", () => {
    const long = "a".repeat(253)
    expect(networkPolicyName(long).length).toBeLessThanOrEqual(253)
    expect(networkPolicyName(long)).toMatch(/-gateway-only$/)
    expect(networkPolicyName(long)).not.toBe(networkPolicyName(`${"a".repeat(252)}b`))
  })
})

describe("parseMatchLabels", () => {
  it("reads key=value pairs, prefixed keys included, and formats them back", () => {
    const labels = parseMatchLabels(" kubernetes.io/metadata.name=istio-system , app=gw ")
    expect(labels).toEqual(Either.right({ "kubernetes.io/metadata.name": "istio-system", app: "gw" }))
    expect(formatMatchLabels(Either.getOrThrow(labels))).toBe("kubernetes.io/metadata.name=istio-system,app=gw")
    expect(parseMatchLabels("empty=")).toEqual(Either.right({ empty: "" }))
  })

  it("refuses an empty selector, which would admit everything", () => {
    expect(Either.isLeft(parseMatchLabels(""))).toBe(true)
    expect(Either.isLeft(parseMatchLabels(" , "))).toBe(true)
  })

  it("refuses what is not an equality requirement on a valid label", () => {
    for (const text of ["app", "app!=x", "app in (a,b)", "-bad=x", "app=bad value", "app==x", "Bad_Prefix/x=y"]) {
      expect(Either.isLeft(parseMatchLabels(text)), text).toBe(true)
    }
  })
})
