import { execFile } from "node:child_process"
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import { rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { dirname, join, posix, relative } from "node:path"
import { promisify } from "node:util"
import ts from "typescript"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { packageRoot } from "../../src/PackageRoot.ts"
import { VERSION } from "../../src/Version.ts"
import { inContext, instructionsOf, parseDockerfile, type Stage } from "./Dockerfile.ts"

/**
 * The Dockerfile, without a Docker engine: its stages are read and followed from the build context to the image,
 * and the image's start command is run on production dependencies alone. Always: from the sources, with a module
 * hook that fails on any module a production install lacks (a second or two). In CI: from a real production-only
 * install made with the Dockerfile's own `npm ci --omit=dev` line and the compiled code. Compiling is the one
 * stand-in there: the sources are transpiled file by file with the build's compiler options (`tsc` itself takes
 * half a minute here, and `npm test` type-checks the same sources anyway), which emits the same JavaScript for this
 * project (verbatimModuleSyntax, erasableSyntaxOnly: nothing in a file's output depends on another file).
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
    expect(stages.map((s) => s.name)).toEqual(["build", "dependencies", undefined])
    expect(stage("build").image).toMatch(/^node:24-/)
    expect(runLines(stage("build"))).toEqual([expect.stringMatching(/^npm ci /), "npm run build"])
    const pkg: unknown = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))
    expect(pkg).toMatchObject({ scripts: { build: expect.stringMatching(/^tsc -p tsconfig\.build\.json/) } })
    expect(runLines(stage("dependencies"))).toEqual([expect.stringMatching(/^npm ci .*--omit=dev/)])
    expect(runtime().image).toMatch(/^gcr\.io\/distroless\/nodejs24-debian12:nonroot$/)
    expect(runLines(runtime())).toEqual([]) // nothing runs in the runtime image: it has no shell
    const user = instructionsOf(runtime(), "USER").at(-1)?.args[0] ?? ""
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/) // numeric, so the kubelet can verify runAsNonRoot
    for (const keyword of ["ENTRYPOINT", "CMD"]) expect(instructionsOf(runtime(), keyword).map((i) => i.execForm)).toEqual([true])
    expect(entrypoint()).toEqual(["/nodejs/bin/node", "--enable-source-maps", "dist/src/main.js"])
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
    // tsc puts src/main.ts where the entrypoint looks for it
    const config = ts.readConfigFile(join(root, "tsconfig.build.json"), ts.sys.readFile)
    const options = ts.parseJsonConfigFileContent(config.config, ts.sys, root).options
    expect(relative(root, join(options.outDir ?? "", relative(options.rootDir ?? root, join(root, "src/main.ts"))))).toBe("dist/src/main.ts")
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

describe("the image's start command", () => {
  it("runs on production dependencies alone: every module it loads is one npm ci --omit=dev installs", async () => {
    expect(entrypoint().at(-1)).toBe("dist/src/main.js") // run here from its source, src/main.ts
    // --help loads every command's modules: main.ts imports them all statically
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

/**
 * What CI can do short of building the image: the dependencies stage's own `npm ci --omit=dev` in a directory of
 * its own (from the npm cache; about 10 s of a quiet machine, several times that of a busy one, so only in CI or
 * with IMAGE_NPM_CI=1), the build stage's output, and the runtime stage's copies, then the entrypoint.
 */
describe.runIf(process.env["CI"] === "true" || process.env["IMAGE_NPM_CI"] === "1")("the image's start command, from a production-only install", () => {
  let dir: string
  let app: string

  /** The build stage's output, transpiled file by file with the build's options (see the header). */
  const transpile = (outDir: string): void => {
    const config = ts.readConfigFile(join(root, "tsconfig.build.json"), ts.sys.readFile)
    const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root)
    for (const file of parsed.fileNames) {
      // every file is an ES module (package.json "type": "module"), which is what NodeNext emits for them
      const compilerOptions = { ...parsed.options, noEmit: false, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }
      const output = ts.transpileModule(readFileSync(file, "utf8"), { compilerOptions, fileName: file })
      const target = join(outDir, relative(root, file)).replace(/\.ts$/, ".js")
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, output.outputText)
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "image-"))
    app = join(dir, "app")
    const dependencies = join(dir, "dependencies")
    mkdirSync(dependencies)
    mkdirSync(app)
    for (const file of ["package.json", "package-lock.json"]) cpSync(join(root, file), join(dependencies, file))
    // the dependencies stage's own command; the npm cache makes it quick, and it reaches the registry if needed
    const [command, ...args] = (runLines(stage("dependencies"))[0] ?? "").split(/\s+/)
    const install = run(command ?? "npm", [...args, "--prefer-offline"], { cwd: dependencies, maxBuffer: 16 * 1024 * 1024 })
    transpile(join(dir, "build", "dist"))
    await install
    // the runtime stage's copies
    renameSync(join(dependencies, "node_modules"), join(app, "node_modules"))
    cpSync(join(dir, "build", "dist", "src"), join(app, "dist", "src"), { recursive: true })
    cpSync(join(root, "package.json"), join(app, "package.json"))
    cpSync(join(root, "k8s"), join(app, "k8s"), { recursive: true })
  }, 180_000)

  afterAll(() => rm(dir, { recursive: true, force: true }), 120_000)

  it("has production dependencies only", () => {
    expect(process.versions.node.split(".")[0]).toBe("24")
    for (const dev of ["typescript", "vitest", "fast-check", "kubernetes-models", "@effect/vitest"]) expect(existsSync(join(app, "node_modules", dev)), dev).toBe(false)
    for (const dependency of ["effect", "@kubernetes/client-node", "@azure/arm-apimanagement"]) expect(existsSync(join(app, "node_modules", dependency))).toBe(true)
  })

  it("prints --help with every command, its version, and the CRD it ships", async () => {
    const script = entrypoint().at(-1) ?? ""
    const [help, version, crd] = await Promise.all([start(app, script, [], "--help"), start(app, script, [], "version"), start(app, script, [], "crd")])
    expectHelp(help)
    expect(version.stdout).toContain(VERSION)
    expect(crd.stdout.trimEnd()).toBe(readFileSync(join(root, "k8s/exposedapi-crd.yaml"), "utf8").trimEnd())
  }, 60_000)
})
