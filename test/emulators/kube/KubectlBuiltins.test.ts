import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { isJsonObject } from "../../../src/emulators/Json.ts"
import { startKubeEmulator, type KubeEmulator } from "../../../src/emulators/kube/KubeEmulator.ts"
import { startKubectl, type Kubectl } from "./KubectlHarness.ts"

/**
 * The real kubectl applying, printing, patching and deleting the built-in kinds an operator deployment uses:
 * a namespace with a Service, Ingress, EndpointSlice, Lease, ConfigMap, Secret, a Deployment and its RBAC.
 */

const manifests = (image: string, httpsTarget: number): string => `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop, labels: {app: web}}
data: {greeting: hello, farewell: bye}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secret, namespace: shop}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 8080}
  - {name: https, port: 443, targetPort: ${httpsTarget}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc, namespace: shop, labels: {kubernetes.io/service-name: web}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: ["10.0.0.5"], conditions: {ready: true}}]
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: web-leader, namespace: shop}
spec: {holderIdentity: web-0, leaseDurationSeconds: 15}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: web
      containers:
      - {name: web, image: "${image}", ports: [{containerPort: 8080}], env: [{name: MODE, value: shop}]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: web-reader}
rules: [{apiGroups: [oda.tmforum.org], resources: [exposedapis], verbs: [get, list, watch]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: web-reader}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: web-reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
`

let emulator: KubeEmulator
let kubectl: Kubectl
let applied: string

const get = (apiVersion: string, kind: string, name: string, namespace = "shop") => emulator.objects.get(apiVersion, kind, namespace, name)

/** The whitespace-separated cells of the table line that starts with `name`. */
const row = (table: string, name: string): ReadonlyArray<string> =>
  table.split("\n").find((line) => line.startsWith(`${name} `))?.trim().split(/\s{2,}/) ?? []

beforeAll(async () => {
  emulator = await startKubeEmulator()
  kubectl = await startKubectl(emulator)
  applied = await kubectl.ok(["apply", "-f", "-"], manifests("nginx:1.27", 8443))
})

afterAll(async () => {
  kubectl.close()
  await emulator.close()
})

describe("kubectl apply of an operator's built-in objects", () => {
  it("creates every object, with the strategies' server-set fields", () => {
    expect(applied.trim().split("\n")).toEqual([
      "namespace/shop created",
      "serviceaccount/web created",
      "configmap/web-config created",
      "secret/web-secret created",
      "service/web created",
      "ingress.networking.k8s.io/web created",
      "endpointslice.discovery.k8s.io/web-abc created",
      "lease.coordination.k8s.io/web-leader created",
      "deployment.apps/web created",
      "role.rbac.authorization.k8s.io/web created",
      "rolebinding.rbac.authorization.k8s.io/web created",
      "clusterrole.rbac.authorization.k8s.io/web-reader created",
      "clusterrolebinding.rbac.authorization.k8s.io/web-reader created"
    ])
    expect(get("v1", "Secret", "web-secret")?.["data"]).toEqual({ password: Buffer.from("s3cret").toString("base64") })
    expect(get("v1", "Service", "web")?.["spec"]).toMatchObject({ type: "ClusterIP", clusterIP: expect.stringMatching(/^10\.96\./) })
    expect(get("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "web-reader", "")?.["roleRef"]).toMatchObject({ name: "web-reader" })
  })

  it("re-applies a change as a strategic merge patch that merges the Service's ports by port and the containers by name", async () => {
    const since = Date.now()
    const out = await kubectl.ok(["apply", "-f", "-"], manifests("nginx:1.28", 9443))
    expect(out).toContain("service/web configured")
    expect(out).toContain("deployment.apps/web configured")
    expect(out).toContain("configmap/web-config unchanged")
    const servicePatch = emulator.log.writes(since).find((e) => e.method === "PATCH" && e.path === "/api/v1/namespaces/shop/services/web")
    expect(servicePatch?.contentType).toBe("application/strategic-merge-patch+json")
    const body: unknown = JSON.parse(servicePatch?.body ?? "{}")
    expect(body).toMatchObject({ spec: { "$setElementOrder/ports": [{ port: 80 }, { port: 443 }], ports: [{ port: 443, targetPort: 9443 }] } })
    const ports = get("v1", "Service", "web")?.["spec"]
    expect(isJsonObject(ports) ? ports["ports"] : undefined).toEqual([
      { name: "http", port: 80, protocol: "TCP", targetPort: 8080 },
      { name: "https", port: 443, protocol: "TCP", targetPort: 9443 }
    ])
    expect(JSON.stringify(get("apps/v1", "Deployment", "web"))).toContain('"image":"nginx:1.28"')
  })
})

describe("kubectl diff and server-side dry runs", () => {
  it("shows what a changed manifest would change, and a server dry run changes nothing", async () => {
    const since = Date.now()
    const before = emulator.store.resourceVersion
    const diff = await kubectl.run(["diff", "-f", "-"], manifests("nginx:1.29", 9443))
    expect(diff.code).toBe(1) // kubectl diff exits 1 when there are differences
    expect(diff.stdout).toMatch(/^-\s+image: nginx:1\.28$/m)
    expect(diff.stdout).toMatch(/^\+\s+image: nginx:1\.29$/m)
    const dryRun = await kubectl.ok(["apply", "--dry-run=server", "-f", "-"], manifests("nginx:1.29", 9443))
    expect(dryRun).toContain("deployment.apps/web configured (server dry run)")
    expect(emulator.store.resourceVersion).toBe(before)
    expect(emulator.log.writes(since).filter((e) => e.method === "PATCH").every((e) => e.query["dryRun"] === "All")).toBe(true)
  })
})

describe("kubectl get tables of built-ins", () => {
  it("prints the apiserver's columns, -o wide adding the priority ones", async () => {
    const services = await kubectl.ok(["get", "services", "-n", "shop", "-o", "wide"])
    expect(services.split("\n")[0]?.trim().split(/\s+/)).toEqual(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"])
    expect(row(services, "web")).toEqual(["web", "ClusterIP", expect.stringMatching(/^10\.96\./), "<none>", "80/TCP,443/TCP", expect.stringMatching(/^\d+s$/), "app=web"])
    const deployments = await kubectl.ok(["get", "deployments", "-n", "shop"])
    expect(deployments.split("\n")[0]?.trim().split(/\s+/)).toEqual(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"])
    expect(row(deployments, "web").slice(0, 4)).toEqual(["web", "0/2", "0", "0"])
    const wide = await kubectl.ok(["get", "deployments", "-n", "shop", "-o", "wide"])
    expect(row(wide, "web").slice(-3)).toEqual(["web", "nginx:1.28", "app=web"])
  })

  it("prints each kind's own cells", async () => {
    const out = await kubectl.ok(["get", "configmaps,secrets,ingresses,endpointslices,leases,rolebindings,roles,serviceaccounts", "-n", "shop"])
    expect(row(out, "configmap/web-config").slice(0, 2)).toEqual(["configmap/web-config", "2"])
    expect(row(out, "secret/web-secret").slice(0, 3)).toEqual(["secret/web-secret", "Opaque", "1"])
    expect(row(out, "ingress.networking.k8s.io/web").slice(0, 4)).toEqual(["ingress.networking.k8s.io/web", "nginx", "shop.example.com", "80"])
    expect(row(out, "endpointslice.discovery.k8s.io/web-abc").slice(0, 4)).toEqual(["endpointslice.discovery.k8s.io/web-abc", "IPv4", "8080", "10.0.0.5"])
    expect(row(out, "lease.coordination.k8s.io/web-leader").slice(0, 2)).toEqual(["lease.coordination.k8s.io/web-leader", "web-0"])
    expect(row(out, "rolebinding.rbac.authorization.k8s.io/web").slice(0, 2)).toEqual(["rolebinding.rbac.authorization.k8s.io/web", "Role/web"])
    expect(row(out, "role.rbac.authorization.k8s.io/web")[1]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    const namespaces = await kubectl.ok(["get", "namespaces", "shop"])
    expect(row(namespaces, "shop").slice(0, 2)).toEqual(["shop", "Active"])
    const bindings = await kubectl.ok(["get", "clusterrolebindings", "-o", "wide"])
    expect(row(bindings, "web-reader")).toEqual(["web-reader", "ClusterRole/web-reader", expect.stringMatching(/^\d+s$/), "shop/web"])
  })
})

describe("kubectl patch, delete and describe on built-ins", () => {
  it("a strategic merge patch adds a Service port beside the others; a JSON patch edits a ConfigMap", async () => {
    await kubectl.ok(["patch", "service", "web", "-n", "shop", "--type=strategic", "-p", '{"spec":{"ports":[{"name":"metrics","port":9090}]}}'])
    const spec = get("v1", "Service", "web")?.["spec"]
    // without $setElementOrder, apimachinery's mergeSortedSlice puts the patch's items before the server-only ones
    expect(isJsonObject(spec) ? spec["ports"] : undefined).toMatchObject([{ name: "metrics", port: 9090, targetPort: 9090 }, { port: 80 }, { port: 443 }])
    await kubectl.ok(["patch", "configmap", "web-config", "-n", "shop", "--type=json", "-p", '[{"op":"add","path":"/data/extra","value":"x"}]'])
    expect(get("v1", "ConfigMap", "web-config")?.["data"]).toEqual({ greeting: "hello", farewell: "bye", extra: "x" })
  })

  it("server-side applies a ConfigMap", async () => {
    const out = await kubectl.ok(["apply", "--server-side", "-f", "-"], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ssa, namespace: shop}\ndata: {k: v}\n")
    expect(out.trim()).toBe("configmap/ssa serverside-applied")
    expect(get("v1", "ConfigMap", "ssa")?.["data"]).toEqual({ k: "v" })
  })

  it("describes a Service and a Deployment", async () => {
    expect(await kubectl.ok(["describe", "service", "web", "-n", "shop"])).toMatch(/Port:\s+https\s+443\/TCP/)
    expect(await kubectl.ok(["describe", "deployment", "web", "-n", "shop"])).toMatch(/Image:\s+nginx:1\.28/)
  })

  it("deletes a Service (the apiserver answers with the deleted object) and a Lease", async () => {
    expect((await kubectl.ok(["delete", "service", "web", "-n", "shop"])).trim()).toBe('service "web" deleted')
    expect((await kubectl.ok(["delete", "lease", "web-leader", "-n", "shop"])).trim()).toBe('lease.coordination.k8s.io "web-leader" deleted')
    expect(get("v1", "Service", "web")).toBeUndefined()
    expect(get("coordination.k8s.io/v1", "Lease", "web-leader")).toBeUndefined()
  })
})
