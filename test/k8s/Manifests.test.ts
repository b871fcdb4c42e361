import { isDeepStrictEqual } from "node:util"
import { ConfigProvider, Duration, Effect } from "effect"
import { describe, expect, it } from "vitest"
import "../../src/cli/Cli.ts" // every command, so every setting is declared
import { isJsonArray, isJsonObject, type Json, type JsonObject } from "../../src/emulators/Json.ts"
import { settingsFor } from "../../src/services/OperatorConfig.ts"
import { logFormat, probeAddress, shutdownGracePeriod } from "../../src/services/RuntimeSettings.ts"
import { documentedSettings } from "../../src/services/Settings.ts"
import { VERSION } from "../../src/Version.ts"
import { at, K8S_DIR, k8sPath, kubectlKustomize, objectId, renderKustomization } from "./Kustomize.ts"
import { RUNTIME_ENV } from "../../bench/RuntimeEnv.ts"
import { officialSchemaProblems } from "./OfficialSchemas.ts"

/**
 * The kustomizations in k8s/: they render the same with kubectl's kustomize, every built-in manifest is valid
 * against the official Kubernetes schemas, and the pieces agree with each other and with the code (settings,
 * probe port, version, labels). RBAC: Rbac.test.ts; the CRD: ExposedApiCrd.test.ts; applied to the emulator:
 * Apply.test.ts.
 */

const clusterWide = renderKustomization(K8S_DIR)
const namespaceScoped = renderKustomization(k8sPath("overlays/namespace-scoped"))
const monitoring = renderKustomization(k8sPath("monitoring"))

// ---- reading rendered objects ----

const objectAt = (value: Json | undefined, ...path: ReadonlyArray<string | number>): JsonObject => {
  const found = at(value, ...path)
  return isJsonObject(found) ? found : {}
}

const listAt = (value: Json | undefined, ...path: ReadonlyArray<string | number>): ReadonlyArray<JsonObject> => {
  const found = at(value, ...path)
  return isJsonArray(found) ? found.filter(isJsonObject) : []
}

const find = (objects: ReadonlyArray<JsonObject>, kind: string, name: string): JsonObject => {
  const found = objects.find((o) => o["kind"] === kind && at(o, "metadata", "name") === name)
  if (found === undefined) throw new Error(`no ${kind} ${name}`)
  return found
}

const deployment = find(clusterWide, "Deployment", "oda-apim-operator")
const pod = objectAt(deployment, "spec", "template")
const container = objectAt(pod, "spec", "containers", 0)
const settingsMap = find(clusterWide, "ConfigMap", "oda-apim-operator-settings")
const setting = (name: string): Json | undefined => at(settingsMap, "data", name)

const matches = (selector: JsonObject, labels: JsonObject): boolean =>
  Object.entries(selector).every(([key, value]) => labels[key] === value)

describe("k8s/ kustomizations", () => {
  const kubectl = kubectlKustomize()
  it.skipIf(kubectl === undefined)("render with kubectl's kustomize exactly as the tests read them", () => {
    for (const [dir, expected] of [[K8S_DIR, clusterWide], [k8sPath("overlays/namespace-scoped"), namespaceScoped], [k8sPath("monitoring"), monitoring]] as const) {
      const rendered = kubectl?.render(dir) ?? []
      const byId = new Map(rendered.map((o) => [objectId(o), o]))
      expect([...byId.keys()].sort()).toEqual(expected.map(objectId).sort())
      for (const object of expected) expect(isDeepStrictEqual(byId.get(objectId(object)), object), objectId(object)).toBe(true)
    }
  })

  it("install the CRD, the operator and cluster-wide RBAC; the namespace-scoped overlay nothing cluster-wide but the namespace", () => {
    const kinds = (objects: ReadonlyArray<JsonObject>) => objects.map((o) => String(o["kind"])).sort()
    expect(kinds(clusterWide)).toEqual(
      [
        "ClusterRole",
        "ClusterRoleBinding",
        "ConfigMap",
        "CustomResourceDefinition",
        "Deployment",
        "Namespace",
        "NetworkPolicy",
        "PodDisruptionBudget",
        "Role",
        "RoleBinding",
        "Service",
        "ServiceAccount"
      ]
    )
    const clusterScoped = namespaceScoped.filter((o) => at(o, "metadata", "namespace") === undefined)
    expect(clusterScoped.map(objectId)).toEqual(["v1 Namespace oda-apim-operator"])
    expect(kinds(monitoring)).toEqual(["ServiceMonitor"])
    // everything namespaced lives in the operator's namespace, but the Roles of the watched namespaces
    const elsewhere = [...clusterWide, ...namespaceScoped].filter((o) => {
      const namespace = at(o, "metadata", "namespace")
      return namespace !== undefined && namespace !== "oda-apim-operator"
    })
    expect(elsewhere.map((o) => String(o["kind"])).sort()).toEqual(["Role", "RoleBinding"])
  })
})

describe("every built-in manifest", () => {
  const builtins = new Map([...clusterWide, ...namespaceScoped].map((o) => [objectId(o), o]))

  it("is valid against the official Kubernetes schemas, with no unknown field", async () => {
    for (const [id, object] of builtins) expect(await officialSchemaProblems(object), id).toEqual([])
  })

  it("is checked by validators that do catch mistakes (wrong types, misspelt fields, missing required ones)", async () => {
    const { selector: _selector, ...unselected } = objectAt(deployment, "spec")
    const misspelt = { ...container, securityContext: { ...objectAt(container, "securityContext"), readOnlyRootFileSystem: true } }
    const broken = { ...deployment, spec: { ...unselected, replicas: "2", template: { ...pod, spec: { ...objectAt(pod, "spec"), containers: [misspelt] } } } }
    const problems = (await officialSchemaProblems(broken)).join("\n")
    expect(problems).toContain("/spec/replicas must be integer")
    expect(problems).toContain("selector")
    expect(problems).toContain("unknown field spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem")
  })
})

describe("the Deployment", () => {
  it("runs two replicas of this release, one leading at a time, spread over nodes and kept up by a disruption budget", () => {
    expect(at(deployment, "spec", "replicas")).toBe(2)
    expect(container["image"]).toBe(`oda-apim-operator:${VERSION}`)
    expect(container["args"]).toEqual(["run"])
    expect(setting("LEADER_ELECTION")).toBe("true")
    expect(at(pod, "spec", "topologySpreadConstraints", 0, "topologyKey")).toBe("kubernetes.io/hostname")
    const podLabels = objectAt(pod, "metadata", "labels")
    expect(matches(objectAt(deployment, "spec", "selector", "matchLabels"), podLabels)).toBe(true)
    const budget = find(clusterWide, "PodDisruptionBudget", "oda-apim-operator")
    expect(at(budget, "spec", "minAvailable")).toBe(1)
    expect(matches(objectAt(budget, "spec", "selector", "matchLabels"), podLabels)).toBe(true)
  })

  it("runs as a non-root user on a read-only root filesystem, without privileges, capabilities or an unconfined seccomp", () => {
    expect(objectAt(pod, "spec", "securityContext")).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } })
    expect(Number(at(pod, "spec", "securityContext", "runAsUser"))).toBeGreaterThan(0)
    expect(objectAt(container, "securityContext")).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" }
    })
    expect(objectAt(container, "resources", "requests")).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) })
    expect(objectAt(container, "resources", "limits")).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) })
    expect(at(pod, "spec", "terminationGracePeriodSeconds")).toBe(30)
  })

  it("leaves shutdown time to spare: the grace period for reconciles ends before Kubernetes kills the pod", () => {
    const grace = /^(\d+) seconds$/.exec(String(setting("SHUTDOWN_GRACE_PERIOD")))
    expect(Number(grace?.[1])).toBeLessThan(Number(at(pod, "spec", "terminationGracePeriodSeconds")))
  })

  it("gets Azure credentials through workload identity", () => {
    expect(at(pod, "metadata", "labels", "azure.workload.identity/use")).toBe("true")
    const account = find(clusterWide, "ServiceAccount", String(at(pod, "spec", "serviceAccountName")))
    expect(at(account, "metadata", "annotations", "azure.workload.identity/client-id")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(setting("KEY_VAULT_NAME")).toEqual(expect.any(String))
  })

  it("probes /healthz and /readyz on the port the code serves them on", () => {
    const port = listAt(container, "ports").find((p) => p["name"] === "metrics")
    expect(port?.["containerPort"]).toBe(Number(setting("PROBE_PORT")))
    expect(objectAt(container, "livenessProbe", "httpGet")).toEqual({ path: "/healthz", port: "metrics" })
    expect(objectAt(container, "readinessProbe", "httpGet")).toEqual({ path: "/readyz", port: "metrics" })
  })

  it("sets only settings the code reads, from ConfigMaps that exist (or are optional)", () => {
    const known = new Set(documentedSettings().map((s) => s.name))
    const sources = listAt(container, "envFrom").map((source) => objectAt(source, "configMapRef"))
    const names = [...clusterWide, ...namespaceScoped].filter((o) => o["kind"] === "ConfigMap").flatMap((configMap) => {
      const source = sources.find((s) => s["name"] === at(configMap, "metadata", "name"))
      expect(source, `ConfigMap ${String(at(configMap, "metadata", "name"))} is read by the Deployment`).toBeDefined()
      return Object.keys(objectAt(configMap, "data"))
    })
    for (const source of sources) {
      const exists = clusterWide.some((o) => o["kind"] === "ConfigMap" && at(o, "metadata", "name") === source["name"])
      expect(exists || source["optional"] === true, `ConfigMap ${String(source["name"])}`).toBe(true)
    }
    const env = listAt(container, "env").map((e) => String(e["name"])).filter((name) => !RUNTIME_ENV.has(name))
    expect([...names, ...env].filter((name) => !known.has(name))).toEqual([])
    expect(names).toContain("WATCH_NAMESPACES")
    // production choices: logs for collectors, traffic to implementations only through the gateway
    expect(setting("LOG_FORMAT")).toBe("json")
    expect(setting("GATEWAY_ONLY_TRAFFIC")).toBe("true")
  })

  it("sets values the code reads as meant, in both modes", () => {
    const read = (objects: ReadonlyArray<JsonObject>) => {
      const data = objects.filter((o) => o["kind"] === "ConfigMap").flatMap((o) => Object.entries(objectAt(o, "data")).map(([k, v]) => [k, String(v)] as const))
      const provider = ConfigProvider.fromMap(new Map(data))
      const target = { apimServiceName: "apim", resourceGroup: "rg", subscriptionId: "sub", tenantId: "tenant", clientId: "client" }
      return Effect.runSync(
        Effect.all({ operator: settingsFor(target), grace: shutdownGracePeriod, format: logFormat, probes: probeAddress }).pipe(Effect.withConfigProvider(provider))
      )
    }
    const cluster = read(clusterWide)
    expect(cluster.operator.namespaces).toEqual([])
    expect(cluster.operator.gatewayOnlyTraffic.enabled).toBe(true)
    expect(Duration.toSeconds(cluster.grace)).toBe(20)
    expect(cluster.format).toBe("json")
    expect(cluster.probes.port).toBe(8080)
    expect(read(namespaceScoped).operator.namespaces).toEqual(["components"])
  })
})

describe("metrics and the operator's NetworkPolicy", () => {
  const service = find(clusterWide, "Service", "oda-apim-operator-metrics")
  const monitor = find(monitoring, "ServiceMonitor", "oda-apim-operator")
  const policy = find(clusterWide, "NetworkPolicy", "oda-apim-operator")
  const podLabels = objectAt(pod, "metadata", "labels")

  it("the ServiceMonitor scrapes /metrics of the operator's pods through the metrics Service", () => {
    expect(monitor["apiVersion"]).toBe("monitoring.coreos.com/v1")
    expect(matches(objectAt(monitor, "spec", "selector", "matchLabels"), objectAt(service, "metadata", "labels"))).toBe(true)
    expect(at(monitor, "spec", "namespaceSelector", "matchNames")).toEqual([at(service, "metadata", "namespace")])
    const endpoint = objectAt(monitor, "spec", "endpoints", 0)
    expect(endpoint).toMatchObject({ port: "metrics", path: "/metrics", scheme: "http" })
    const servicePort = listAt(service, "spec", "ports").find((p) => p["name"] === endpoint["port"])
    expect(servicePort?.["targetPort"]).toBe("metrics")
    expect(matches(objectAt(service, "spec", "selector"), podLabels)).toBe(true)
  })

  it("admits the metrics port from the monitoring namespace, and lets out only DNS, HTTPS and in-cluster traffic", () => {
    expect(matches(objectAt(policy, "spec", "podSelector", "matchLabels"), podLabels)).toBe(true)
    expect(at(policy, "spec", "policyTypes")).toEqual(["Ingress", "Egress"])
    expect(listAt(policy, "spec", "ingress")).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }], ports: [{ protocol: "TCP", port: "metrics" }] }
    ])
    const egress = listAt(policy, "spec", "egress")
    expect(egress.map((rule) => listAt(rule, "ports").map((p) => `${String(p["protocol"])}/${String(p["port"])}`))).toEqual([
      ["UDP/53", "TCP/53"],
      ["TCP/443"],
      []
    ])
    // only the in-cluster rule is open on every port, and it names pods (any namespace), never addresses
    expect(listAt(egress[2], "to")).toEqual([{ namespaceSelector: {} }])
  })
})
