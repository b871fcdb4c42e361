import { Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { COMPONENT_LABEL } from "../../src/domain/ExposedApi.ts"
import { backendUrl, ingressAddress, ingressFor, ingressSpecHash, SPEC_HASH_ANNOTATION } from "../../src/domain/Ingress.ts"
import { exposedApi, intentOf, metadata } from "./Fixtures.ts"

const settings = { ingressClassName: "istio" }
const api = exposedApi({}, { labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" } })
const intent = intentOf(api)

describe("ingressFor", () => {
  it("routes the API's path prefix to its implementation, owned by the ExposedAPI", () => {
    const ingress = ingressFor(api, intent, settings)
    expect(ingress).toEqual({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: metadata.name,
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
        ingressClassName: "istio",
        rules: [
          {
            http: {
              paths: [
                {
                  path: "/r1-productcatalogmanagement/tmf-api/productCatalogManagement/v4",
                  pathType: "Prefix",
                  backend: { service: { name: "r1-prodcatapi", port: { number: 8080 } } }
                }
              ]
            }
          }
        ]
      }
    })
  })

  it("has no component label when the ExposedAPI has none", () => {
    const plain = exposedApi()
    expect(ingressFor(plain, intentOf(plain), settings).metadata.labels).not.toHaveProperty(COMPONENT_LABEL)
  })

  it("stays the same, hash included, when only fields it does not carry change", () => {
    const other = exposedApi({ rateLimit: undefined, CORS: undefined }, { generation: 9, labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" } })
    expect(ingressFor(other, intentOf(other), settings)).toEqual(ingressFor(api, intent, settings))
  })

  it.each([
    ["path", { path: "/other" }],
    ["service", { implementation: "other" }],
    ["port", { port: 9090 }]
  ])("changes its hash when the %s changes", (_, changes) => {
    const changed = exposedApi(changes, { labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" } })
    expect(hashOf(ingressFor(changed, intentOf(changed), settings))).not.toBe(hashOf(ingressFor(api, intent, settings)))
  })

  it("changes its hash with the ingress class, the component label and the owner's uid", () => {
    const base = hashOf(ingressFor(api, intent, settings))
    expect(hashOf(ingressFor(api, intent, { ingressClassName: "nginx" }))).not.toBe(base)
    const { component: _, ...withoutComponent } = intent
    expect(hashOf(ingressFor(api, withoutComponent, settings))).not.toBe(base)
    const recreated = exposedApi({}, { uid: "another-uid", labels: { [COMPONENT_LABEL]: "r1-productcatalogmanagement" } })
    expect(hashOf(ingressFor(recreated, intent, settings))).not.toBe(base)
  })

  it("reads the hash back from an existing Ingress", () => {
    const ingress = ingressFor(api, intent, settings)
    expect(ingressSpecHash(JSON.parse(JSON.stringify(ingress)))).toEqual(Option.some(hashOf(ingress)))
    expect(ingressSpecHash({ metadata: {} })).toEqual(Option.none())
    expect(ingressSpecHash({ metadata: { annotations: { [SPEC_HASH_ANNOTATION]: 7 } } })).toEqual(Option.none())
    expect(ingressSpecHash(null)).toEqual(Option.none())
  })
})

const hashOf = (ingress: ReturnType<typeof ingressFor>): string => ingress.metadata.annotations[SPEC_HASH_ANNOTATION] ?? ""

const withStatus = (entry: unknown, tls?: unknown) => ({
  spec: tls === undefined ? {} : { tls },
  status: { loadBalancer: { ingress: [entry] } }
})

describe("ingressAddress", () => {
  it.each([
    [withStatus({ ip: "20.50.1.2" }), { scheme: "http", host: "20.50.1.2" }],
    [withStatus({ hostname: "lb.example.com" }), { scheme: "http", host: "lb.example.com" }],
    [withStatus({ ip: "20.50.1.2", hostname: "lb.example.com" }), { scheme: "http", host: "lb.example.com" }],
    [withStatus({ ip: "20.50.1.2", hostname: "" }), { scheme: "http", host: "20.50.1.2" }],
    [withStatus({ ip: "2001:db8::1" }), { scheme: "http", host: "2001:db8::1" }],
    [withStatus({ ip: "20.50.1.2" }, [{ hosts: ["api.example.com"], secretName: "tls" }]), { scheme: "https", host: "20.50.1.2" }],
    [withStatus({ ip: "20.50.1.2" }, []), { scheme: "http", host: "20.50.1.2" }]
  ])("reads %j", (ingress, expected) => {
    expect(ingressAddress(ingress)).toEqual(Option.some(expected))
  })

  it.each([
    ["no status", { spec: {} }],
    ["an empty load balancer", { status: { loadBalancer: {} } }],
    ["no entries", { status: { loadBalancer: { ingress: [] } } }],
    ["an entry with ports only", withStatus({ ports: [{ port: 80 }] })],
    ["a host with a path", withStatus({ hostname: "evil.example/path?x=1" })],
    ["a host with credentials", withStatus({ hostname: "user@evil.example" })],
    ["a host with a port", withStatus({ hostname: "lb.example.com:8443" })],
    ["a host with spaces", withStatus({ hostname: "lb example" })],
    ["a non-string ip", withStatus({ ip: 167772161 })],
    ["not an object", "Ingress"]
  ])("is none for %s", (_, ingress) => {
    expect(ingressAddress(ingress)).toEqual(Option.none())
  })
})

describe("backendUrl", () => {
  it.each([
    [{ scheme: "http", host: "20.50.1.2" }, "/r1/tmf-api/v4", "http://20.50.1.2/r1/tmf-api/v4"],
    [{ scheme: "https", host: "LB.Example.com" }, "/a", "https://lb.example.com/a"],
    [{ scheme: "http", host: "2001:db8::1" }, "/a", "http://[2001:db8::1]/a"],
    [{ scheme: "https", host: "lb.example.com" }, "/", "https://lb.example.com"],
    [{ scheme: "http", host: "h.example" }, "/a%20b/c;v=1", "http://h.example/a%20b/c;v=1"]
  ] as const)("joins %j and %s", (address, path, expected) => {
    expect(backendUrl(address, path)).toBe(expected)
  })

  it("keeps the host and path of every published address and valid path", () => {
    const host = fc.oneof(fc.ipV4(), fc.ipV6(), fc.domain())
    const segment = fc.stringMatching(/^[A-Za-z0-9._~-]{1,10}$/).filter((s) => s !== "." && s !== "..")
    fc.assert(
      fc.property(host, fc.array(segment, { minLength: 1, maxLength: 5 }), fc.boolean(), (h, segments, tls) => {
        const address = ingressAddress(withStatus({ ip: h }, tls ? [{}] : undefined))
        expect(Option.isSome(address)).toBe(true)
        if (Option.isNone(address)) return
        const url = new URL(backendUrl(address.value, `/${segments.join("/")}`))
        expect(url.protocol).toBe(tls ? "https:" : "http:")
        expect(url.pathname).toBe(`/${segments.join("/")}`)
        expect(url.search + url.hash + url.username).toBe("")
      })
    )
  })
})
