import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parse as parseYaml } from "yaml"
import { RUNTIME_ENV } from "./RuntimeEnv.ts"
import { startBenchWorld } from "./BenchWorld.ts"
import { makeMemoryProbe } from "./MemoryProbe.ts"
import { startOperatorProcess, type OperatorProcess } from "./OperatorProcess.ts"
import { startWatchingOperator } from "./OperatorStart.ts"
import { createAndWait, unthrottledBudget, waitForQuiet } from "./Publish.ts"
import { round, sleep } from "./Wait.ts"
import { apiShape, trackReady } from "./Workload.ts"

export interface MemoryOptions {
  /** The two sizes measured (default 1,000 and 10,000). */
  readonly small: number
  readonly large: number
  readonly settings: Readonly<Record<string, string>>
  readonly logDir: string
  /** Where to leave heap snapshots taken with each figure (idle, small, large); none when undefined. */
  readonly heapSnapshotDir?: string | undefined
}

/** Resident memory once the operator is at rest: the lowest of a few samples a second apart. */
const restingRss = async (operator: OperatorProcess): Promise<number> => {
  const samples: Array<number> = []
  for (let i = 0; i < 5; i++) {
    samples.push(operator.rssMb())
    await sleep(1000)
  }
  return round(Math.min(...samples), 1)
}

/**
 * The runtime's own environment as the shipped Deployment sets it (k8s/base/deployment.yaml: NODE_OPTIONS, glibc's
 * MALLOC_* tuning), so memory is measured as deployed.
 */
export const deploymentRuntimeEnv = (): Readonly<Record<string, string>> => {
  const manifest: unknown = parseYaml(readFileSync(new URL("../k8s/base/deployment.yaml", import.meta.url), "utf8"))
  const containers = at(manifest, "spec", "template", "spec", "containers")
  const env = Array.isArray(containers) ? at(containers[0], "env") : undefined
  return Object.fromEntries(
    (Array.isArray(env) ? env : []).flatMap((e) => {
      const name = at(e, "name")
      const value = at(e, "value")
      return typeof name === "string" && RUNTIME_ENV.has(name) && typeof value === "string" ? [[name, value]] : []
    })
  )
}

const at = (value: unknown, ...keys: ReadonlyArray<string>): unknown =>
  keys.reduce<unknown>((node, key) => (typeof node === "object" && node !== null ? Reflect.get(node, key) : undefined), value)

/**
 * Scale and memory: the operator's resident memory when it watches `small`, then `large` published ExposedAPIs
 * (APIM answering at once and throttling off, so it gets there quickly), and at start before any; with the
 * Deployment's NODE_OPTIONS unless `NODE_OPTIONS` is set.
 */
export const runMemory = async (options: MemoryOptions) => {
  const runtimeEnv = deploymentRuntimeEnv()
  const nodeOptions = options.settings["NODE_OPTIONS"] ?? runtimeEnv["NODE_OPTIONS"]
  const world = await startBenchWorld({ throttle: false })
  const tracker = trackReady(world.kube)
  const probeDir = mkdtempSync(join(tmpdir(), "oda-bench-memory-"))
  const probe = makeMemoryProbe(probeDir, options.heapSnapshotDir)
  const operator = startOperatorProcess(
    world.operatorEnvironment({
      ...unthrottledBudget,
      RESYNC_INTERVAL: "1 hour",
      ...runtimeEnv,
      ...options.settings,
      NODE_OPTIONS: probe.nodeOptions(nodeOptions)
    }),
    join(options.logDir, "memory-operator.log")
  )
  try {
    await startWatchingOperator(world, operator)
    await sleep(2000)
    const idle = await restingRss(operator)
    const idleCollected = await probe.collect(operator, "idle")
    const small = Array.from({ length: options.small }, (_, i) => apiShape("memory", i))
    await createAndWait(world, tracker, small, 600_000)
    await waitForQuiet(world, 2000, 120_000)
    const rssSmall = await restingRss(operator)
    const smallCollected = await probe.collect(operator, `watching-${options.small}`)
    const peakSmall = operator.peakRssMb()
    const large = Array.from({ length: Math.max(0, options.large - options.small) }, (_, i) => apiShape("memory", options.small + i))
    await createAndWait(world, tracker, large, 3_600_000)
    await waitForQuiet(world, 2000, 300_000)
    const rssLarge = await restingRss(operator)
    const largeCollected = await probe.collect(operator, `watching-${options.large}`)
    return {
      // right after a full garbage collection: what the operator holds, without the garbage and free pages V8 keeps
      rss1kMb: smallCollected.rss,
      rss10kMb: largeCollected.rss,
      idleRssMb: idleCollected.rss,
      heapUsed1kMb: smallCollected.heapUsed,
      heapUsed10kMb: largeCollected.heapUsed,
      heapUsedIdleMb: idleCollected.heapUsed,
      heapKbPerApi: round(((largeCollected.heapUsed - idleCollected.heapUsed) * 1024) / Math.max(1, options.large), 1),
      // as the kernel sees it at rest, when V8 has had no reason to collect: what a container limit must allow
      restingRss1kMb: rssSmall,
      restingRss10kMb: rssLarge,
      restingIdleRssMb: idle,
      peakRssMb: round(Math.max(peakSmall, operator.peakRssMb()), 1),
      sizes: { small: options.small, large: options.large },
      nodeOptions: nodeOptions ?? "(none)",
      runtimeEnv: { ...runtimeEnv, ...(nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions }) },
      unexpectedExits: operator.unexpectedExits().length
    }
  } finally {
    tracker.close()
    await operator.stop()
    await world.close()
    rmSync(probeDir, { recursive: true, force: true })
  }
}
