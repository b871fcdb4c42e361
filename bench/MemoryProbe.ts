import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { OperatorProcess } from "./OperatorProcess.ts"
import { waitUntil } from "./Wait.ts"

/**
 * A module preloaded into the operator (`--import`) for the memory scenario only: on SIGUSR2 it runs V8's most
 * thorough garbage collection (the one it runs before giving up on memory) and writes `process.memoryUsage()` to a
 * file, so the benchmark can tell memory the operator holds from garbage and free pages V8 keeps around.
 */
const probeSource = (reportFile: string): string => `
import { writeFileSync } from "node:fs"
const collect = () => globalThis.gc?.({ type: "major", execution: "sync", flavor: "last-resort" })
process.on("SIGUSR2", () => {
  // twice, a few seconds apart: V8 hands freed pages back to the system after a collection, not during it
  collect()
  setTimeout(() => {
    collect()
    setTimeout(() => writeFileSync(${JSON.stringify(reportFile)}, JSON.stringify(process.memoryUsage())), 2000)
  }, 3000)
})
`

export interface MemoryReport {
  readonly rss: number
  readonly heapUsed: number
  readonly heapTotal: number
  readonly external: number
  readonly arrayBuffers: number
}

export interface MemoryProbe {
  /** NODE_OPTIONS that load the probe, after the given ones. */
  readonly nodeOptions: (existing: string | undefined) => string
  /** Collects garbage in the operator and returns its memory right after, in MB. */
  readonly collect: (operator: OperatorProcess) => Promise<MemoryReport>
}

const MB = 1024 * 1024

export const makeMemoryProbe = (dir: string): MemoryProbe => {
  const reportFile = join(dir, "memory-report.json")
  const module = join(dir, "memory-probe.mjs")
  writeFileSync(module, probeSource(reportFile))
  return {
    nodeOptions: (existing) => [existing ?? "", "--expose-gc", `--import=${module}`].filter((o) => o !== "").join(" "),
    collect: async (operator) => {
      rmSync(reportFile, { force: true })
      process.kill(operator.pid(), "SIGUSR2")
      await waitUntil("the operator's memory report", () => existsSync(reportFile), 60_000, 100)
      await new Promise((resolve) => setTimeout(resolve, 100))
      const usage: unknown = JSON.parse(readFileSync(reportFile, "utf8"))
      const field = (key: string): number =>
        typeof usage === "object" && usage !== null && key in usage && typeof Reflect.get(usage, key) === "number" ? Reflect.get(usage, key) / MB : 0
      const round1 = (n: number) => Math.round(n * 10) / 10
      return {
        rss: round1(field("rss")),
        heapUsed: round1(field("heapUsed")),
        heapTotal: round1(field("heapTotal")),
        external: round1(field("external")),
        arrayBuffers: round1(field("arrayBuffers"))
      }
    }
  }
}
