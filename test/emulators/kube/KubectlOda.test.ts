import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { startKubeEmulator, type KubeEmulator } from "../../../src/emulators/kube/KubeEmulator.ts"
import { odaFile, startKubectl, type Kubectl } from "./KubectlHarness.ts"

/**
 * The real kubectl on PATH against the emulator, with validation on: the ODA ExposedAPI CRD and its example,
 * printer columns, selectors, watch, patch, server-side apply, delete with and without finalizers.
 */

const API = "oda.tmforum.org/v1"
const KIND = "ExposedAPI"
const EXAMPLE = "r1-productcatalogmanagement-productcatalogmanagement"

let emulator: KubeEmulator
let kubectl: Kubectl
let crdApplied: string

const exposedApi = (name: string, namespace: string, extra: { readonly labels?: Record<string, string>; readonly finalizers?: ReadonlyArray<string> } = {}) => ({
  apiVersion: API,
  kind: KIND,
  metadata: { name, namespace, ...(extra.labels === undefined ? {} : { labels: extra.labels }), ...(extra.finalizers === undefined ? {} : { finalizers: [...extra.finalizers] }) },
  spec: { name, apiType: "openapi", implementation: `${name}-svc`, path: `/${name}`, port: 8080 }
})

const stored = (name: string, namespace = "default") => emulator.objects.get(API, KIND, namespace, name)

const exampleYaml = (): string => readFileSync(odaFile("exposedapi-example.yaml"), "utf8")

/** kubectl ≥ 1.25 validates on the server (fieldValidation=Strict, learnt from /openapi/v3); older ones client-side from /openapi/v2. */
const serverSideValidation = (): boolean => kubectl.minor >= 25

beforeAll(async () => {
  emulator = await startKubeEmulator()
  kubectl = await startKubectl(emulator)
  crdApplied = await kubectl.ok(["apply", "-f", odaFile("exposedapi-crd.yaml")])
  for (const namespace of ["selectors", "watching", "finalizing"]) emulator.objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } })
})

afterAll(async () => {
  kubectl.close()
  await emulator.close()
})

describe("kubectl apply with validation on", () => {
  it("installs the ODA CRD and creates the example, discovering the new kind through legacy discovery", async () => {
    expect(crdApplied.trim()).toBe("customresourcedefinition.apiextensions.k8s.io/exposedapis.oda.tmforum.org created")
    const created = await kubectl.ok(["apply", "-f", odaFile("exposedapi-example.yaml")])
    expect(created.trim()).toBe(`exposedapi.oda.tmforum.org/${EXAMPLE} created`)
    const object = stored(EXAMPLE)
    expect(object?.["spec"]).toMatchObject({ implementation: "r1-prodcatapi", port: 8080, apiType: "openapi" })
    const paths = emulator.log.entries().map((e) => `${e.method} ${e.path}`)
    expect(paths).toContain("GET /apis/oda.tmforum.org/v1")
    expect(paths).toContain("GET /apis")
  })

  it("lets kubectl validate the way its version does: server-side (fieldValidation=Strict) or from the protobuf /openapi/v2", () => {
    const posts = emulator.log.entries((e) => e.method === "POST" && e.path === "/apis/oda.tmforum.org/v1/namespaces/default/exposedapis")
    expect(posts).toHaveLength(1)
    if (serverSideValidation()) {
      expect(posts[0]?.query["fieldValidation"]).toBe("Strict")
      const v3 = emulator.log.entries((e) => e.path === "/openapi/v3/apis/oda.tmforum.org/v1")
      expect(v3.map((e) => e.status)).toContain(200)
    } else {
      const v2 = emulator.log.entries((e) => e.path === "/openapi/v2")
      expect(v2.length).toBeGreaterThan(0)
      expect(v2.every((e) => e.status === 200)).toBe(true)
    }
  })

  it("refuses an ExposedAPI whose spec is not an object, and stores nothing", async () => {
    const bad = `apiVersion: ${API}\nkind: ${KIND}\nmetadata:\n  name: bad\nspec: not-an-object\n`
    const stderr = await kubectl.fails(["apply", "-f", "-"], bad)
    if (serverSideValidation()) expect(stderr).toContain('spec: Invalid value: "string": spec in body must be of type object')
    else expect(stderr).toContain("ValidationError(ExposedAPI.spec): invalid type for org.tmforum.oda.v1.ExposedAPI.spec")
    expect(stored("bad")).toBeUndefined()
  })

  it("re-applies the unchanged example as unchanged, and a changed one as a merge patch (no strategic merge for custom resources)", async () => {
    expect((await kubectl.ok(["apply", "-f", odaFile("exposedapi-example.yaml")])).trim()).toBe(`exposedapi.oda.tmforum.org/${EXAMPLE} unchanged`)
    const since = Date.now()
    const changed = exampleYaml().replace("port: 8080", "port: 8443")
    expect((await kubectl.ok(["apply", "-f", "-"], changed)).trim()).toBe(`exposedapi.oda.tmforum.org/${EXAMPLE} configured`)
    expect(stored(EXAMPLE)?.["spec"]).toMatchObject({ port: 8443 })
    const patches = emulator.log.writes(since).filter((e) => e.method === "PATCH")
    expect(patches.map((e) => e.contentType)).toEqual(["application/merge-patch+json"])
    expect(JSON.parse(patches[0]?.body ?? "{}")).toMatchObject({ spec: { port: 8443 } })
  })
})

describe("kubectl get", () => {
  it("prints Name and the CRD's printer columns, filled from status", async () => {
    emulator.objects.patch(API, KIND, "default", EXAMPLE, "merge", {
      status: { apiStatus: { url: "https://apim.example.com/r1" }, implementation: { ready: true } }
    })
    const lines = (await kubectl.ok(["get", "exposedapis"])).trim().split("\n")
    expect(lines[0]?.split(/\s+/)).toEqual(["NAME", "API_ENDPOINT", "IMPLEMENTATION_READY"])
    expect(lines[1]?.split(/\s+/)).toEqual([EXAMPLE, "https://apim.example.com/r1", "true"])
  })

  it("prints JSON and YAML from the plain object", async () => {
    const json: unknown = JSON.parse(await kubectl.ok(["get", "exposedapi", EXAMPLE, "-o", "json"]))
    expect(json).toMatchObject({ apiVersion: API, kind: KIND, metadata: { name: EXAMPLE }, spec: { implementation: "r1-prodcatapi" } })
    const yaml = await kubectl.ok(["get", "exposedapi", EXAMPLE, "-o", "yaml"])
    expect(yaml).toContain(`apiVersion: ${API}`)
    expect(yaml).toContain("implementation: r1-prodcatapi")
  })

  it("lists with label selectors, which reach the server", async () => {
    emulator.objects.create(exposedApi("gold-a", "selectors", { labels: { tier: "gold" } }))
    emulator.objects.create(exposedApi("gold-b", "selectors", { labels: { tier: "gold", legacy: "true" } }))
    emulator.objects.create(exposedApi("silver", "selectors", { labels: { tier: "silver" } }))
    emulator.objects.create(exposedApi("plain", "selectors"))
    const names = async (selector: string) => (await kubectl.ok(["get", "exposedapis", "-n", "selectors", "-l", selector, "-o", "name"])).trim().split("\n")
    expect(await names("tier=gold")).toEqual(["exposedapi.oda.tmforum.org/gold-a", "exposedapi.oda.tmforum.org/gold-b"])
    expect(await names("tier in (gold,silver),!legacy")).toEqual(["exposedapi.oda.tmforum.org/gold-a", "exposedapi.oda.tmforum.org/silver"])
    expect(await names("tier!=gold")).toEqual(["exposedapi.oda.tmforum.org/plain", "exposedapi.oda.tmforum.org/silver"])
    const selectors = emulator.log.entries((e) => e.path === "/apis/oda.tmforum.org/v1/namespaces/selectors/exposedapis").map((e) => e.query["labelSelector"])
    expect(selectors).toEqual(["tier=gold", "tier in (gold,silver),!legacy", "tier!=gold"])
  })

  it("watches (-w) with one-row tables: ADDED, MODIFIED and DELETED lines as the objects change", async () => {
    emulator.objects.create(exposedApi("w1", "watching"))
    const watch = kubectl.start(["get", "exposedapis", "-n", "watching", "-w", "--output-watch-events"])
    try {
      const initial = await watch.waitFor((lines) => lines.some((l) => l.startsWith("ADDED")))
      expect(initial[0]?.split(/\s+/)).toEqual(["EVENT", "NAME", "API_ENDPOINT", "IMPLEMENTATION_READY"])
      await watch.waitFor(() => emulator.openWatches() > 0)
      emulator.objects.patch(API, KIND, "watching", "w1", "merge", { status: { apiStatus: { url: "https://apim.example.com/w1" } } })
      await watch.waitFor((lines) => lines.some((l) => /^MODIFIED\s+w1\s+https:\/\/apim\.example\.com\/w1/.test(l)))
      emulator.objects.create(exposedApi("w2", "watching"))
      await watch.waitFor((lines) => lines.some((l) => /^ADDED\s+w2\b/.test(l)))
      emulator.objects.delete(API, KIND, "watching", "w1")
      const lines = await watch.waitFor((all) => all.some((l) => /^DELETED\s+w1\b/.test(l)))
      // the header is printed once: later events carry no column definitions
      expect(lines.filter((l) => l.startsWith("EVENT"))).toHaveLength(1)
    } finally {
      await watch.stop()
    }
    const watches = emulator.log.entries((e) => e.path === "/apis/oda.tmforum.org/v1/namespaces/watching/exposedapis" && e.query["watch"] === "true")
    expect(watches).toHaveLength(1)
    expect(watches[0]?.query["resourceVersion"]).toMatch(/^\d+$/)
  })
})

describe("kubectl patch, label, annotate", () => {
  it("merge and JSON patches change the stored object", async () => {
    expect((await kubectl.ok(["patch", "exposedapi", EXAMPLE, "--type=merge", "-p", '{"spec":{"developerUI":"/ui"}}'])).trim()).toBe(
      `exposedapi.oda.tmforum.org/${EXAMPLE} patched`
    )
    await kubectl.ok(["patch", "exposedapi", EXAMPLE, "--type=json", "-p", '[{"op":"replace","path":"/spec/path","value":"/v5"},{"op":"remove","path":"/spec/quota"}]'])
    const spec = stored(EXAMPLE)?.["spec"]
    expect(spec).toMatchObject({ developerUI: "/ui", path: "/v5" })
    expect(spec).not.toHaveProperty("quota")
  })

  it("a strategic merge patch on the custom resource fails with the apiserver's 415", async () => {
    const stderr = await kubectl.fails(["patch", "exposedapi", EXAMPLE, "--type=strategic", "-p", '{"spec":{"port":1}}'])
    expect(stderr).toContain(
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"
    )
    const last = emulator.log.entries((e) => e.method === "PATCH").at(-1)
    expect(last?.status).toBe(415)
    expect(stored(EXAMPLE)?.["spec"]).not.toMatchObject({ port: 1 })
  })

  it("labels and annotates", async () => {
    await kubectl.ok(["label", "exposedapi", EXAMPLE, "team=catalog"])
    await kubectl.ok(["annotate", "exposedapi", EXAMPLE, "oda.tmforum.org/owner=r1"])
    expect(stored(EXAMPLE)?.["metadata"]).toMatchObject({ labels: { team: "catalog" }, annotations: { "oda.tmforum.org/owner": "r1" } })
    expect((await kubectl.ok(["get", "exposedapis", "-l", "team=catalog", "-o", "name"])).trim()).toBe(`exposedapi.oda.tmforum.org/${EXAMPLE}`)
  })
})

describe("kubectl apply --server-side", () => {
  it("applies as the kubectl field manager with application/apply-patch+yaml, creating then updating", async () => {
    const since = Date.now()
    const yaml = exampleYaml().replace(/name: r1-productcatalogmanagement-productcatalogmanagement/, "name: ssa")
    expect((await kubectl.ok(["apply", "--server-side", "-f", "-"], yaml)).trim()).toBe("exposedapi.oda.tmforum.org/ssa serverside-applied")
    expect((await kubectl.ok(["apply", "--server-side", "-f", "-"], yaml.replace("port: 8080", "port: 9090"))).trim()).toBe(
      "exposedapi.oda.tmforum.org/ssa serverside-applied"
    )
    expect(stored("ssa")?.["spec"]).toMatchObject({ port: 9090, implementation: "r1-prodcatapi" })
    const applies = emulator.log.writes(since)
    expect(applies.map((e) => [e.method, e.contentType, e.query["fieldManager"], e.status])).toEqual([
      ["PATCH", "application/apply-patch+yaml", "kubectl", 201],
      ["PATCH", "application/apply-patch+yaml", "kubectl", 200]
    ])
  })
})

describe("kubectl delete", () => {
  it("deletes an object without finalizers at once", async () => {
    emulator.objects.create(exposedApi("gone", "finalizing"))
    expect((await kubectl.ok(["delete", "exposedapi", "gone", "-n", "finalizing"])).trim()).toBe('exposedapi.oda.tmforum.org "gone" deleted')
    expect(stored("gone", "finalizing")).toBeUndefined()
  })

  it("leaves an object with a finalizer terminating until a patch removes the finalizer", async () => {
    emulator.objects.create(exposedApi("kept", "finalizing", { finalizers: ["oda.tmforum.org/apim"] }))
    expect((await kubectl.ok(["delete", "exposedapi", "kept", "-n", "finalizing", "--wait=false"])).trim()).toBe('exposedapi.oda.tmforum.org "kept" deleted')
    const terminating = stored("kept", "finalizing")
    expect(terminating?.["metadata"]).toMatchObject({ finalizers: ["oda.tmforum.org/apim"], deletionTimestamp: expect.stringMatching(/Z$/) })
    expect((await kubectl.ok(["get", "exposedapis", "-n", "finalizing", "-o", "name"])).trim()).toBe("exposedapi.oda.tmforum.org/kept")
    await kubectl.ok(["patch", "exposedapi", "kept", "-n", "finalizing", "--type=json", "-p", '[{"op":"remove","path":"/metadata/finalizers"}]'])
    expect(stored("kept", "finalizing")).toBeUndefined()
  })
})

describe("kubectl explain and describe", () => {
  it("explains the ExposedAPI from the published schema", async () => {
    // 1.32 reads /openapi/v3 (the CRD's schema as written); 1.20 reads /openapi/v2, where a spec that keeps
    // unknown fields is an open map, as kube-apiserver publishes it there
    if (serverSideValidation()) {
      const text = await kubectl.ok(["explain", "exposedapi.spec"])
      expect(text).toMatch(/KIND:\s+ExposedAPI/)
      expect(text).toMatch(/implementation\s+<string> -required-/)
    } else {
      const text = await kubectl.ok(["explain", "exposedapi"])
      expect(text).toMatch(/KIND:\s+ExposedAPI/)
      expect(text).toMatch(/spec\s+<map\[string\]> -required-/)
    }
  })

  it("describes the example", async () => {
    const text = await kubectl.ok(["describe", "exposedapi", EXAMPLE])
    expect(text).toMatch(/^Name:\s+r1-productcatalogmanagement-productcatalogmanagement$/m)
    expect(text).toMatch(/Implementation:\s+r1-prodcatapi/)
  })
})
