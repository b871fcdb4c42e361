import { describe, expect, it } from "vitest"
import { decodeKubeProtobuf, protobufMessageOf } from "../../../src/emulators/kube/KubeProtobuf.ts"
import { int64Field, message, messageField, oneofBool, repeatedMessage, stringField, type ProtoField } from "../../../src/emulators/kube/Protobuf.ts"
import { StatusError } from "../../../src/emulators/kube/Status.ts"

/** Request bodies kubectl 1.32 sent for `kubectl create namespace|deployment|ingress|secret generic` (captured from the request log). */
const CAPTURED = {
  namespace: "azhzAAoPCgJ2MRIJTmFtZXNwYWNlEhwKFAoEc2hvcBIAGgAiACoAMgA4AEIAEgAaAgoAGgAiAA==",
  deployment:
    "azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsIBCiMKA3dlYhIAGgRzaG9wIgAqADIAOABCAFoKCgNhcHASA3dlYhKMAQgAEgwKCgoDYXBwEgN3ZWIacgocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJSEjQKBW5naW54EgpuZ2lueDoxLjI3KgAyCwoAEAAYkD8iACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwIABAAGAAgACgAOAAaACIA",
  ingress:
    "azhzAAofChRuZXR3b3JraW5nLms4cy5pby92MRIHSW5ncmVzcxJzChcKA3dlYhIAGgRzaG9wIgAqADIAOABCABJUEh4KEHNob3AuZXhhbXBsZS5jb20SCnRscy1zZWNyZXQaMgoQc2hvcC5leGFtcGxlLmNvbRIeChwKGgoBLxINIgsKA3dlYhIECgAQUBoGUHJlZml4GgIKABoAIgA=",
  secret: "azhzAAoMCgJ2MRIGU2VjcmV0Ei0KFQoBcxIAGgRzaG9wIgAqADIAOABCABISCghwYXNzd29yZBIGczNjcmV0GgAaACIA"
} as const

const captured = (name: keyof typeof CAPTURED) => decodeKubeProtobuf(Buffer.from(CAPTURED[name], "base64"))

/** What gogo-protobuf writes for a zero non-pointer field: the key and an empty payload or a zero varint. */
const emptyString = (field: number): ProtoField => messageField(field, new Uint8Array())
const zero = (field: number): ProtoField => oneofBool(field, false)

const envelope = (apiVersion: string, kind: string, raw: Uint8Array): Uint8Array =>
  Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...message(messageField(1, message(stringField(1, apiVersion), stringField(2, kind))), messageField(2, raw))])

const entry = (key: string, value: ProtoField): Uint8Array => message(stringField(1, key), value)

const statusOf = (run: () => unknown): number => {
  try {
    run()
  } catch (error) {
    if (error instanceof StatusError) return error.status.code
    throw error
  }
  throw new Error("expected a Status error")
}

describe("Kubernetes protobuf bodies kubectl 1.32 sends", () => {
  it("decodes a Namespace, dropping the zero fields gogo-protobuf writes and JSON omits", () => {
    expect(captured("namespace")).toEqual({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" }, spec: {}, status: {} })
  })

  it("decodes a Deployment: pointer zeros kept (replicas: 0), empty structs kept as {}, as Go's JSON would", () => {
    expect(captured("deployment")).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "web" } },
        template: {
          metadata: { labels: { app: "web" } },
          spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 8080 }], resources: {} }] }
        },
        strategy: {}
      },
      status: {}
    })
  })

  it("decodes an Ingress, flattening the inline IngressRuleValue into the rule", () => {
    expect(captured("ingress")).toEqual({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace: "shop" },
      spec: {
        tls: [{ hosts: ["shop.example.com"], secretName: "tls-secret" }],
        rules: [{ host: "shop.example.com", http: { paths: [{ path: "/", backend: { service: { name: "web", port: { number: 80 } } }, pathType: "Prefix" }] } }]
      },
      status: { loadBalancer: {} }
    })
  })

  it("decodes a Secret's bytes as base64", () => {
    expect(captured("secret")).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "s", namespace: "shop" },
      data: { password: Buffer.from("s3cret").toString("base64") }
    })
  })
})

describe("well-known types and shapes", () => {
  it("turns Time into whole-second RFC 3339, MicroTime into six fractional digits, the zero time into nothing", () => {
    const time = (seconds: number, nanos: number) => message(int64Field(1, seconds), int64Field(2, nanos))
    const lease = message(
      messageField(1, message(stringField(1, "leader"), messageField(8, time(0, 0)), messageField(9, time(1767322800, 0)))),
      messageField(2, message(stringField(1, "pod-a"), zero(2), messageField(3, time(1767322800, 5_000)), messageField(4, time(1767322801, 123_456_789)), zero(5)))
    )
    expect(decodeKubeProtobuf(envelope("coordination.k8s.io/v1", "Lease", lease))).toEqual({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name: "leader", deletionTimestamp: "2026-01-02T03:00:00Z" },
      spec: { holderIdentity: "pod-a", leaseDurationSeconds: 0, acquireTime: "2026-01-02T03:00:00.000005Z", renewTime: "2026-01-02T03:00:01.123456Z", leaseTransitions: 0 }
    })
  })

  it("turns IntOrString into a number or a string, and inline LocalObjectReferences into their parent", () => {
    const port = (name: string, targetPort: Uint8Array) => message(stringField(1, name), emptyString(2), int64Field(3, 80), messageField(4, targetPort), zero(5))
    const service = message(
      messageField(1, message(stringField(1, "web"), emptyString(2))),
      messageField(2, message(...repeatedMessage(1, [port("a", message(zero(1), int64Field(2, 8080), emptyString(3))), port("b", message(int64Field(1, 1), zero(2), stringField(3, "http")))])))
    )
    expect(decodeKubeProtobuf(envelope("v1", "Service", service))).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: { ports: [{ name: "a", port: 80, targetPort: 8080 }, { name: "b", port: 80, targetPort: "http" }] }
    })
    const env = message(stringField(1, "PASSWORD"), emptyString(2), messageField(3, message(messageField(4, message(messageField(1, message(stringField(1, "db"))), stringField(2, "password"))))))
    const deployment = message(
      messageField(1, message(stringField(1, "web"))),
      messageField(2, message(messageField(3, message(messageField(2, message(...repeatedMessage(2, [message(stringField(1, "web"), ...repeatedMessage(7, [env]))])))))))
    )
    expect(decodeKubeProtobuf(envelope("apps/v1", "Deployment", deployment))).toMatchObject({
      spec: { template: { spec: { containers: [{ name: "web", env: [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }] }] } } }
    })
  })

  it("reads maps, and DeleteOptions in the resource's group-version", () => {
    const configMap = message(messageField(1, message(stringField(1, "c"), ...repeatedMessage(11, [entry("app", stringField(2, "x"))]))), ...repeatedMessage(2, [entry("a", stringField(2, "1")), entry("empty", emptyString(2))]))
    expect(decodeKubeProtobuf(envelope("v1", "ConfigMap", configMap))).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", labels: { app: "x" } }, data: { a: "1", empty: "" } })
    const options = message(int64Field(1, 30), messageField(2, message(stringField(1, "uid-1"))), stringField(4, "Foreground"))
    expect(decodeKubeProtobuf(envelope("apps/v1", "DeleteOptions", options))).toEqual({
      apiVersion: "apps/v1",
      kind: "DeleteOptions",
      gracePeriodSeconds: 30,
      preconditions: { uid: "uid-1" },
      propagationPolicy: "Foreground"
    })
  })

  it("skips fields newer than its table, as protobuf decoders do", () => {
    const configMap = message(messageField(1, message(stringField(1, "c"))), stringField(99, "from the future"))
    expect(decodeKubeProtobuf(envelope("v1", "ConfigMap", configMap))).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })
  })
})

describe("refusals", () => {
  it("400 without the k8s magic or for a truncated body; 415 for kinds that have no protobuf form", () => {
    expect(statusOf(() => decodeKubeProtobuf(Buffer.from("{}")))).toBe(400)
    expect(statusOf(() => decodeKubeProtobuf(Buffer.from(CAPTURED.namespace, "base64").subarray(0, 20)))).toBe(400)
    expect(statusOf(() => decodeKubeProtobuf(envelope("oda.tmforum.org/v1", "ExposedAPI", message())))).toBe(415)
  })

  it("knows the messages of the served built-ins only", () => {
    expect(protobufMessageOf("v1", "Service")).toBe("core.v1.Service")
    expect(protobufMessageOf("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")).toBe("rbac.v1.ClusterRoleBinding")
    expect(protobufMessageOf("v1", "Pod")).toBeUndefined()
    expect(protobufMessageOf("apiextensions.k8s.io/v1", "CustomResourceDefinition")).toBeUndefined()
  })
})
