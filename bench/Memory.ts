import { join } from "node:path"
import { startBenchWorld } from "./BenchWorld.ts"
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
 * Scale and memory: the operator's resident memory at rest when it watches `small`, then `large` published
 * ExposedAPIs (APIM answering at once and throttling off, so it gets there quickly), and at start before any.
 */
export const runMemory = async (options: MemoryOptions) => {
  const world = await startBenchWorld({ throttle: false })
  const tracker = trackReady(world.kube)
  const operator = startOperatorProcess(
    world.operatorEnvironment({ ...unthrottledBudget, RESYNC_INTERVAL: "1 hour", ...options.settings }),
    join(options.logDir, "memory-operator.log")
  )
  try {
    await startWatchingOperator(world, operator)
    await sleep(2000)
    const idle = await restingRss(operator)
    const small = Array.from({ length: options.small }, (_, i) => apiShape("memory", i))
    await createAndWait(world, tracker, small, 600_000)
    await waitForQuiet(world, 2000, 120_000)
    const rssSmall = await restingRss(operator)
    const peakSmall = operator.peakRssMb()
    const large = Array.from({ length: Math.max(0, options.large - options.small) }, (_, i) => apiShape("memory", options.small + i))
    await createAndWait(world, tracker, large, 3_600_000)
    await waitForQuiet(world, 2000, 300_000)
    const rssLarge = await restingRss(operator)
    return {
      idleRssMb: idle,
      rss1kMb: rssSmall,
      rss10kMb: rssLarge,
      peakRssMb: round(Math.max(peakSmall, operator.peakRssMb()), 1),
      sizes: { small: options.small, large: options.large },
      nodeOptions: options.settings["NODE_OPTIONS"] ?? "(none)",
      unexpectedExits: operator.unexpectedExits().length
    }
  } finally {
    tracker.close()
    await operator.stop()
    await world.close()
  }
}
