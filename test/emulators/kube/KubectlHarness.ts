import { spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { KubeEmulator } from "../../../src/emulators/kube/KubeEmulator.ts"
import { referencePath } from "../../fixtures/Reference.ts"

/**
 * The real `kubectl` on PATH (1.32 on developer machines, Debian's 1.20 in CI), pointed at an emulator through
 * a kubeconfig in a temporary directory, with its own discovery cache so no run sees another's.
 */

export interface KubectlResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** A long-running kubectl (`get -w`): its output so far, a way to wait for a line, and a way to stop it. */
export interface KubectlProcess {
  readonly output: () => string
  readonly waitFor: (predicate: (lines: ReadonlyArray<string>) => boolean, timeoutMs?: number) => Promise<ReadonlyArray<string>>
  readonly stop: () => Promise<void>
}

export interface Kubectl {
  /** The client's minor version: server-side field validation and OpenAPI v3 came after 1.20. */
  readonly minor: number
  readonly run: (args: ReadonlyArray<string>, stdin?: string) => Promise<KubectlResult>
  /** Runs and returns stdout; throws with stderr when kubectl fails. */
  readonly ok: (args: ReadonlyArray<string>, stdin?: string) => Promise<string>
  /** Runs and returns stderr; throws when kubectl unexpectedly succeeds. */
  readonly fails: (args: ReadonlyArray<string>, stdin?: string) => Promise<string>
  readonly start: (args: ReadonlyArray<string>) => KubectlProcess
  readonly close: () => void
}

/** The ODA reference files, next to this repository. */
export const odaFile = (name: string): string => referencePath(`oda/${name}`)

const environment = (): NodeJS.ProcessEnv => {
  const env = { ...process.env }
  delete env["KUBECONFIG"]
  return env
}

const exec = (args: ReadonlyArray<string>, stdin: string | undefined): Promise<KubectlResult> =>
  new Promise((resolve, reject) => {
    const child = spawn("kubectl", args, { env: environment(), stdio: ["pipe", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.on("error", reject)
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(stdin ?? "")
  })

export const startKubectl = async (emulator: KubeEmulator): Promise<Kubectl> => {
  const dir = mkdtempSync(join(tmpdir(), "kubectl-"))
  const kubeconfig = join(dir, "kubeconfig")
  writeFileSync(kubeconfig, emulator.kubeconfig())
  const common = ["--kubeconfig", kubeconfig, "--cache-dir", join(dir, "cache"), "--request-timeout", "10s"]
  const version = await exec(["version", "--client", "-o", "json"], undefined)
  const parsed: unknown = JSON.parse(version.stdout)
  const minorText = typeof parsed === "object" && parsed !== null && "clientVersion" in parsed && typeof parsed.clientVersion === "object" &&
      parsed.clientVersion !== null && "minor" in parsed.clientVersion
    ? String(parsed.clientVersion.minor)
    : ""
  const run = (args: ReadonlyArray<string>, stdin?: string) => exec([...common, ...args], stdin)
  return {
    minor: Number.parseInt(minorText, 10),
    run,
    ok: async (args, stdin) => {
      const result = await run(args, stdin)
      if (result.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${result.code}): ${result.stderr}`)
      return result.stdout
    },
    fails: async (args, stdin) => {
      const result = await run(args, stdin)
      if (result.code === 0) throw new Error(`kubectl ${args.join(" ")} succeeded: ${result.stdout}`)
      return result.stderr
    },
    start: (args) => {
      const child = spawn("kubectl", [...common, ...args], { env: environment(), stdio: ["ignore", "pipe", "pipe"] })
      let output = ""
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
      const exited = new Promise<void>((resolve) => child.on("close", () => resolve()))
      const lines = () => output.split("\n").filter((l) => l.trim() !== "")
      return {
        output: () => output,
        waitFor: async (predicate, timeoutMs = 10_000) => {
          const deadline = Date.now() + timeoutMs
          while (!predicate(lines())) {
            if (Date.now() > deadline) throw new Error(`kubectl ${args.join(" ")} never printed the expected lines; output:\n${output}`)
            await new Promise((resolve) => setTimeout(resolve, 20))
          }
          return lines()
        },
        stop: async () => {
          child.kill("SIGTERM")
          await exited
        }
      }
    },
    close: () => rmSync(dir, { recursive: true, force: true })
  }
}
