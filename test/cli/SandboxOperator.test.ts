import * as k8s from "@kubernetes/client-node"
import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { parse as parseYaml, parseAllDocuments } from "yaml"

/** `npm start`: the sandbox with the operator, its samples and the live view, as a newcomer runs it. */

interface Condition {
  readonly type: string
  readonly status: string
  readonly reason: string
  readonly message: string
}
interface ExposedApi {
  readonly metadata: { readonly name: string }
  readonly status?: { readonly apiStatus?: { readonly url?: string }; readonly conditions?: ReadonlyArray<Condition> }
}

const GATEWAY = "https://oda-apim-sandbox.azure-api.net"
const VALID = {
  "r1-productcatalog-tmf620": `${GATEWAY}/r1-productcatalog/tmf-api/productCatalogManagement/v4`,
  "r1-customer-tmf629": `${GATEWAY}/r1-customer/tmf-api/customerManagement/v4`
}
const INVALID = "r1-productorder-tmf622"
const METRICS = "r1-productcatalog-metrics"

interface Running {
  readonly child: ChildProcess
  readonly stateDir: string
  /** Everything written to stdout so far. */
  readonly stdout: () => string
  /** Resolves once stdout matches, rejects if the process exits first. */
  readonly waitFor: (pattern: RegExp) => Promise<RegExpMatchArray>
  readonly stop: () => Promise<number | null>
}

const startSandbox = (...flags: ReadonlyArray<string>): Running => {
  const stateDir = mkdtempSync(join(tmpdir(), "oda-sandbox-operator-test-"))
  const child = spawn(process.execPath, ["src/main.ts", "sandbox", "--state-dir", stateDir, ...flags], { stdio: ["ignore", "pipe", "pipe"] })
  let stdout = ""
  let stderr = ""
  const waiters = new Set<() => void>()
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString()
    for (const waiter of waiters) waiter()
  })
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)))
  return {
    child,
    stateDir,
    stdout: () => stdout,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = stdout.match(pattern)
          if (match === null) return
          waiters.delete(check)
          resolve(match)
        }
        waiters.add(check)
        check()
        void exited.then((code) => reject(new Error(`sandbox exited with ${code}\n${stdout}\n${stderr}`)))
      }),
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM")
      const code = await exited
      rmSync(stateDir, { recursive: true, force: true })
      return code
    }
  }
}

const clientsFor = (stateDir: string) => {
  const kc = new k8s.KubeConfig()
  kc.loadFromFile(join(stateDir, "kubeconfig"))
  return { custom: kc.makeApiClient(k8s.CustomObjectsApi), objects: k8s.KubernetesObjectApi.makeApiClient(kc) }
}

/** The ExposedAPIs of a namespace, or of every namespace. */
const listExposedApis = async (custom: k8s.CustomObjectsApi, namespace?: string): Promise<ReadonlyArray<ExposedApi>> => {
  const resource = { group: "oda.tmforum.org", version: "v1", plural: "exposedapis" }
  const list: { readonly items: ReadonlyArray<ExposedApi> } = namespace === undefined
    ? await custom.listClusterCustomObject(resource)
    : await custom.listNamespacedCustomObject({ ...resource, namespace })
  return list.items
}

const readyOf = (api: ExposedApi | undefined) => api?.status?.conditions?.find((condition) => condition.type === "Ready")

/** A view line: time, `namespace/name`, state, detail. */
const viewLine = (name: string, state: string, detail: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d  components/${name} +${state} +${detail}`, "m")
const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

describe("sandbox (npm start)", () => {
  let sandbox: Running

  beforeAll(async () => {
    sandbox = startSandbox()
    await sandbox.waitFor(/sample ExposedAPIs have settled/)
  }, 30_000)

  afterAll(async () => {
    if (sandbox.child.exitCode === null) sandbox.child.kill("SIGKILL")
    rmSync(sandbox.stateDir, { recursive: true, force: true })
  })

  it("shows each sample going from created to its outcome: Ready with its URL, or the reason it is not", () => {
    const output = sandbox.stdout()
    for (const [name, url] of Object.entries(VALID)) {
      expect(output).toMatch(viewLine(name, "created", "waiting for the operator"))
      expect(output).toMatch(viewLine(name, "Ready=True", `${escaped(url)}$`))
    }
    expect(output).toMatch(viewLine(METRICS, "Ready=True", "Ingress r1-productcatalog-metrics is served at http://"))
    expect(output).toMatch(viewLine(INVALID, "Ready=False", "InvalidSpec: .*spec\\.CORS\\.allowCredentials"))
    expect(output).toContain("The 4 sample ExposedAPIs have settled: 3 Ready, 1 not (on purpose).")
    // a view is for reading: no ANSI colour when stdout is not a terminal, and no operator log lines on stdout
    expect(output).not.toContain("\u001b[")
    expect(output).not.toMatch(/level=|INFO/)
  })

  it("holds the same outcome in Kubernetes, as client-node reads it with the written kubeconfig", async () => {
    const apis = await listExposedApis(clientsFor(sandbox.stateDir).custom, "components")
    const byName = new Map(apis.map((api) => [api.metadata.name, api]))
    for (const [name, url] of Object.entries(VALID)) {
      expect(readyOf(byName.get(name))?.status).toBe("True")
      expect(byName.get(name)?.status?.apiStatus?.url).toBe(url)
    }
    expect(readyOf(byName.get(METRICS))?.status).toBe("True")
    const invalid = readyOf(byName.get(INVALID))
    expect(invalid).toMatchObject({ status: "False", reason: "InvalidSpec" })
    expect(invalid?.message).toContain("wildcard origin")
    expect(byName.has("r1-party-tmf632")).toBe(false)
  })

  it("serves the sample documents on loopback: Swagger 2.0 and OpenAPI 3, in JSON and in YAML", async () => {
    const [, base] = await sandbox.waitFor(/^Sample documents: +(http:\/\/127\.0\.0\.1:\d+)\/$/m)
    const files: ReadonlyArray<string> = JSON.parse(await (await fetch(`${base}/`)).text())
    expect(files).toHaveLength(4)
    const kinds = await Promise.all(files.map(async (file) => {
      const response = await fetch(`${base}/${file}`)
      const document: { readonly swagger?: string; readonly openapi?: string; readonly info: { readonly title: string } } = parseYaml(await response.text())
      expect(document.info.title).not.toBe("")
      return `${document.swagger === undefined ? "openapi3" : "swagger2"} ${response.headers.get("content-type")?.split(";")[0]}`
    }))
    expect(new Set(kinds)).toEqual(new Set(["swagger2 application/json", "swagger2 application/yaml", "openapi3 application/json", "openapi3 application/yaml"]))
    expect((await fetch(`${base}/nothing-here.json`)).status).toBe(404)
  })

  it("takes one more Component applied with client-node from DIR/samples, and the view shows its ExposedAPI Ready", async () => {
    const file = join(sandbox.stateDir, "samples", "r1-party.yaml")
    const { custom, objects } = clientsFor(sandbox.stateDir)
    for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
      const manifest: k8s.KubernetesObject = document.toJS()
      if (manifest.kind === "Namespace") continue // the samples' namespace is there already
      await objects.create(manifest)
    }
    const url = `${GATEWAY}/r1-party/tmf-api/partyManagement/v4`
    await sandbox.waitFor(viewLine("r1-party-tmf632", "Ready=True", escaped(url)))
    const party = (await listExposedApis(custom, "components")).find((api) => api.metadata.name === "r1-party-tmf632")
    expect(readyOf(party)?.status).toBe("True")
    expect(party?.status?.apiStatus?.url).toBe(url)
  }, 20_000)

  it("exits 0 on SIGTERM", async () => {
    expect(await sandbox.stop()).toBe(0)
  })
})

describe("sandbox --no-samples", () => {
  it("starts with no ExposedAPI but writes the sample Components for kubectl apply, and exits 0 on SIGTERM", async () => {
    const sandbox = startSandbox("--no-samples")
    try {
      await sandbox.waitFor(/ExposedAPIs, a line whenever one changes/)
      expect(await listExposedApis(clientsFor(sandbox.stateDir).custom)).toEqual([])
      expect(readdirSync(join(sandbox.stateDir, "samples")).sort()).toEqual(
        ["r1-customer.yaml", "r1-party.yaml", "r1-productcatalog.yaml", "r1-productorder.yaml"]
      )
      expect(sandbox.stdout()).toContain("none applied:")
    } finally {
      expect(await sandbox.stop()).toBe(0)
    }
  }, 20_000)
})
