import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs"
import { rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, posix } from "node:path"
import { promisify } from "node:util"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { bundleApp, bundleOptions } from "../../scripts/Bundle.ts"
import { packageRoot } from "../../src/PackageRoot.ts"
import { VERSION } from "../../src/Version.ts"
import { inContext, instructionsOf, parseDockerfile, type Stage } from "./Dockerfile.ts"

/**
 * The Dockerfile, without a Docker engine: its stages are read and followed from the build context to the image,
 * and the image's start command is run from the bundle alone, in a directory laid out as the image's /app (no
 * node_modules). The build stage's type check is `npm test`'s own; its bundling step is the same function here.
 */
const root = packageRoot()
const stages = parseDockerfile(readFileSync(join(root, "Dockerfile"), "utf8"))
const dockerignore = readFileSync(join(root, ".dockerignore"), "utf8")
const run = promisify(execFile)

const stage = (name: string): Stage => {
  const found = stages.find((s) => s.name === name)
  if (found === undefined) throw new Error(`no stage ${name}`)
  return found
}
const runtime = (): Stage => {
  const last = stages[stages.length - 1]
  if (last === undefined) throw new Error("no stage")
  return last
}
const runLines = (s: Stage): ReadonlyArray<string> => instructionsOf(s, "RUN").map((i) => i.args.join(" "))
const workdir = (s: Stage): string => instructionsOf(s, "WORKDIR").at(-1)?.args[0] ?? "/"
const entrypoint = (): ReadonlyArray<string> => instructionsOf(runtime(), "ENTRYPOINT").at(-1)?.args ?? []

/** Files below a context path (itself when it is a file). */
const filesUnder = (path: string): ReadonlyArray<string> =>
  statSync(join(root, path)).isDirectory()
    ? readdirSync(join(root, path), { recursive: true, encoding: "utf8" }).map((f) => posix.join(path, f.split("\\").join("/"))).filter((f) => statSync(join(root, f)).isFile())
    : [path]

describe("the Dockerfile", () => {
  it("builds with npm ci and tsc, installs production dependencies alone, and runs Node 24 as a non-root user in exec form", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", undefined])
    expect(stage("build").image).toMatch(/^node:24-/)
    expect(runLines(stage("build"))).toEqual([expect.stringMatching(/^npm ci /), "npm run build"])
    const pkg: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
    expect(pkg).toMatchObject({ scripts: { build: "tsc --noEmit && node scripts/Bundle.ts" }, bin: { "oda-apim-operator": "dist/main.js" } })
    expect(runtime().image).toMatch(/^gcr\.io\/distroless\/nodejs24-debian12:nonroot$/)
    expect(runLines(runtime())).toEqual([]) // nothing runs in the runtime image: it has no shell
    const user = instructionsOf(runtime(), "USER").at(-1)?.args[0] ?? ""
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/) // numeric, so the kubelet can verify runAsNonRoot
    for (const keyword of ["ENTRYPOINT", "CMD"]) expect(instructionsOf(runtime(), keyword).map((i) => i.execForm)).toEqual([true])
    expect(entrypoint()).toEqual(["/nodejs/bin/node", "dist/main.js"])
    expect(instructionsOf(runtime(), "CMD")[0]?.args).toEqual(["run"])
  })

  it("copies files that exist and are in the build context, and from other stages what those stages made", () => {
    const made = new Map<string, Array<string>>()
    for (const s of stages) {
      const here: Array<string> = []
      for (const copy of instructionsOf(s, "COPY")) {
        const sources = copy.args.slice(0, -1)
        const from = copy.flags["from"]
        for (const source of sources) {
          if (from === undefined) {
            expect(existsSync(join(root, source)), `line ${copy.line}: ${source}`).toBe(true)
            const files = filesUnder(source)
            expect(files.filter((f) => !inContext(dockerignore, f)), `line ${copy.line}: ${source} is in the context`).toEqual([])
          } else {
            const produced = made.get(from) ?? []
            expect(produced.some((p) => source === p || source.startsWith(`${p}/`)), `line ${copy.line}: stage ${from} makes ${source}`).toBe(true)
          }
        }
        here.push(...sources.map((source) => posix.join(workdir(s), posix.basename(source))))
      }
      if (runLines(s).some((line) => line.startsWith("npm ci"))) here.push(posix.join(workdir(s), "node_modules"))
      if (runLines(s).includes("npm run build")) here.push(posix.join(workdir(s), "dist"))
      if (s.name !== undefined) made.set(s.name, here)
    }
    // the context holds nothing else of weight: no dependencies, build output, tests or history
    for (const path of ["node_modules/effect/package.json", "dist", "test/k8s/Manifests.test.ts", ".git/HEAD", "README.md"]) {
      expect(inContext(dockerignore, path), path).toBe(false)
    }
    // the bundle puts src/main.ts where the entrypoint looks for it
    const options = bundleOptions(root, join(root, "dist"))
    expect(options.entryPoints).toEqual({ main: "src/main.ts" })
    expect(posix.join(posix.relative(root, options.outdir ?? ""), "main.js")).toBe(entrypoint().at(-1))
  })
})

/** The image's entrypoint with its Node replaced by this test's (also 24) and its environment, from `cwd`. */
const start = (cwd: string, script: string, nodeOptions: ReadonlyArray<string>, ...command: ReadonlyArray<string>) => {
  const [, ...flags] = entrypoint()
  return run(process.execPath, [...nodeOptions, ...flags.slice(0, -1), script, ...command], {
    cwd,
    env: { PATH: process.env["PATH"] ?? "", NODE_ENV: "production" }
  })
}

const expectHelp = (help: { readonly stdout: string }) => {
  for (const command of ["run", "sandbox", "render", "crd", "version"]) expect(help.stdout).toMatch(new RegExp(`^\\s*- ${command}\\b`, "m"))
}

const HOOK = join(root, "test/container/ProductionOnlyHook.ts")

describe("the sources the bundle is made of", () => {
  it("import production dependencies alone: every module the start command loads is one npm ci --omit=dev installs", async () => {
    // --help loads every command's modules except the sandbox's, which `sandbox` loads when it runs
    expectHelp(await start(root, "src/main.ts", ["--import", HOOK], "--help"))
  }, 60_000)

  it("would notice a development dependency", async () => {
    const failed = await run(process.execPath, ["--import", HOOK, "--input-type=module", "-e", "await import('fast-check')"], { cwd: root }).then(
      () => "",
      (error: unknown) => String(error)
    )
    expect(failed).toContain("node_modules/fast-check is not a production dependency")
  }, 60_000)
})

describe("the image's start command, from the bundle alone", () => {
  let dir: string
  let script: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "image-"))
    script = await bundleApp(root, dir)
  }, 120_000)

  afterAll(() => rm(dir, { recursive: true, force: true }), 120_000)

  it("is the entrypoint, in an /app with no node_modules", () => {
    expect(script).toBe(join(dir, entrypoint().at(-1) ?? ""))
    expect(existsSync(join(dir, "node_modules"))).toBe(false)
    // the sandbox is a chunk of its own, loaded only when `sandbox` runs
    expect(readdirSync(join(dir, "dist")).filter((f) => f.startsWith("SandboxRun-") && f.endsWith(".js"))).toHaveLength(1)
  })

  it("prints --help with every command, its version, and the CRD it ships", async () => {
    const [help, version, crd] = await Promise.all([start(dir, script, [], "--help"), start(dir, script, [], "version"), start(dir, script, [], "crd")])
    expectHelp(help)
    expect(version.stdout).toContain(VERSION)
    expect(crd.stdout.trimEnd()).toBe(readFileSync(join(root, "k8s/exposedapi-crd.yaml"), "utf8").trimEnd())
  }, 60_000)

  it("names the file at fault when a command fails, as from the sources", async () => {
    const failed = await start(dir, script, [], "render", "-f", join(dir, "missing.yaml")).then(
      () => "",
      (error: unknown) => String(error)
    )
    expect(failed).toContain("missing.yaml")
  }, 60_000)
})
