import { spawn, type ChildProcess } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** The sandbox command (`--no-operator`) in a child process, so load and server do not share an event loop. */
export interface ChildSandbox {
  readonly server: string
  readonly kubeconfig: string
  readonly pid: number
  readonly cpuSeconds: () => number
  readonly rssMb: () => number
  readonly stop: () => Promise<void>
}

const procStat = (pid: number): ReadonlyArray<string> => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []

export const startChildSandbox = async (args: ReadonlyArray<string> = []): Promise<ChildSandbox> => {
  const stateDir = mkdtempSync(join(tmpdir(), "oda-bench-"))
  const child: ChildProcess = spawn(
    process.execPath,
    [new URL("../src/main.ts", import.meta.url).pathname, "sandbox", "--no-operator", "--state-dir", stateDir, ...args],
    { stdio: ["ignore", "pipe", "inherit"] }
  )
  const pid = child.pid ?? 0
  await new Promise<void>((resolve, reject) => {
    let out = ""
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes("sandbox contract:")) resolve()
    })
    child.once("exit", (code) => reject(new Error(`sandbox exited early with ${code}`)))
  })
  const contract: unknown = JSON.parse(readFileSync(join(stateDir, "sandbox.json"), "utf8"))
  const server = typeof contract === "object" && contract !== null && "kubernetes" in contract &&
      typeof contract.kubernetes === "object" && contract.kubernetes !== null && "server" in contract.kubernetes &&
      typeof contract.kubernetes.server === "string"
    ? contract.kubernetes.server
    : ""
  const ticks = 100 // USER_HZ on Linux
  return {
    server,
    kubeconfig: join(stateDir, "kubeconfig"),
    pid,
    cpuSeconds: () => {
      const stat = procStat(pid)
      return (Number(stat[11]) + Number(stat[12])) / ticks
    },
    rssMb: () => (Number(procStat(pid)[21]) * 4096) / (1024 * 1024),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => {
          rmSync(stateDir, { recursive: true, force: true })
          resolve()
        })
        child.kill("SIGTERM")
      })
  }
}
