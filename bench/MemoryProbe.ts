import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import type { OperatorProcess } from "./OperatorProcess.ts"
import { waitUntil } from "./Wait.ts"

/**
 * A module preloaded into the operator (`--import`) for the memory scenario only: on SIGUSR2 it runs V8's most
 * thorough garbage collection (the one it runs before giving up on memory) and writes `process.memoryUsage()` to a
 * file, so the benchmark can tell memory the operator holds from garbage and free pages V8 keeps around. With a
 * snapshot file it then also writes a heap snapshot there (after the figures: writing one costs memory of its own).
 */
const probeSource = (reportFile: string, snapshotFile: string | undefined): string => `
import { writeFileSync } from "node:fs"
import { writeHeapSnapshot } from "node:v8"
const snapshotFile = ${JSON.stringify(snapshotFile ?? null)}
const collect = () => globalThis.gc?.({ type: "major", execution: "sync", flavor: "last-resort" })
process.on("SIGUSR2", () => {
  // twice, a few seconds apart: V8 hands freed pages back to the system after a collection, not during it
  collect()
  setTimeout(() => {
    collect()
    setTimeout(() => {
      const usage = JSON.stringify(process.memoryUsage())
      if (snapshotFile !== null) writeHeapSnapshot(snapshotFile)
      writeFileSync(${JSON.stringify(reportFile)}, usage)
    }, 2000)
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
  /**
   * Collects garbage in the operator and returns its memory right after, in MB; with a snapshot directory, also
   * leaves a heap snapshot there named `<label>.heapsnapshot` (for DevTools' comparison view).
   */
  readonly collect: (operator: OperatorProcess, label: string) => Promise<MemoryReport>
}

const MB = 1024 * 1024

export const makeMemoryProbe = (dir: string, snapshotDir?: string): MemoryProbe => {
  const reportFile = join(dir, "memory-report.json")
  const snapshotFile = snapshotDir === undefined ? undefined : join(dir, "latest.heapsnapshot")
  const module = join(dir, "memory-probe.mjs")
  writeFileSync(module, probeSource(reportFile, snapshotFile))
  return {
    nodeOptions: (existing) => [existing ?? "", "--expose-gc", `--import=${module}`].filter((o) => o !== "").join(" "),
    collect: async (operator, label) => {
      rmSync(reportFile, { force: true })
      process.kill(operator.pid(), "SIGUSR2")
      await waitUntil("the operator's memory report", () => existsSync(reportFile), 60_000, 100)
      await new Promise((resolve) => setTimeout(resolve, 100))
      if (snapshotFile !== undefined && snapshotDir !== undefined) renameSync(snapshotFile, join(snapshotDir, `${label}.heapsnapshot`))
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
