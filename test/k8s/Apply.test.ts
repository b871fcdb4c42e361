import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { stringify } from "yaml"
import { isJsonObject, type JsonObject } from "../../src/emulators/Json.ts"
import { type KubeEmulator, startKubeEmulator } from "../../src/emulators/kube/KubeEmulator.ts"
import { odaFile, type Kubectl, startKubectl } from "../emulators/kube/KubectlHarness.ts"
import { K8S_DIR, k8sPath, objectId, renderKustomization } from "./Kustomize.ts"

/**
 * What `kubectl apply -k k8s/` does, with the real kubectl on PATH against the Kubernetes emulator (kubectl 1.20's
 * kustomize cannot read k8s/, so the rendered manifests are applied with -f): every object is accepted and reads
 * back as written, the namespace-scoped overlay applies beside it, and ExposedAPIs show the CRD's printer columns.
 */

let emulator: KubeEmulator
let kubectl: Kubectl
let dir: string

const applyRendered = (name: string, objects: ReadonlyArray<JsonObject>): Promise<string> => {
  const file = join(dir, `${name}.yaml`)
  writeFileSync(file, objects.map((o) => stringify(o)).join("---\n"))
  return kubectl.ok(["apply", "-f", file])
}

const stored = (object: JsonObject): JsonObject | undefined => {
  const metadata = isJsonObject(object["metadata"]) ? object["metadata"] : {}
  return emulator.objects.get(String(object["apiVersion"]), String(object["kind"]), String(metadata["namespace"] ?? ""), String(metadata["name"]))
}

/** The written object without what apply and the API server add (metadata they own, defaults). */
const asWritten = (object: JsonObject): JsonObject => {
  const { metadata, ...rest } = object
  if (!isJsonObject(metadata)) return rest
  const { name, namespace, labels } = metadata
  return { ...rest, metadata: { name: name ?? null, ...(namespace === undefined ? {} : { namespace }), ...(labels === undefined ? {} : { labels }) } }
}

beforeAll(async () => {
  emulator = await startKubeEmulator()
  kubectl = await startKubectl(emulator)
  dir = mkdtempSync(join(tmpdir(), "k8s-apply-"))
})

afterAll(async () => {
  kubectl.close()
  await emulator.close()
  rmSync(dir, { recursive: true, force: true })
})

describe("kubectl apply of k8s/ against the emulator", () => {
  it("creates every object of the cluster-wide install, and each reads back as written", async () => {
    const objects = renderKustomization(K8S_DIR)
    const output = await applyRendered("cluster-wide", objects)
    expect(output.trim().split("\n").filter((line) => line.endsWith(" created"))).toHaveLength(objects.length)
    for (const object of objects) expect(stored(object), objectId(object)).toMatchObject(asWritten(object))
  })

  it("applies the namespace-scoped overlay beside it, once the watched namespace exists", async () => {
    emulator.objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "components" } })
    const objects = renderKustomization(k8sPath("overlays/namespace-scoped"))
    const output = await applyRendered("namespace-scoped", objects)
    expect(output).toContain("configmap/oda-apim-operator-namespaces created")
    expect(output).toContain("role.rbac.authorization.k8s.io/oda-apim-operator created")
    expect(output).toContain("deployment.apps/oda-apim-operator unchanged")
    for (const object of objects) expect(stored(object), objectId(object)).toMatchObject(asWritten(object))
  })

  it("lists ExposedAPIs with their URL, readiness and (wide) the reason", async () => {
    await kubectl.ok(["apply", "-f", odaFile("exposedapi-example.yaml")])
    const name = "r1-productcatalogmanagement-productcatalogmanagement"
    emulator.objects.patch("oda.tmforum.org/v1", "ExposedAPI", "default", name, "merge", {
      status: {
        apiStatus: { url: "https://gw.example.net/r1/catalog" },
        implementation: { ready: true },
        conditions: [{ type: "Ready", status: "True", reason: "Published", message: "published", lastTransitionTime: "2026-01-01T00:00:00Z", observedGeneration: 1 }]
      }
    })
    const [header, row] = (await kubectl.ok(["get", "exposedapis", "-o", "wide"])).trim().split("\n")
    expect(header?.split(/\s+/)).toEqual(["NAME", "URL", "READY", "IMPLEMENTATION-READY", "REASON", "AGE"])
    expect(row?.split(/\s+/).slice(0, 5)).toEqual([name, "https://gw.example.net/r1/catalog", "True", "true", "Published"])
    const [narrow] = (await kubectl.ok(["get", "exposedapis"])).trim().split("\n")
    expect(narrow?.split(/\s+/)).toEqual(["NAME", "URL", "READY", "IMPLEMENTATION-READY", "AGE"])
  })

  it("refuses an out-of-range port at apply time, naming the field", async () => {
    const file = join(dir, "bad.yaml")
    writeFileSync(file, stringify({
      apiVersion: "oda.tmforum.org/v1",
      kind: "ExposedAPI",
      metadata: { name: "bad", namespace: "default" },
      spec: { name: "bad", apiType: "openapi", implementation: "bad-svc", path: "/bad", port: 70000 }
    }))
    expect(await kubectl.fails(["apply", "-f", file])).toContain("spec.port")
  })
})
