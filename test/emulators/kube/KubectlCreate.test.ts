import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startKubeEmulator, type KubeEmulator } from "../../../src/emulators/kube/KubeEmulator.ts"
import { startKubectl, type Kubectl } from "./KubectlHarness.ts"

/**
 * kubectl's `create <kind>` generators go through client-go's typed clients, which since client-go 1.31 send
 * Kubernetes protobuf bodies (kubectl 1.20 sends JSON): both must create the same objects.
 */

let emulator: KubeEmulator
let kubectl: Kubectl

beforeAll(async () => {
  emulator = await startKubeEmulator()
  kubectl = await startKubectl(emulator)
})

afterAll(async () => {
  kubectl.close()
  await emulator.close()
})

const get = (apiVersion: string, kind: string, name: string, namespace = "team") => emulator.objects.get(apiVersion, kind, namespace, name)

describe("kubectl create <kind>", () => {
  it("creates a namespace and the objects an operator needs in it", async () => {
    const since = Date.now()
    const commands: ReadonlyArray<ReadonlyArray<string>> = [
      ["create", "namespace", "team"],
      ["create", "configmap", "settings", "--from-literal=mode=fast", "-n", "team"],
      ["create", "secret", "generic", "credentials", "--from-literal=password=s3cret", "-n", "team"],
      ["create", "serviceaccount", "operator", "-n", "team"],
      ["create", "role", "reader", "--verb=get,list", "--resource=configmaps", "-n", "team"],
      ["create", "rolebinding", "reader", "--role=reader", "--serviceaccount=team:operator", "-n", "team"],
      ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=8080", "-n", "team"],
      ["create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "team"],
      ["create", "ingress", "web", "--rule=team.example.com/*=web:80", "-n", "team"]
    ]
    const outputs: Array<string> = []
    for (const command of commands) outputs.push((await kubectl.ok(command)).trim())
    expect(outputs).toEqual([
      "namespace/team created",
      "configmap/settings created",
      "secret/credentials created",
      "serviceaccount/operator created",
      "role.rbac.authorization.k8s.io/reader created",
      "rolebinding.rbac.authorization.k8s.io/reader created",
      "deployment.apps/web created",
      "service/web created",
      "ingress.networking.k8s.io/web created"
    ])
    expect(get("v1", "Namespace", "team", "")?.["status"]).toEqual({ phase: "Active" })
    expect(get("v1", "ConfigMap", "settings")?.["data"]).toEqual({ mode: "fast" })
    expect(get("v1", "Secret", "credentials")?.["data"]).toEqual({ password: Buffer.from("s3cret").toString("base64") })
    expect(get("rbac.authorization.k8s.io/v1", "Role", "reader")?.["rules"]).toEqual([{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }])
    expect(get("rbac.authorization.k8s.io/v1", "RoleBinding", "reader")).toMatchObject({
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
      subjects: [{ kind: "ServiceAccount", name: "operator", namespace: "team" }]
    })
    expect(get("apps/v1", "Deployment", "web")?.["spec"]).toMatchObject({
      replicas: 0,
      selector: { matchLabels: { app: "web" } },
      template: { spec: { containers: [{ name: "nginx", image: "nginx:1.27", ports: [{ containerPort: 8080 }] }] } }
    })
    expect(get("v1", "Service", "web")?.["spec"]).toMatchObject({ type: "ClusterIP", selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080, protocol: "TCP" }] })
    expect(get("networking.k8s.io/v1", "Ingress", "web")?.["spec"]).toMatchObject({
      rules: [{ host: "team.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }]
    })
    const posts = emulator.log.writes(since).filter((e) => e.method === "POST")
    expect(posts).toHaveLength(commands.length)
    expect(posts.every((e) => e.status === 201)).toBe(true)
    // kubectl 1.20 leaves Content-Type out of some of them: the apiserver then takes its first media type, JSON
    const expected = kubectl.minor >= 31 ? "application/vnd.kubernetes.protobuf" : "application/json"
    expect(new Set(posts.map((e) => e.contentType ?? "application/json"))).toEqual(new Set([expected]))
  })

  it("prints the created objects back", async () => {
    const out = await kubectl.ok(["get", "deployments,services,configmaps", "-n", "team", "-o", "name"])
    expect(out.trim().split("\n")).toEqual(["deployment.apps/web", "service/web", "configmap/settings"])
  })
})
